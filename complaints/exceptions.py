"""Error codes of the complaints module (all rendered in the shared error shape).

* ``outside_boundary`` (400) — the location is outside Balikpapan.
* ``too_many_photos`` (400) — more than ``COMPLAINT_MAX_PHOTOS`` photos.
* ``photo_not_found`` (400) — a photo is not the reporter's own unattached upload.
* ``category_not_found`` (400) — unknown or inactive category.
* ``agency_not_found`` (400) — unknown or inactive agency for a re-route.
* ``note_required`` (400) — resolving, rejecting and re-routing need a note.
* ``after_photo_required`` (400) — a field category is resolved with an "after" photo.
* ``reopen_window_passed`` (409) — the reporter may reopen only within the window.
* ``not_command_centre`` (403) — only the command centre triages, merges across agencies and
  records an outside body's answer.
* ``not_handling_staff`` (403) — internal notes are for staff handling the complaint.
* ``location_required`` (400) — neither a point nor a kelurahan with a place description (or
  only one of latitude/longitude).
* ``contact_phone_required`` (400) — a complaint without an account (system channel) needs a
  valid phone number.
* ``kelurahan_not_found`` (400) — unknown kelurahan code.
* ``outside_body_not_found`` (400) — unknown or inactive outside body for a re-route.
* ``not_with_outside_body`` (409) — an outside body's answer for a complaint not routed to one.
* ``already_supported`` (409), ``cannot_support_own`` (409), ``merge_into_itself`` (409),
  ``not_rateable`` (409).
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class OutsideBoundary(ApplicationError):
    default_detail = _("This location is outside the city of Balikpapan.")
    default_code = "outside_boundary"


class TooManyPhotos(ApplicationError):
    default_detail = _("A complaint has at most 5 photos.")
    default_code = "too_many_photos"


class PhotoNotFound(ApplicationError):
    default_detail = _("A photo was not found among your uploads.")
    default_code = "photo_not_found"


class CategoryNotFound(ApplicationError):
    default_detail = _("This category does not exist.")
    default_code = "category_not_found"


class AgencyNotFound(ApplicationError):
    default_detail = _("This agency does not exist.")
    default_code = "agency_not_found"


class NoteRequired(ApplicationError):
    default_detail = _("Write a note for the reporter.")
    default_code = "note_required"


class AfterPhotoRequired(ApplicationError):
    default_detail = _("Add a photo of the place after the work.")
    default_code = "after_photo_required"


class ReopenWindowPassed(ConflictError):
    default_detail = _("The time to reopen this complaint has passed.")
    default_code = "reopen_window_passed"


class NotCommandCentre(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Only the command centre may do this.")
    default_code = "not_command_centre"


class AlreadySupported(ConflictError):
    default_detail = _("You already support this complaint.")
    default_code = "already_supported"


class CannotSupportOwn(ConflictError):
    default_detail = _("You reported this complaint yourself.")
    default_code = "cannot_support_own"


class MergeIntoItself(ConflictError):
    default_detail = _("Choose another open complaint to merge into.")
    default_code = "merge_into_itself"


class NotRateable(ConflictError):
    default_detail = _("A complaint can be rated once, after it is resolved.")
    default_code = "not_rateable"


class LocationRequired(ApplicationError):
    default_detail = _(
        "Give the location: a point on the map, or the kelurahan and a description of the place."
    )
    default_code = "location_required"


class ContactPhoneRequired(ApplicationError):
    default_detail = _(
        "Enter a valid contact phone number (a complaint filed without an account needs one)."
    )
    default_code = "contact_phone_required"


class OutsideBodyNotFound(ApplicationError):
    default_detail = _("This outside body does not exist.")
    default_code = "outside_body_not_found"


class NotForOutsideBody(ConflictError):
    default_detail = _("This complaint is not with an outside body.")
    default_code = "not_with_outside_body"


class KelurahanNotFound(ApplicationError):
    default_detail = _("This kelurahan does not exist.")
    default_code = "kelurahan_not_found"


class NotHandlingStaff(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("Only staff handling this complaint may do this.")
    default_code = "not_handling_staff"

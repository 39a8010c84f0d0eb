"""The error codes of the health module (each rendered in the shared error shape).

| code | status | when |
| --- | --- | --- |
| ``quota_full`` | 409 | the session has no place left |
| ``already_booked`` | 409 | the person already holds an active ticket in the session |
| ``session_not_open`` | 409 | the session is closed or cancelled |
| ``outside_booking_window`` | 409 | booking before the window opens or after the session started |
| ``cancel_too_late`` | 409 | cancelling after the session started |
| ``not_allowed_for_person`` | 403 | the user may not book for that household member |
| ``queue_empty`` | 409 | "call next" with nobody waiting |
| ``plan_out_of_order`` | 400 | a visit plan's steps do not follow each other in time |
| ``quota_below_booked`` | 409 | lowering the quota below the tickets already holding a place |
"""

from django.utils.translation import gettext_lazy as _

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class QuotaFull(ConflictError):
    default_detail = _("The quota of this session is full.")
    default_code = "quota_full"


class AlreadyBooked(ConflictError):
    default_detail = _("This person already has an active ticket in this session.")
    default_code = "already_booked"


class SessionNotOpen(ConflictError):
    default_detail = _("This session is not open.")
    default_code = "session_not_open"


class OutsideBookingWindow(ConflictError):
    default_detail = _("Booking for this session is not open now.")
    default_code = "outside_booking_window"


class CancelTooLate(ConflictError):
    default_detail = _("The session has started; the ticket can no longer be cancelled.")
    default_code = "cancel_too_late"


class NotAllowedForPerson(ApplicationError):
    status_code = 403
    default_detail = _("You may not book for this person.")
    default_code = "not_allowed_for_person"


class QueueEmpty(ConflictError):
    default_detail = _("Nobody is waiting in this session.")
    default_code = "queue_empty"


class QuotaBelowBooked(ConflictError):
    default_detail = _("The quota cannot be lower than the tickets already booked.")
    default_code = "quota_below_booked"


class PlanOutOfOrder(ApplicationError):
    default_detail = _("Each step of the visit must start no earlier than the step before it.")
    default_code = "plan_out_of_order"


class InvalidCheckInToken(ApplicationError):
    default_detail = _("This check-in code is not valid. Scan it again or search for the ticket.")
    default_code = "invalid_check_in_token"


class AlreadyCheckedIn(ConflictError):
    default_detail = _("This ticket is already checked in.")
    default_code = "already_checked_in"


class PlanNoSlot(ConflictError):
    default_detail = _("No session with a free place fits this step of the visit.")
    default_code = "plan_no_slot"


class PlanNothingToReplan(ConflictError):
    default_detail = _("No cancelled step with steps after it: nothing to re-plan.")
    default_code = "plan_nothing_to_replan"

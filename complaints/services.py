"""Writes. Every interface (API, portal, admin, tasks) calls these keyword-only functions."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import consent
from accounts.identifiers import normalize_phone
from accounts.models import AgencyMembership
from accounts.selectors import holds_role, is_staff_of
from complaints import exceptions, exif, geo, suggestion
from complaints.models import (
    Boundary,
    Category,
    Channel,
    Complaint,
    InternalNote,
    OutsideBody,
    Supporter,
)
from complaints.workflow import State
from services.agencies import agency_required
from services.models import Agency, Kelurahan
from services.notifications import notify
from services.uploads.selectors import document_get_attachable
from services.uploads.services import document_attach, document_process, document_upload
from services.workflow import (
    activity_sync,
    add_working_time,
    deadline_start,
    deadline_stop,
    tracking_number_next,
    transition_perform,
    workflow_start,
)
from services.workflow.exceptions import TransitionNotAllowed

TRACKING_PREFIX = "ADU"
COMMAND_CENTRE_AGENCY = "diskominfo"
FIELD_RESPONSE = ("start", "ask_information", "resolve", "reject", "reroute", "mark_duplicate")


def max_photos() -> int:
    return int(getattr(settings, "COMPLAINT_MAX_PHOTOS", 5))


def reopen_days() -> int:
    return int(getattr(settings, "COMPLAINT_REOPEN_DAYS", 7))


def is_command_centre(user) -> bool:
    """Does ``user`` hold the command-centre role (Diskominfo's triage desk)? (The roles are
    read once per user object.)"""
    if user is None:
        return False
    return holds_role(user, AgencyMembership.Role.COMMAND_CENTRE)


def boundary_contains(*, latitude: float, longitude: float) -> bool:
    boundary = Boundary.objects.filter(is_active=True).only("geometry").first()
    if boundary is None:
        return (
            False  # no boundary loaded: refuse rather than accept anything (check_config says so)
        )
    return geo.geometry_contains(boundary.geometry, float(latitude), float(longitude))


def kelurahan_for(*, latitude: float, longitude: float) -> Kelurahan | None:
    code = geo.nearest_kelurahan_code(float(latitude), float(longitude))
    return Kelurahan.objects.filter(code=code).first()


def category_suggest(*, text: str) -> tuple[Category | None, float]:
    categories = list(
        Category.objects.filter(is_active=True).exclude(keywords=[]).select_related("agency")
    )  # the agency: routing needs it (one query, not one more per complaint)
    result = suggestion.suggest(text, {c.code: c.keywords for c in categories})
    by_code = {c.code: c for c in categories}
    return by_code.get(result.category_code), result.confidence


# --- intake -------------------------------------------------------------------------------------


def _contact_phone(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValidationError:
        raise exceptions.ContactPhoneRequired() from None


def reporter_for_phone(phone: str):
    """The active account whose VERIFIED phone is ``phone`` (E.164), else ``None``."""
    if not phone:
        return None
    return (
        get_user_model()
        .objects.filter(phone=phone, phone_verified=True, is_active=True)
        .order_by("pk")
        .first()
    )


def _location(*, latitude, longitude, kelurahan, address, photo_files, use_photo_location):
    """(latitude, longitude, kelurahan) from a point, or a kelurahan with a place description, or
    (when asked) the GPS position in a photo's EXIF data; refused when none or half is given."""
    if latitude is None and longitude is None and use_photo_location:
        position = exif.first_gps_position(photo_files)
        if position is not None:
            latitude, longitude = position
    if (latitude is None) != (longitude is None):
        raise exceptions.LocationRequired()
    if latitude is None:
        if kelurahan is None or not (address or "").strip():
            raise exceptions.LocationRequired()
        return None, None, kelurahan
    if not boundary_contains(latitude=latitude, longitude=longitude):
        raise exceptions.OutsideBoundary()
    return latitude, longitude, kelurahan or kelurahan_for(latitude=latitude, longitude=longitude)


@transaction.atomic
def complaint_create(
    *,
    actor,
    text: str,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    channel: str = Channel.APP,
    category: Category | None = None,
    address: str = "",
    photos: list | None = None,
    is_anonymous: bool = False,
    identity_visible_to_agency: bool = False,
    contact_phone: str = "",
    kelurahan: Kelurahan | None = None,
    photo_files: list | None = None,
    use_photo_location: bool = False,
    public_photos_allowed: bool = False,
    public_photos_consent_version: str | None = None,
) -> Complaint:
    """File a complaint. Refused, with nothing written, when the place is outside the city or not
    given, a photo is not the reporter's, a file is not an acceptable image, or there are too many.
    Without a category one is suggested; with enough confidence the complaint goes straight to the
    agency, else to the triage queue.

    ``actor=None``: a system channel (WhatsApp, MPP walk-in, Open311) files for someone without an
    account session; ``contact_phone`` is then required, except from an Open311 partner
    application (GeoReport v2 makes every contact field optional). The reporter is the account whose verified
    phone it is, or nobody until a citizen verifies that number (see ``complaints_link_phone``).
    Location: ``latitude``/``longitude`` inside the boundary, or ``kelurahan`` with an ``address``
    description; ``use_photo_location`` takes the EXIF GPS position of ``photo_files`` when no point
    is given. ``photo_files``: files (Django ``File``) checked and stored by the upload pipeline
    (which strips their metadata) and attached, owned by the reporter (or nobody)."""
    photos = list(photos or [])
    photo_files = list(photo_files or [])
    if public_photos_allowed:  # an outdated consent text refuses before anything is stored
        consent.consent_check(
            consent.Purpose.COMPLAINT_PUBLIC_PHOTO, public_photos_consent_version, "-"
        )
    if len(photos) + len(photo_files) > max_photos():
        raise exceptions.TooManyPhotos()
    if actor is None and (contact_phone or channel != Channel.OPEN311):
        contact_phone = _contact_phone(contact_phone)
        reporter = reporter_for_phone(contact_phone)
    elif actor is None:  # Open311 without contact: the partner application answers for it
        reporter = None
    else:
        contact_phone = _contact_phone(contact_phone) if contact_phone else ""
        reporter = actor
    latitude, longitude, kelurahan = _location(
        latitude=latitude,
        longitude=longitude,
        kelurahan=kelurahan,
        address=address,
        photo_files=photo_files,
        use_photo_location=use_photo_location,
    )
    documents = []
    for photo in photos:
        document = document_get_attachable(owner=actor, uuid=photo) if actor is not None else None
        if document is None or not document.content_type.startswith("image/"):
            raise exceptions.PhotoNotFound()
        documents.append(document)

    suggested, confidence = (None, None)
    if category is None:
        suggested, confidence = category_suggest(text=text)
    routed = category or (suggested if (confidence or 0) >= suggestion.threshold() else None)
    agency = routed.agency if routed else agency_required(COMMAND_CENTRE_AGENCY)

    complaint = Complaint(
        tracking_number=tracking_number_next(prefix=TRACKING_PREFIX),
        reporter=reporter,
        is_anonymous=is_anonymous,
        identity_visible_to_agency=identity_visible_to_agency and not is_anonymous,
        contact_phone=contact_phone,
        channel=channel,
        text=text,
        category=category,
        suggested_category=suggested,
        suggestion_confidence=Decimal(str(confidence)) if confidence is not None else None,
        agency=agency,
        latitude=latitude,
        longitude=longitude,
        kelurahan=kelurahan,
        address=address,
        public_photos_allowed=public_photos_allowed,
    )
    # The related rows are in hand (loaded or just chosen) and the uuid and tracking number are
    # fresh; the database's constraints stay the safety net: no existence or uniqueness queries.
    complaint.full_clean(
        exclude=["reporter", "category", "suggested_category", "agency", "kelurahan"],
        validate_unique=False,
        validate_constraints=False,
    )
    stored = []
    try:
        for file in photo_files:
            document = document_upload(owner=reporter, file=file, purpose="complaint_photo")
            stored.append(document)
            if not document.content_type.startswith("image/"):
                raise exceptions.PhotoNotFound()
    except BaseException:
        for document in stored:  # the rows go with the transaction; the files go here
            document.file.storage.delete(document.file.name)
        raise
    documents.extend(stored)
    complaint.save(force_insert=True)
    workflow_start(obj=complaint, actor=actor)
    for document in documents:
        document_attach(document=document, obj=complaint, agency=agency)
    if routed is not None:
        _route(complaint=complaint, category=routed, actor=None, has_supporters=False)
    if public_photos_allowed and reporter is not None:
        # The reporter's consent, per complaint (UU PDP); a reporter without an account yet
        # (WhatsApp, walk-in) has the choice on the complaint itself until they link it.
        consent.consent_record(
            user=reporter,
            purpose=consent.Purpose.COMPLAINT_PUBLIC_PHOTO,
            granted=True,
            source=_CONSENT_SOURCES.get(channel, consent.Source.OTHER),
            version=public_photos_consent_version,
            object_ref=complaint.tracking_number,
        )
    if public_photos_allowed and documents:
        transaction.on_commit(partial(_queue_public_photos, complaint.pk), robust=True)
    return complaint


_CONSENT_SOURCES = {
    Channel.APP: consent.Source.API,
    Channel.WEB: consent.Source.PORTAL,
    Channel.WHATSAPP: consent.Source.WHATSAPP,
}


@transaction.atomic
def complaint_public_photos_set(*, actor, complaint: Complaint, allowed: bool) -> int:
    """The reporter grants or withdraws public (blurred) photos of their complaint. A withdrawal
    is honoured at once (UU PDP allows 3 × 24 hours): the public copies' rows go in this
    transaction and their files right after it commits. Returns how many copies were deleted.
    Called through the consent endpoints (``accounts.consent``), which record the decision."""
    from complaints.models import PublicPhoto

    if actor is None or complaint.reporter_id != actor.pk:
        raise consent.ConsentObjectNotFound()
    complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    if complaint.public_photos_allowed != allowed:
        complaint.public_photos_allowed = allowed
        complaint.save(update_fields=["public_photos_allowed"])
    if allowed:
        transaction.on_commit(partial(_queue_public_photos, complaint.pk), robust=True)
        return 0
    photos = list(PublicPhoto.objects.filter(complaint=complaint))
    names = [photo.file.name for photo in photos if photo.file]
    PublicPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    if names:
        storage = PublicPhoto._meta.get_field("file").storage
        transaction.on_commit(partial(_delete_files, storage, names), robust=True)
    return len(photos)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        storage.delete(name)


def complaints_link_phone(*, user_id: int) -> int:
    """Give the reporter-less complaints whose contact phone is ``user_id``'s verified phone to
    that citizen: they become the reporter (and own the photos), and the complaints appear in
    their account and activity feed. Returns how many were linked."""
    from services.uploads.models import Document
    from services.workflow.deadlines import deadline_due_at

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not (user.phone and user.phone_verified and user.is_active):
        return 0
    linked = 0
    ids = list(
        Complaint.objects.filter(reporter__isnull=True, contact_phone=user.phone).values_list(
            "pk", flat=True
        )
    )
    content_type = ContentType.objects.get_for_model(Complaint)
    for pk in ids:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update(of=("self",)).get(pk=pk)
            if complaint.reporter_id is not None:
                continue
            complaint.reporter = user
            complaint.save(update_fields=["reporter"])
            if complaint.public_photos_allowed:  # the choice made on WhatsApp, now theirs
                consent.consent_record(
                    user=user,
                    purpose=consent.Purpose.COMPLAINT_PUBLIC_PHOTO,
                    granted=True,
                    source=_CONSENT_SOURCES.get(complaint.channel, consent.Source.OTHER),
                    object_ref=complaint.tracking_number,
                )
            Document.objects.filter(
                object_type=content_type, object_id=complaint.pk, owner__isnull=True
            ).update(owner=user)
            activity_sync(obj=complaint, due_at=deadline_due_at(obj=complaint))
            linked += 1
    return linked


def _queue_public_photos(complaint_id: int) -> None:
    from complaints.tasks import complaint_make_public_photos

    complaint_make_public_photos.delay(complaint_id)


def _route(*, complaint: Complaint, category: Category, actor, has_supporters=True) -> None:
    """triage + assign: the category decides the agency, whose clocks start now.
    ``has_supporters=False``: a complaint being filed, which nobody can support yet."""
    _transition(complaint=complaint, name="triage", actor=actor, supporters=has_supporters)
    _transition(
        complaint=complaint,
        name="assign",
        actor=actor,
        note=_("Handled by %(agency)s.") % {"agency": category.agency.name},
        supporters=has_supporters,
    )
    now = timezone.now()
    complaint.category = category
    complaint.agency = category.agency
    complaint.response_due_at = add_working_time(
        start=complaint.created_at, hours=category.response_hours, agency=category.agency
    )
    deadline = deadline_start(
        obj=complaint, agency=category.agency, days=category.resolution_days, now=now
    )
    complaint.resolution_due_at = deadline.due_at
    complaint.save(update_fields=["category", "agency", "response_due_at", "resolution_due_at"])


def _transition(
    *, complaint: Complaint, name: str, actor, note: str = "", internal=False, supporters=True
):
    """Perform one transition and tell the supporters too (the kit tells the reporter);
    ``supporters=False`` when there can be none (two queries per transition saved)."""
    history = transition_perform(
        obj=complaint, name=name, actor=actor, note=note, is_internal=internal
    )
    if name in FIELD_RESPONSE and complaint.responded_at is None:
        complaint.responded_at = history.at
        complaint.save(update_fields=["responded_at"])
    if not internal and supporters:
        transaction.on_commit(
            partial(_notify_supporters, complaint.pk, history.pk, str(history.note)), robust=True
        )
    return history


def _notify_supporters(complaint_id: int, history_id: int, note: str) -> None:
    complaint = Complaint.objects.select_related("category").get(pk=complaint_id)
    for supporter in Supporter.objects.filter(complaint=complaint).select_related("user"):
        notify(
            recipient=supporter.user,
            event="status_changed",
            key=f"pengaduan:{complaint.uuid}:history:{history_id}:supporter",
            context={
                "tracking_number": complaint.tracking_number,
                "title": complaint.get_activity_title(),
                "state_label": complaint.get_state_label(),
                "note": note,
                "app_link": f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/",
                "portal_link": "",
            },
            obj=complaint,
        )


# --- handling -----------------------------------------------------------------------------------


def _locked(complaint: Complaint) -> Complaint:
    # of=("self",): PostgreSQL cannot lock the nullable side (category) of an outer join.
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("category", "agency")
        .get(pk=complaint.pk)
    )


@transaction.atomic
def complaint_triage(*, actor, complaint: Complaint, category: Category) -> Complaint:
    """The command centre sets the category of a complaint in its queue; it goes to the agency."""
    complaint = _locked(complaint)
    if not category.is_active:
        raise exceptions.CategoryNotFound()
    _route(complaint=complaint, category=category, actor=actor)
    return complaint


@transaction.atomic
def complaint_reroute(
    *, actor, complaint: Complaint, note: str, agency: Agency | None = None, outside_body=None
) -> Complaint:
    """ "Not ours": staff of the handling agency (or the command centre) name who must act — a
    city ``agency`` or an ``outside_body`` (PLN, PDAM, BPJS, Polri, the province). The complaint
    moves with its history and clock, and the reporter is told who has it now. An outside body
    gets the complaint by e-mail; the command centre follows it up and records its answer
    (:func:`complaint_record_outside_answer`).

    The command centre is not staff of every agency, so it acts through the system actor and the
    note names who re-routed it."""
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise exceptions.NoteRequired()
    if (agency is None) == (outside_body is None):
        raise exceptions.AgencyNotFound(
            _("Name the city agency or the outside body that must act (one of them).")
        )
    if agency is not None and not agency.is_active:
        raise exceptions.AgencyNotFound()
    if outside_body is not None and not outside_body.is_active:
        raise exceptions.OutsideBodyNotFound()
    acting = actor
    if (
        is_command_centre(actor)
        and not AgencyMembership.objects.filter(user=actor, agency=complaint.agency).exists()
    ):
        acting = None
        label = _("command centre")
        note = f"{note} ({label}: {actor.full_name})"
    if outside_body is not None:
        agency = agency_required(COMMAND_CENTRE_AGENCY)  # follows the outside body up
        message = _(
            "Now handled by %(body)s (outside the city government); the command centre follows "
            "it up."
        ) % {"body": outside_body.name}
    else:
        message = _("Now handled by %(agency)s.") % {"agency": agency.name}
    _transition(complaint=complaint, name="reroute", actor=acting, note=f"{note} {message}")
    complaint.agency = agency
    complaint.outside_body = outside_body
    complaint.outside_sent_at = timezone.now() if outside_body is not None else None
    complaint.outside_answer = ""
    complaint.outside_answered_at = None
    complaint.save(
        update_fields=[
            "agency",
            "outside_body",
            "outside_sent_at",
            "outside_answer",
            "outside_answered_at",
        ]
    )
    days = complaint.category.resolution_days if complaint.category_id else 10
    deadline_start(obj=complaint, agency=agency, days=days)
    if outside_body is not None and outside_body.email:
        transaction.on_commit(partial(_send_to_outside_body, complaint.pk), robust=True)
    return complaint


def _send_to_outside_body(complaint_id: int) -> None:
    """E-mail the complaint to the outside body (no reporter identity or phone: the command
    centre relays). Sent through Django's mail backend (the console in development)."""
    from django.core.mail import send_mail
    from django.utils import translation

    from complaints.selectors import public_text

    complaint = Complaint.objects.select_related("category", "kelurahan", "outside_body").get(
        pk=complaint_id
    )
    body = complaint.outside_body
    if body is None or not body.email:
        return
    with translation.override("id"):
        place = ", ".join(
            part
            for part in (
                complaint.address,
                complaint.kelurahan.name if complaint.kelurahan_id else "",
                f"{complaint.latitude}, {complaint.longitude}" if complaint.latitude else "",
            )
            if part
        )
        number_label = _("Tracking number")
        category_label = _("Category")
        place_label = _("Location")
        subject_text = _("Complaint from a citizen of Balikpapan")
        lines = [
            str(_("A complaint for %(body)s from the Balikpapan Untuk Warga channel."))
            % {"body": body.name},
            "",
            f"{number_label}: {complaint.tracking_number}",
            f"{category_label}: {complaint.get_activity_title()}",
            f"{place_label}: {place}",
            "",
            public_text(complaint.text),
            "",
            str(_("Please send your answer to the Balikpapan command centre (Diskominfo).")),
        ]
        subject = f"[{complaint.tracking_number}] {subject_text}"
    send_mail(subject, "\n".join(lines), None, [body.email])


@transaction.atomic
def complaint_record_outside_answer(
    *, actor, complaint: Complaint, answer: str, resolve: bool = False
) -> Complaint:
    """The command centre records the outside body's answer. ``resolve``: the answer closes the
    matter and becomes the public resolution note (no "after" photo: the city did no field
    work); otherwise the complaint is in progress and the reporter is told the answer."""
    if not is_command_centre(actor):
        raise exceptions.NotCommandCentre()
    complaint = _locked(complaint)
    if complaint.outside_body_id is None:
        raise exceptions.NotForOutsideBody()
    answer = (answer or "").strip()
    if not answer:
        raise exceptions.NoteRequired()
    body = OutsideBody.objects.get(pk=complaint.outside_body_id)
    complaint.outside_answer = answer
    complaint.outside_answered_at = timezone.now()
    complaint.save(update_fields=["outside_answer", "outside_answered_at"])
    note = _("Answer from %(body)s: %(answer)s") % {"body": body.short_name, "answer": answer}
    if resolve:
        _transition(complaint=complaint, name="resolve", actor=actor, note=note)
        complaint.public_note = str(note)
        complaint.resolved_at = timezone.now()
        complaint.save(update_fields=["public_note", "resolved_at"])
        deadline_stop(obj=complaint)
    elif complaint.state == State.ASSIGNED:
        _transition(complaint=complaint, name="start", actor=actor, note=note)
    else:
        transaction.on_commit(
            partial(_notify_reporter, complaint.pk, "outside-answer", str(note)), robust=True
        )
    return complaint


def _notify_reporter(complaint_id: int, key: str, note: str) -> None:
    complaint = Complaint.objects.select_related("category", "reporter").get(pk=complaint_id)
    app_link, portal_link = complaint.get_links()
    recipients = [complaint.reporter] if complaint.reporter_id else []
    recipients += [s.user for s in complaint.supporters.select_related("user")]
    for recipient in recipients:
        notify(
            recipient=recipient,
            event="status_changed",
            key=f"pengaduan:{complaint.uuid}:{key}:{complaint.outside_answered_at:%s}:{recipient.pk}",
            context={
                "tracking_number": complaint.tracking_number,
                "title": complaint.get_activity_title(),
                "state_label": complaint.get_state_label(),
                "note": note,
                "app_link": app_link,
                "portal_link": portal_link,
            },
            obj=complaint,
        )


# --- internal notes -----------------------------------------------------------------------------


def may_handle(*, user, complaint: Complaint) -> bool:
    """Staff of the handling agency, or the command centre."""
    if user is None or not user.is_authenticated or not user.is_staff:
        return False
    return is_command_centre(user) or is_staff_of(user, complaint.agency_id)


@transaction.atomic
def internal_note_add(*, actor, complaint: Complaint, text: str) -> InternalNote:
    """A note for staff only: it never reaches the reporter, supporters or public output."""
    if not may_handle(user=actor, complaint=complaint):
        raise exceptions.NotHandlingStaff()
    text = (text or "").strip()
    if not text:
        raise exceptions.NoteRequired()
    return InternalNote.objects.create(
        complaint=complaint, author=actor, agency_id=complaint.agency_id, text=text
    )


@transaction.atomic
def complaint_start(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    complaint = _locked(complaint)
    _transition(complaint=complaint, name="start", actor=actor, note=note)
    return complaint


@transaction.atomic
def complaint_ask_information(*, actor, complaint: Complaint, note: str) -> Complaint:
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise exceptions.NoteRequired()
    _transition(complaint=complaint, name="ask_information", actor=actor, note=note)
    return complaint


@transaction.atomic
def complaint_provide_information(*, actor, complaint: Complaint, note: str) -> Complaint:
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise exceptions.NoteRequired()
    _transition(complaint=complaint, name="provide_information", actor=actor, note=note)
    return complaint


@transaction.atomic
def complaint_resolve(
    *, actor, complaint: Complaint, public_note: str, after_photo=None
) -> Complaint:
    """Resolve with a public note; field categories need an "after" photo (the staff member's
    upload). The reporter then has ``COMPLAINT_REOPEN_DAYS`` to confirm or reopen."""
    complaint = _locked(complaint)
    if not (public_note or "").strip():
        raise exceptions.NoteRequired()
    document = None
    if after_photo is not None:
        document = document_get_attachable(owner=actor, uuid=after_photo)
        if document is None or not document.content_type.startswith("image/"):
            raise exceptions.PhotoNotFound()
    elif complaint.category_id and complaint.category.is_field:
        raise exceptions.AfterPhotoRequired()
    _transition(complaint=complaint, name="resolve", actor=actor, note=public_note)
    complaint.public_note = public_note.strip()
    complaint.resolved_at = timezone.now()
    complaint.save(update_fields=["public_note", "resolved_at"])
    deadline_stop(obj=complaint)
    if document is not None:
        document_attach(document=document, obj=complaint, agency=complaint.agency)
    return complaint


@transaction.atomic
def complaint_reopen(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    """ "Not fixed": the reporter or a supporter reopens within the confirmation window; the
    resolution clock and the SLA escalation restart. A supporter is not the owner, so the system
    performs the transition and the note says a supporter asked."""
    complaint = _locked(complaint)
    acting = actor
    if actor is not None and complaint.reporter_id != actor.pk:
        if not Supporter.objects.filter(complaint=complaint, user=actor).exists():
            raise TransitionNotAllowed()
        acting = None
        label = _("reported not fixed by a supporter")
        note = f"{note} ({label})".strip()
    if (
        complaint.state == State.RESOLVED
        and complaint.resolved_at is not None
        and timezone.now() > complaint.resolved_at + dt.timedelta(days=reopen_days())
    ):
        raise exceptions.ReopenWindowPassed()
    _transition(complaint=complaint, name="reopen", actor=acting, note=note)
    days = complaint.category.resolution_days if complaint.category_id else 10
    deadline = deadline_start(obj=complaint, agency=complaint.agency, days=days)
    complaint.resolved_at = None
    complaint.resolution_due_at = deadline.due_at
    complaint.is_breached = False
    complaint.save(update_fields=["resolved_at", "resolution_due_at", "is_breached"])
    return complaint


@transaction.atomic
def complaint_close(*, actor, complaint: Complaint) -> Complaint:
    complaint = _locked(complaint)
    _transition(complaint=complaint, name="close", actor=actor)
    return complaint


@transaction.atomic
def complaint_reject(*, actor, complaint: Complaint, note: str) -> Complaint:
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise exceptions.NoteRequired()
    _transition(complaint=complaint, name="reject", actor=actor, note=note)
    return complaint


@transaction.atomic
def complaint_rate(*, actor, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    complaint = _locked(complaint)
    if (
        complaint.reporter_id != actor.pk
        or complaint.state not in (State.RESOLVED, State.CLOSED)
        or complaint.rating is not None
    ):
        raise exceptions.NotRateable()
    complaint.rating = rating
    complaint.rating_comment = comment
    complaint.full_clean()
    complaint.save(update_fields=["rating", "rating_comment"])
    return complaint


# --- duplicates ---------------------------------------------------------------------------------


@transaction.atomic
def complaint_support(*, actor, complaint: Complaint) -> Supporter:
    """Support an open complaint instead of filing the same one again."""
    if complaint.reporter_id == actor.pk:
        raise exceptions.CannotSupportOwn()
    try:
        with transaction.atomic():
            return Supporter.objects.create(complaint=complaint, user=actor)
    except IntegrityError:
        raise exceptions.AlreadySupported() from None


@transaction.atomic
def complaint_merge(*, actor, complaint: Complaint, into: Complaint) -> Complaint:
    """Merge ``complaint`` into the open complaint ``into``: it becomes a duplicate, its reporter
    and supporters support the original, and they are told which complaint to follow."""
    complaint = _locked(complaint)
    if into.pk == complaint.pk or into.state not in (
        State.RECEIVED,
        State.TRIAGED,
        State.ASSIGNED,
        State.IN_PROGRESS,
        State.NEEDS_INFORMATION,
    ):
        raise exceptions.MergeIntoItself()
    _transition(
        complaint=complaint,
        name="mark_duplicate",
        actor=actor,
        note=_("Merged into %(number)s.") % {"number": into.tracking_number},
    )
    complaint.duplicate_of = into
    complaint.save(update_fields=["duplicate_of"])
    users = [complaint.reporter_id, *complaint.supporters.values_list("user_id", flat=True)]
    existing = set(into.supporters.values_list("user_id", flat=True)) | {into.reporter_id}
    Supporter.objects.bulk_create(
        [
            Supporter(complaint=into, user_id=u)
            for u in dict.fromkeys(users)
            if u is not None and u not in existing
        ]
    )
    transaction.on_commit(partial(_notify_merged, complaint.pk, into.pk), robust=True)
    return complaint


def _notify_merged(duplicate_id: int, original_id: int) -> None:
    original = Complaint.objects.get(pk=original_id)
    for supporter in Supporter.objects.filter(complaint=original).select_related("user"):
        notify(
            recipient=supporter.user,
            event="status_changed",
            key=f"pengaduan:{original.uuid}:merged:{duplicate_id}",
            context={
                "tracking_number": original.tracking_number,
                "title": original.get_activity_title(),
                "state_label": original.get_state_label(),
                "note": str(_("Your report was merged with this complaint; follow it here.")),
                "app_link": f"/api/v1/pengaduan/public/complaints/{original.tracking_number}/",
                "portal_link": "",
            },
            obj=original,
        )


# --- SLA ----------------------------------------------------------------------------------------


def complaints_mark_breached(*, now: dt.datetime | None = None) -> int:
    """Mark open complaints past their resolution time, notify the agency's admins and escalate
    to the command centre (idempotent: a complaint is marked once, notifications keyed)."""
    now = now or timezone.now()
    open_states = [State.TRIAGED, State.ASSIGNED, State.IN_PROGRESS]
    ids = list(
        Complaint.objects.filter(
            state__in=open_states, is_breached=False, resolution_due_at__lt=now
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        with transaction.atomic():
            complaint = Complaint.objects.select_for_update().select_related("agency").get(pk=pk)
            if complaint.is_breached or complaint.state not in open_states:
                continue
            complaint.is_breached = True
            complaint.save(update_fields=["is_breached"])
            recipients = AgencyMembership.objects.filter(
                role=AgencyMembership.Role.AGENCY_ADMIN, agency=complaint.agency
            ) | AgencyMembership.objects.filter(role=AgencyMembership.Role.COMMAND_CENTRE)
            for membership in recipients.select_related("user").distinct():
                notify(
                    recipient=membership.user,
                    event="reminder",
                    topic="reminder",
                    key=f"pengaduan:{complaint.uuid}:breach:{complaint.resolution_due_at:%s}",
                    context={
                        "title": complaint.tracking_number,
                        "message": str(
                            _("Complaint %(number)s is past its resolution time (%(agency)s).")
                            % {
                                "number": complaint.tracking_number,
                                "agency": complaint.agency.short_name,
                            }
                        ),
                        "app_link": "",
                        "portal_link": "",
                    },
                    obj=complaint,
                    urgent=True,
                )
    return len(ids)


def complaints_close_confirmed(*, now: dt.datetime | None = None) -> int:
    """Close resolved complaints whose confirmation window passed without a "not fixed"."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=reopen_days())
    ids = Complaint.objects.filter(state=State.RESOLVED, resolved_at__lt=limit).values_list(
        "pk", flat=True
    )
    closed = 0
    for pk in list(ids):
        complaint = Complaint.objects.get(pk=pk)
        complaint_close(actor=None, complaint=complaint)
        closed += 1
    return closed


# --- public photos ------------------------------------------------------------------------------


def complaints_queue_missing_public_photos(*, now: dt.datetime | None = None) -> int:
    """Beat: queue again the blurring of complaints filed in the last two days whose reporter
    allowed public photos, that carry a photo and have no public copy yet (the task queued at
    filing is lost when the broker was down at that moment). Idempotent; returns how many."""
    from services.uploads.models import Document

    now = now or timezone.now()
    photos = Document.objects.filter(
        object_type=ContentType.objects.get_for_model(Complaint),
        object_id=OuterRef("pk"),
        content_type__startswith="image/",
    )
    ids = list(
        Complaint.objects.filter(
            public_photos_allowed=True,
            created_at__gte=now - dt.timedelta(days=2),
            created_at__lte=now - dt.timedelta(minutes=5),
        )
        .filter(Exists(photos))
        .exclude(public_photos__isnull=False)
        .values_list("pk", flat=True)[:500]
    )
    for complaint_id in ids:
        _queue_public_photos(complaint_id)
    return len(ids)


def complaint_make_public_photos(*, complaint_id: int) -> int:
    """Make the blurred public copy of each photo the reporter attached, when they allowed public
    photos (idempotent: a photo that has its copy is skipped). Returns how many were made. Runs
    on the ``images`` queue; a photo is copied only once it is processed (re-encoded without its
    EXIF data, see :func:`services.uploads.services.document_process`)."""
    from django.core.files.base import ContentFile

    from complaints import blur
    from complaints.models import PublicPhoto
    from services.uploads.selectors import document_list_for_object

    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.public_photos_allowed:
        return 0
    done = set(complaint.public_photos.values_list("source_id", flat=True))
    made = 0
    for document in document_list_for_object(obj=complaint).filter(
        content_type__startswith="image/"
    ):
        if document.pk in done or document.owner_id not in (None, complaint.reporter_id):
            continue  # staff's "after" photos are not the reporter's to publish
        if not document.is_processed:
            # Its own task (images queue) has not run yet: clean it here, never blur an original
            # that still carries its EXIF data. One that cannot be cleaned is never made public.
            document_process(document_id=document.pk)
            document.refresh_from_db(fields=["file", "is_processed"])
            if not document.is_processed:
                continue
        with document.file.open("rb") as handle:
            content, faces, plates = blur.redacted_jpeg(handle.read())
        photo = PublicPhoto(complaint=complaint, source=document, faces=faces, plates=plates)
        photo.file.save(
            f"complaints/public/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.jpg",
            ContentFile(content),
            save=False,
        )
        try:
            with transaction.atomic():
                photo.save(force_insert=True)
        except IntegrityError:  # made meanwhile by another run
            photo.file.storage.delete(photo.file.name)
            continue
        made += 1
    return made

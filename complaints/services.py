"""Writes. Every interface (API, portal, admin, tasks) calls these keyword-only functions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AgencyMembership
from complaints import exceptions, geo, suggestion
from complaints.models import Boundary, Category, Channel, Complaint, Supporter
from complaints.workflow import State
from services.models import Agency, Kelurahan
from services.notifications import notify
from services.uploads.selectors import document_get_attachable
from services.uploads.services import document_attach
from services.workflow import (
    add_working_time,
    deadline_start,
    deadline_stop,
    tracking_number_next,
    transition_perform,
    workflow_start,
)

TRACKING_PREFIX = "ADU"
COMMAND_CENTRE_AGENCY = "diskominfo"
FIELD_RESPONSE = ("start", "ask_information", "resolve", "reject", "reroute", "mark_duplicate")


def max_photos() -> int:
    return int(getattr(settings, "COMPLAINT_MAX_PHOTOS", 5))


def reopen_days() -> int:
    return int(getattr(settings, "COMPLAINT_REOPEN_DAYS", 7))


def is_command_centre(user) -> bool:
    """One query: does ``user`` hold the command-centre role (Diskominfo's triage desk)?"""
    if user is None or not user.is_active or not user.is_staff:
        return False
    return AgencyMembership.objects.filter(
        user=user, role=AgencyMembership.Role.COMMAND_CENTRE
    ).exists()


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
    categories = list(Category.objects.filter(is_active=True).exclude(keywords=[]))
    result = suggestion.suggest(text, {c.code: c.keywords for c in categories})
    by_code = {c.code: c for c in categories}
    return by_code.get(result.category_code), result.confidence


# --- intake -------------------------------------------------------------------------------------


@transaction.atomic
def complaint_create(
    *,
    actor,
    text: str,
    latitude: Decimal,
    longitude: Decimal,
    channel: str = Channel.APP,
    category: Category | None = None,
    address: str = "",
    photos: list | None = None,
    is_anonymous: bool = False,
    identity_visible_to_agency: bool = False,
    contact_phone: str = "",
) -> Complaint:
    """File a complaint. Refused, with nothing written, when the place is outside the city, a
    photo is not the reporter's or there are too many. Without a category one is suggested; with
    enough confidence the complaint goes straight to the agency, else to the triage queue."""
    photos = list(photos or [])
    if len(photos) > max_photos():
        raise exceptions.TooManyPhotos()
    if not boundary_contains(latitude=latitude, longitude=longitude):
        raise exceptions.OutsideBoundary()
    documents = []
    for photo in photos:
        document = document_get_attachable(owner=actor, uuid=photo)
        if document is None or not document.content_type.startswith("image/"):
            raise exceptions.PhotoNotFound()
        documents.append(document)

    suggested, confidence = (None, None)
    if category is None:
        suggested, confidence = category_suggest(text=text)
    routed = category or (suggested if (confidence or 0) >= suggestion.threshold() else None)
    agency = routed.agency if routed else Agency.objects.get(code=COMMAND_CENTRE_AGENCY)

    complaint = Complaint(
        tracking_number=tracking_number_next(prefix=TRACKING_PREFIX),
        reporter=actor,
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
        kelurahan=kelurahan_for(latitude=latitude, longitude=longitude),
        address=address,
    )
    complaint.full_clean()
    complaint.save(force_insert=True)
    workflow_start(obj=complaint, actor=actor)
    for document in documents:
        document_attach(document=document, obj=complaint, agency=agency)
    if routed is not None:
        _route(complaint=complaint, category=routed, actor=None)
    return complaint


def _route(*, complaint: Complaint, category: Category, actor) -> None:
    """triage + assign: the category decides the agency, whose clocks start now."""
    _transition(complaint=complaint, name="triage", actor=actor)
    _transition(
        complaint=complaint,
        name="assign",
        actor=actor,
        note=_("Handled by %(agency)s.") % {"agency": category.agency.name},
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


def _transition(*, complaint: Complaint, name: str, actor, note: str = "", internal=False):
    """Perform one transition and tell the supporters too (the kit tells the reporter)."""
    history = transition_perform(
        obj=complaint, name=name, actor=actor, note=note, is_internal=internal
    )
    if name in FIELD_RESPONSE and complaint.responded_at is None:
        complaint.responded_at = history.at
        complaint.save(update_fields=["responded_at"])
    if not internal:
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
def complaint_reroute(*, actor, complaint: Complaint, agency: Agency, note: str) -> Complaint:
    """ "Not ours": staff of the handling agency (or the command centre) name the right agency;
    the complaint moves with its history, and the reporter is told who has it now.

    The command centre is not staff of every agency, so it acts through the system actor and the
    note names who re-routed it."""
    complaint = _locked(complaint)
    if not (note or "").strip():
        raise exceptions.NoteRequired()
    if not agency.is_active:
        raise exceptions.AgencyNotFound()
    acting = actor
    if (
        is_command_centre(actor)
        and not AgencyMembership.objects.filter(user=actor, agency=complaint.agency).exists()
    ):
        acting = None
        label = _("command centre")
        note = f"{note} ({label}: {actor.full_name})"
    message = _("Now handled by %(agency)s.") % {"agency": agency.name}
    _transition(complaint=complaint, name="reroute", actor=acting, note=f"{note} {message}")
    complaint.agency = agency
    complaint.save(update_fields=["agency"])
    days = complaint.category.resolution_days if complaint.category_id else 10
    deadline_start(obj=complaint, agency=agency, days=days)
    return complaint


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
    """ "Not fixed": the reporter reopens within the window; the resolution clock restarts."""
    complaint = _locked(complaint)
    if (
        complaint.state == State.RESOLVED
        and complaint.resolved_at is not None
        and timezone.now() > complaint.resolved_at + dt.timedelta(days=reopen_days())
    ):
        raise exceptions.ReopenWindowPassed()
    _transition(complaint=complaint, name="reopen", actor=actor, note=note)
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
        [Supporter(complaint=into, user_id=u) for u in dict.fromkeys(users) if u not in existing]
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

"""Writes of the health module. Every interface (API, portal, admin, tasks) calls these.

Queue numbers: a booking locks its session row (``SELECT … FOR UPDATE``; on SQLite, which
serialises writers, the lock is a no-op and the write transaction does the same), checks the
window, the quota and the person, then takes ``last_number + 1``. ``UNIQUE(session, number)``
and one non-cancelled ticket per person and session are the safety net. Every write that touches a
session and a ticket locks the session first, then the ticket, so two writers never deadlock.

Once a session is full, the rest of the morning rush is refused from a cached "full" marker
(``booking_refused_early``) without touching the database; the database still decides every
booking that gets past it (see "The full marker" below).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import uuid as uuid_module
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.households import may_act_for, proxy_action_record
from balikpapan_untuk_warga.cache import LocalCopies
from health import conf
from health.exceptions import (
    AlreadyBooked,
    AlreadyCheckedIn,
    CancelTooLate,
    NotAllowedForPerson,
    OutsideBookingWindow,
    PlanNoSlot,
    PlanNothingToReplan,
    PlanOutOfOrder,
    QueueEmpty,
    QuotaBelowBooked,
    QuotaFull,
    SessionNotOpen,
)
from health.models import Closure, Schedule, Session, SessionChange, Ticket, VisitPlan
from health.selectors import durations_cache_key
from health.workflow import TICKET_WORKFLOW, TicketState
from services.workflow import transition_perform, workflow_start
from services.workflow.calendar import time_zone
from services.workflow.exceptions import InvalidTransition, TransitionNotAllowed
from services.workflow.models import Holiday, StatusHistory
from services.workflow.selectors import actor_standing_for

SERVICE_CODE = "antrean_puskesmas"

logger = logging.getLogger(__name__)


def now_serving_cache_key(session_uuid) -> str:
    return f"health:now-serving:{session_uuid}"


# This process's copies of "now serving" answers read from the shared cache, by session uuid.
# A session's display and its patients' phones poll the same answer many times a second; within
# HEALTH_NOW_SERVING_LOCAL_SECONDS (1 s, under the answer's advertised max-age of 5) each process
# answers from its copy without a round trip.
now_serving_local = LocalCopies("HEALTH_NOW_SERVING_LOCAL_SECONDS")


def _invalidate(session: Session) -> None:
    key = now_serving_cache_key(session.uuid)

    def drop():
        cache.delete(key)
        now_serving_local.forget(str(session.uuid))  # this process sees its change at once

    transaction.on_commit(drop)


# --- the full marker ------------------------------------------------------------------------------
# Most of a morning rush arrives once the session is full. A refusal found in the database leaves
# a marker in the cache, and the next requests are refused from it without a query. The marker
# holds the session's *generation*, a random token that every write which may reopen a place (a
# cancellation, a quota change, a change of state) replaces after its commit; a marker counts only
# while it equals the current generation. The generation is read before the database read that
# found the session full, so a marker written from a read that a concurrent cancellation has since
# overtaken is void from the start. The database decides every booking that gets past the marker;
# a lost or flushed cache only costs the refusals their query again.

# A marker's life is short on purpose: it bounds the harm of a reopening whose cache write was
# lost (or of a per-process cache behind several workers), at one database refusal a minute.
FULL_MARKER_SECONDS = 60
GENERATION_SECONDS = 2 * 24 * 3600  # longer than a session is bookable on its day


def _marker_keys(session_uuid) -> tuple[str, str]:
    return f"health:full:{session_uuid}", f"health:generation:{session_uuid}"


def _generation(session_uuid) -> str | None:
    """The session's current generation, started if it has none (``None``: no cache)."""
    _full, key = _marker_keys(session_uuid)
    try:
        generation = cache.get(key)
        if generation is None:
            cache.add(key, uuid_module.uuid4().hex, GENERATION_SECONDS)
            generation = cache.get(key)
    except Exception:  # the cache is an optimisation: without it every refusal asks the database
        logger.warning("Cache unavailable: no full marker for a session", exc_info=True)
        return None
    return generation


def _mark_full(session_uuid, generation: str | None) -> None:
    if generation is None:
        return
    full, _key = _marker_keys(session_uuid)
    try:
        cache.set(full, generation, FULL_MARKER_SECONDS)
    except Exception:
        logger.warning("Cache unavailable: no full marker for a session", exc_info=True)


def _reopen(session: Session) -> None:
    """After commit: a new generation voids the session's full marker (a place may be free)."""
    _full, key = _marker_keys(session.uuid)
    transaction.on_commit(
        partial(cache.set, key, uuid_module.uuid4().hex, GENERATION_SECONDS), robust=True
    )


def booking_refused_early(*, session_uuid) -> None:
    """``QuotaFull`` if the session's current full marker says so (one cache round trip, no
    query); otherwise nothing, and ``ticket_book`` decides. Callers call it before loading the
    session, so that a full session's refusals never reach the database."""
    try:
        values = cache.get_many(_marker_keys(session_uuid))
    except Exception:
        logger.warning("Cache unavailable: booking without the full marker", exc_info=True)
        return
    full, key = _marker_keys(session_uuid)
    if values.get(full) is not None and values.get(full) == values.get(key):
        raise QuotaFull()


def _lock(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("service_point").get(pk=session.pk)


def require_staff_of(*, actor, session: Session) -> None:
    """403 unless ``actor`` is active staff of the session's handling agency."""
    from accounts.models import AgencyMembership

    if not (
        actor is not None
        and actor.is_active
        and actor.is_staff
        and AgencyMembership.objects.filter(
            user=actor, agency_id=session.service_point.agency_id
        ).exists()
    ):
        raise TransitionNotAllowed()


def _change_record(*, session, field, from_value, to_value, reason, actor, at) -> SessionChange:
    return SessionChange.objects.create(
        session=session,
        field=field,
        from_value=str(from_value),
        to_value=str(to_value),
        reason=reason,
        actor=actor,
        at=at,
    )


# --- sessions -------------------------------------------------------------------------------------


def _closed_days(first: dt.date, last: dt.date):
    """{date: [(agency_id or None)]} of holidays, and {(facility_id, point_id|None, date)} of
    closures between ``first`` and ``last`` (two queries)."""
    holidays: dict[dt.date, set] = {}
    for date, agency_id in Holiday.objects.filter(
        date__range=(first, last), is_active=True
    ).values_list("date", "agency_id"):
        holidays.setdefault(date, set()).add(agency_id)
    closures = set(
        Closure.objects.filter(date__range=(first, last)).values_list(
            "facility_id", "service_point_id", "date"
        )
    )
    return holidays, closures


@transaction.atomic
def sessions_materialise(*, today: dt.date | None = None, days: int | None = None) -> int:
    """Create the sessions of the next ``days`` days (today included) from the active weekly
    schedules, skipping holidays and closures. Idempotent: existing sessions are left alone.
    Returns the number created."""
    tz = time_zone()
    today = today or timezone.localdate(timezone=tz)
    days = conf.materialise_days() if days is None else days
    last = today + dt.timedelta(days=days - 1)
    holidays, closures = _closed_days(today, last)
    schedules = list(
        Schedule.objects.filter(
            is_active=True, service_point__is_active=True, service_point__facility__is_active=True
        ).select_related("service_point__facility")
    )
    existing = set(
        Session.objects.filter(date__range=(today, last)).values_list(
            "service_point_id", "starts_at"
        )
    )
    now = timezone.now()
    created = 0
    for offset in range(days):
        day = today + dt.timedelta(days=offset)
        for schedule in schedules:
            if schedule.weekday != day.weekday():
                continue
            point = schedule.service_point
            closed_for = holidays.get(day, set())
            if None in closed_for or point.agency_id in closed_for:
                continue
            if (point.facility_id, None, day) in closures or (
                point.facility_id,
                point.pk,
                day,
            ) in closures:
                continue
            starts_at = dt.datetime.combine(day, schedule.starts_at, tzinfo=tz)
            if (point.pk, starts_at) in existing:
                continue
            session = Session.objects.create(
                service_point=point,
                schedule=schedule,
                doctor_id=schedule.doctor_id,
                date=day,
                starts_at=starts_at,
                ends_at=dt.datetime.combine(day, schedule.ends_at, tzinfo=tz),
                quota=schedule.quota,
            )
            existing.add((point.pk, starts_at))
            _change_record(
                session=session,
                field=SessionChange.Field.CREATED,
                from_value="",
                to_value=schedule.quota,
                reason="weekly schedule",
                actor=None,
                at=now,
            )
            created += 1
    return created


@transaction.atomic
def session_quota_change(*, actor, session: Session, quota: int, reason: str) -> Session:
    """Change the quota (recorded with who, when, from, to and why). Never below places taken."""
    require_staff_of(actor=actor, session=session)
    locked = _lock(session)
    if quota < locked.taken_count:
        raise QuotaBelowBooked()
    if quota != locked.quota:
        _change_record(
            session=locked,
            field=SessionChange.Field.QUOTA,
            from_value=locked.quota,
            to_value=quota,
            reason=reason,
            actor=actor,
            at=timezone.now(),
        )
        locked.quota = quota
        locked.save(update_fields=["quota", "updated_at"])
        _invalidate(locked)
        _reopen(locked)
    return locked


def _session_state_set(*, actor, session: Session, state: str, reason: str) -> Session:
    if session.state == state:
        return session
    _change_record(
        session=session,
        field=SessionChange.Field.STATE,
        from_value=session.state,
        to_value=state,
        reason=reason,
        actor=actor,
        at=timezone.now(),
    )
    session.state = state
    session.save(update_fields=["state", "updated_at"])
    _invalidate(session)
    _reopen(session)
    return session


@transaction.atomic
def session_close(*, actor, session: Session, reason: str) -> Session:
    """Close the session for booking and calling (tickets still waiting become no-shows)."""
    require_staff_of(actor=actor, session=session)
    locked = _lock(session)
    if locked.state != Session.State.OPEN:
        raise SessionNotOpen()
    for ticket in locked.tickets.filter(
        state__in=[TicketState.BOOKED, TicketState.CALLED]
    ).select_related("owner"):
        _transition(ticket=ticket, name="mark_no_show", actor=None, session=locked)
    return _session_state_set(
        actor=actor, session=locked, state=Session.State.CLOSED, reason=reason
    )


@transaction.atomic
def closure_create(*, actor, facility, date: dt.date, reason: str, service_point=None) -> Closure:
    """Close a facility (or one service point) on ``date``: its open sessions are cancelled and
    their tickets cancelled (the holders are notified)."""
    closure = Closure(
        facility=facility, service_point=service_point, date=date, reason=reason, created_by=actor
    )
    closure.full_clean()
    closure.save()
    sessions = Session.objects.filter(
        service_point__facility=facility, date=date, state=Session.State.OPEN
    )
    if service_point is not None:
        sessions = sessions.filter(service_point=service_point)
    for session in sessions:
        locked = _lock(session)
        for ticket in locked.tickets.filter(
            state__in=[TicketState.BOOKED, TicketState.CHECKED_IN]
        ).select_related("owner"):
            _transition(ticket=ticket, name="cancel", actor=None, session=locked, note=reason)
            ticket.cancelled_at = timezone.now()
            ticket.save(update_fields=["cancelled_at"])
        _session_state_set(
            actor=actor, session=locked, state=Session.State.CANCELLED, reason=reason
        )
    return closure


# --- tickets --------------------------------------------------------------------------------------


def booking_window_opens(session: Session) -> dt.datetime:
    return session.starts_at - dt.timedelta(days=conf.booking_window_days())


def _ticket_code(session: Session, number: int, point=None) -> str:
    point = point or session.service_point
    return f"{point.ticket_prefix}{number:03d}-{point.pk}-{session.starts_at:%Y%m%d%H%M}"


def _issue(*, locked: Session, patient_key: str, now) -> int:
    """Take the next number of a session already locked by the caller (counter-side writes)."""
    if locked.state != Session.State.OPEN:
        raise SessionNotOpen()
    if locked.taken_count >= locked.quota:
        raise QuotaFull()
    if _holds_ticket(session_id=locked.pk, patient_key=patient_key):
        raise AlreadyBooked()
    number = locked.last_number + 1
    locked.last_number = number
    locked.taken_count += 1
    locked.save(update_fields=["last_number", "taken_count", "updated_at"])
    return number


def _number_take(*, session_id: int, now: dt.datetime) -> int | None:
    """One statement: if the session is open, inside its booking window and has a place, count
    the place and return the next number; else ``None``. The updated row stays locked until the
    transaction ends, so concurrent bookings of the session queue here and nowhere else; a
    statement whose snapshot already sees the session full (or closed) matches no row and does
    not wait for the lock at all."""
    table = connection.ops.quote_name(Session._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1, "  # noqa: S608 — our table name
            "taken_count = taken_count + 1, updated_at = %s "
            "WHERE id = %s AND state = %s AND taken_count < quota "
            "AND starts_at > %s AND starts_at <= %s RETURNING last_number",
            [
                now,
                session_id,
                Session.State.OPEN,
                now,
                now + dt.timedelta(days=conf.booking_window_days()),
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _refusal(*, session: Session, now: dt.datetime) -> Exception | None:
    """Why the session takes no booking, from one unlocked read (on the refusal path only). A
    full session gets its full marker; the generation is read before the database is.
    ``None``: a place is free after all (freed since the caller read the session)."""
    generation = _generation(session.uuid)
    current = Session.objects.only("state", "starts_at", "taken_count", "quota").get(pk=session.pk)
    if current.state != Session.State.OPEN:
        return SessionNotOpen()
    if not (booking_window_opens(current) <= now < current.starts_at):
        return OutsideBookingWindow()
    if current.taken_count < current.quota:  # a place freed since the caller's read: not a refusal
        return None
    _mark_full(session.uuid, generation)
    return QuotaFull()


def ticket_book(
    *, actor, session: Session, payer: str, member=None, plan=None, plan_step=None
) -> Ticket:
    """Book a ticket for ``actor`` (or a household ``member`` they may act for).

    Inside the transaction only two statements run: the conditional ``UPDATE … RETURNING`` that
    takes the number (and locks the session row) and the ticket's ``INSERT``; the one-ticket-per-
    person constraint refuses a second active ticket of the same person (the whole transaction,
    the number included, rolls back). The status history, the activity item and the receipt are
    written after the commit, outside the lock."""
    if member is not None:
        if not may_act_for(actor=actor, subject=member, service_code=SERVICE_CODE):
            raise NotAllowedForPerson()
        patient_key = f"u:{member.user_id}" if member.user_id else f"m:{member.pk}"
        patient_name = member.full_name
    else:
        patient_key = f"u:{actor.pk}"
        patient_name = actor.full_name or actor.email or ""
    point = session.service_point  # loaded with the session by every caller's selector
    now = timezone.now()
    # The morning rush: most requests arrive once the session is full. The session was read in
    # this request a moment ago; refuse from that read without opening a transaction (a place
    # only comes back through a cancellation, and a refused citizen may retry).
    if session.state != Session.State.OPEN:
        raise SessionNotOpen()
    if not (booking_window_opens(session) <= now < session.starts_at):
        raise OutsideBookingWindow()
    if session.taken_count >= session.quota:
        # Full at the caller's read: the marker if it is set, else one read that sets it (and
        # finds the place a cancellation may have freed meanwhile).
        booking_refused_early(session_uuid=session.uuid)
        refusal = _refusal(session=session, now=now)
        if refusal is not None:
            raise refusal
    try:
        with transaction.atomic():
            number = _number_take(session_id=session.pk, now=now)
            if number is None:
                # Full (or closed) when the UPDATE ran; a place freed a moment later is for the
                # next request, as it would be had this one come a moment earlier.
                raise _refusal(session=session, now=now) or QuotaFull()
            ticket = Ticket.objects.create(
                session=session,
                number=number,
                code=_ticket_code(session, number, point=point),
                owner=actor,
                patient_member=member,
                patient_name=patient_name,
                patient_key=patient_key,
                payer=payer,
                booked_at=now,
                plan=plan,
                plan_step=plan_step,
            )
            if member is not None:
                proxy_action_record(
                    actor=actor,
                    subject=member,
                    service_code=SERVICE_CODE,
                    description=f"Queue ticket {ticket.code}",
                )
            _invalidate(session)
            transaction.on_commit(partial(_booking_record_queue, ticket_id=ticket.pk), robust=True)
    except IntegrityError as exc:
        # The person's other active ticket in this session (perhaps booked this very instant).
        # Anything else (a duplicate number) would be a bug of the numbering: let it surface.
        if _holds_ticket(session_id=session.pk, patient_key=patient_key):
            raise AlreadyBooked() from exc
        raise
    return ticket


def _holds_ticket(*, session_id: int, patient_key: str) -> bool:
    return (
        Ticket.objects.filter(session_id=session_id, patient_key=patient_key)
        .exclude(state=TicketState.CANCELLED)
        .exists()
    )


def _booking_record_queue(*, ticket_id: int) -> None:
    """After commit: queue what a booking leaves besides the ticket, so that the rush's worker
    answers without it; the request does it itself only when the broker is down."""
    from health.tasks import record_booking

    try:
        record_booking.delay(ticket_id)
    except KombuOperationalError:
        logger.warning("Broker unavailable; recording the booking in the request")
        ticket_booking_record(ticket_id=ticket_id)


@transaction.atomic
def ticket_booking_record(*, ticket_id: int) -> None:
    """The first status-history row, the owner's activity item and the receipt of a booked
    ticket (a task queued on commit), in one transaction (one commit to wait for, not two).
    Idempotent: a retry adds no second history row or receipt. A ticket already cancelled when
    this runs keeps its receipt but gets no "create" row (the workflow starts only from the
    initial state)."""
    ticket = (
        Ticket.objects.select_related(
            "session__service_point__facility", "session__service_point__agency", "owner"
        )
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None:
        return
    started = StatusHistory.objects.filter(
        content_type=ContentType.objects.get_for_model(Ticket),
        object_id=ticket.pk,
        transition="create",
    ).exists()
    if not started and ticket.state == TICKET_WORKFLOW.initial:
        workflow_start(obj=ticket, actor=ticket.owner)
    ticket_receipt_issue(ticket=ticket)


def ticket_receipt_issue(*, ticket: Ticket):
    """The signed receipt of the booking (a QR to the public verification page). Its public title
    names the facility only, never the polyclinic (no health information)."""
    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    point = ticket.session.service_point
    return receipt_issue(
        obj=ticket,
        owner=ticket.owner,
        kind=Receipt.Kind.TICKET_BOOKED,
        issuer=point.agency,
        tracking_number=ticket.code,
        title=f"Nomor antrean {point.facility.name}",
        subject_name=ticket.patient_name if ticket.patient_member_id else None,
    )


@transaction.atomic
def ticket_walk_in(*, actor, session: Session, patient_name: str, payer: str) -> Ticket:
    """A ticket issued at the counter, sharing the session's numbering and quota."""
    require_staff_of(actor=actor, session=session)
    locked = _lock(session)
    now = timezone.now()
    patient_key = f"w:{uuid_module.uuid4().hex}"
    number = _issue(locked=locked, patient_key=patient_key, now=now)
    ticket = Ticket.objects.create(
        session=locked,
        number=number,
        code=_ticket_code(locked, number),
        owner=None,
        patient_name=patient_name,
        patient_key=patient_key,
        payer=payer,
        is_walk_in=True,
        state=TicketState.CHECKED_IN,
        booked_at=now,
        checked_in_at=now,
    )
    _invalidate(locked)
    return ticket


def _transition(*, ticket: Ticket, name: str, actor, session: Session, note: str = "") -> None:
    """One transition of the table. A citizen's ticket goes through the platform's
    ``transition_perform`` (history, activity, notification); a walk-in ticket has no owner,
    feed or inbox, so the same table is checked here and only the state is saved."""
    ticket.session = session
    if ticket.owner_id is not None:
        transition_perform(obj=ticket, name=name, actor=actor, note=note)
        return
    transition = TICKET_WORKFLOW.get(name)
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    locked.session = session
    if not actor_standing_for(obj=locked, actor=actor).may(transition):
        raise TransitionNotAllowed()
    if locked.state not in transition.sources:
        raise InvalidTransition()
    ticket.state = transition.target
    ticket.state_changed_at = timezone.now()
    ticket.save(update_fields=["state", "state_changed_at"])


@transaction.atomic
def ticket_cancel(*, actor, ticket: Ticket) -> Ticket:
    """Cancel until the session starts; the place is freed, the number is never reused."""
    locked = _lock(ticket.session)
    now = timezone.now()
    if now >= locked.starts_at:
        raise CancelTooLate()
    _transition(ticket=ticket, name="cancel", actor=actor, session=locked)
    ticket.cancelled_at = now
    ticket.save(update_fields=["cancelled_at"])
    locked.taken_count -= 1
    locked.save(update_fields=["taken_count", "updated_at"])
    _invalidate(locked)
    _reopen(locked)
    return ticket


@transaction.atomic
def ticket_check_in(*, actor, ticket: Ticket) -> Ticket:
    """The holder is at the facility (scanned or found by staff of the service point)."""
    require_staff_of(actor=actor, session=ticket.session)
    locked = _lock(ticket.session)
    state = Ticket.objects.filter(pk=ticket.pk).values_list("state", flat=True).get()
    if state in (TicketState.CHECKED_IN, TicketState.CALLED, TicketState.SERVED):
        raise AlreadyCheckedIn()
    _transition(ticket=ticket, name="check_in", actor=actor, session=locked)
    ticket.checked_in_at = timezone.now()
    ticket.save(update_fields=["checked_in_at"])
    _invalidate(locked)
    return ticket


def session_call_next(*, actor, session: Session) -> Ticket:
    """Call the lowest-numbered checked-in ticket. Tickets before it that are still not checked
    in once the grace period after the session start is over become no-shows; within the grace
    period they keep their place and are passed over for now. With nobody to call, the no-shows
    marked on the way are kept and ``QueueEmpty`` follows."""
    called = _call_next(actor=actor, session=session)
    if called is None:
        raise QueueEmpty()
    return called


@transaction.atomic
def _call_next(*, actor, session: Session) -> Ticket | None:
    require_staff_of(actor=actor, session=session)
    locked = _lock(session)
    if locked.state != Session.State.OPEN:
        raise SessionNotOpen()
    now = timezone.now()
    grace_over = now >= locked.starts_at + dt.timedelta(minutes=conf.no_show_grace_minutes())
    waiting = list(
        locked.tickets.filter(state__in=[TicketState.BOOKED, TicketState.CHECKED_IN])
        .select_related("owner")
        .order_by("number")
    )
    for ticket in waiting:
        if ticket.state == TicketState.CHECKED_IN:
            _transition(ticket=ticket, name="call", actor=actor, session=locked)
            ticket.called_at = now
            ticket.save(update_fields=["called_at"])
            locked.now_serving = ticket.number
            locked.save(update_fields=["now_serving", "updated_at"])
            _invalidate(locked)
            return ticket
        if grace_over:
            _transition(ticket=ticket, name="mark_no_show", actor=actor, session=locked)
    if grace_over and waiting:
        locked.save(update_fields=["updated_at"])
    _invalidate(locked)
    return None


@transaction.atomic
def ticket_serve(*, actor, ticket: Ticket) -> Ticket:
    locked = _lock(ticket.session)
    _transition(ticket=ticket, name="serve", actor=actor, session=locked)
    ticket.served_at = timezone.now()
    ticket.save(update_fields=["served_at"])
    _invalidate(locked)
    transaction.on_commit(
        partial(cache.delete, durations_cache_key(locked.service_point_id)), robust=True
    )
    return ticket


@transaction.atomic
def ticket_recall(*, actor, ticket: Ticket) -> Ticket:
    """Call a called ticket again (the display shows its number once more)."""
    locked = _lock(ticket.session)
    require_staff_of(actor=actor, session=locked)
    current = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if current.state != TicketState.CALLED:
        raise InvalidTransition()
    ticket.recall_count = current.recall_count + 1
    ticket.called_at = timezone.now()
    ticket.save(update_fields=["recall_count", "called_at"])
    locked.now_serving = ticket.number
    locked.save(update_fields=["now_serving", "updated_at"])
    _invalidate(locked)
    return ticket


def no_shows_sweep(*, now: dt.datetime | None = None) -> int:
    """After a session has ended, tickets still booked (never checked in) or called and never
    served become no-shows. Idempotent; returns how many were marked."""
    now = now or timezone.now()
    count = 0
    tickets = (
        Ticket.objects.filter(
            Q(state=TicketState.BOOKED) | Q(state=TicketState.CALLED),
            session__ends_at__lte=now,
        )
        .select_related("session__service_point", "owner")
        .order_by("session_id", "number")
    )
    for ticket in tickets:
        with transaction.atomic():
            locked = _lock(ticket.session)
            try:
                _transition(ticket=ticket, name="mark_no_show", actor=None, session=locked)
            except InvalidTransition:
                continue
            locked.save(update_fields=["updated_at"])  # what the display polls has changed
            _invalidate(locked)
            count += 1
    return count


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Notify holders whose estimated turn is within the reminder lead time (once per ticket)."""
    from health.selectors import ticket_position
    from services.notifications import notify

    now = now or timezone.now()
    lead = dt.timedelta(minutes=conf.reminder_minutes())
    sent = 0
    tickets = Ticket.objects.filter(
        state__in=[TicketState.BOOKED, TicketState.CHECKED_IN],
        owner__isnull=False,
        session__date=timezone.localdate(now, timezone=time_zone()),
        session__state=Session.State.OPEN,
    ).select_related("session__service_point__facility", "owner")
    for ticket in tickets:
        position = ticket_position(ticket=ticket, now=now)
        if position.estimate_from - now > lead:
            continue
        with transaction.atomic():
            item = notify(
                recipient=ticket.owner,
                event="reminder",
                key=f"kesehatan:{ticket.uuid}:reminder",
                context={
                    "title": f"{ticket.session.service_point} — {ticket.code}",
                    "message": f"{ticket.session.service_point}: {ticket.code}",
                    "due_at": position.estimate_from,
                },
                obj=ticket,
                topic="reminder",
            )
        sent += item is not None
    return sent


@transaction.atomic
def visit_plan_book(*, actor, steps: list[tuple[Session, object]], payer: str) -> VisitPlan:
    """Book a household's chain of tickets at once: ``steps`` is ``[(session, member or None)]``
    in the order of what depends on what; each session must start no earlier than the one
    before (consecutive times across counters). All or nothing: one refusal books none."""
    if not steps:
        raise OutsideBookingWindow()
    for (earlier, _member), (later, _next_member) in itertools.pairwise(steps):
        if later.starts_at < earlier.starts_at:
            raise PlanOutOfOrder()
    points = [session.service_point for session, _member in steps]
    if _dependency_order([(point, None) for point in points]) != [(p, None) for p in points]:
        # a step comes before a counter it depends on (e.g. BPJS before the KK update)
        raise PlanOutOfOrder()
    # lock every session up front in one order, so that two plans never deadlock
    list(
        Session.objects.select_for_update()
        .filter(pk__in=[session.pk for session, _ in steps])
        .order_by("pk")
    )
    plan = VisitPlan.objects.create(owner=actor)
    for position, (session, member) in enumerate(steps, start=1):
        ticket_book(
            actor=actor,
            session=session,
            payer=payer,
            member=member,
            plan=plan,
            plan_step=position,
        )
    return plan


def _dependency_order(steps: list[tuple]) -> list[tuple]:
    """``steps`` of ``(service_point, member)`` reordered so that each comes after the steps at
    its prerequisite counters (``ServicePoint.prerequisites``), otherwise in the given order.
    A cycle in the data cannot stop a plan: the first waiting step is then taken as it is."""
    needs = {
        point.pk: set(point.prerequisites.values_list("pk", flat=True))
        for point in {point for point, _ in steps}
    }
    remaining = list(steps)
    ordered: list[tuple] = []
    while remaining:
        pending = {point.pk for point, _ in remaining}
        index = next(
            (i for i, (point, _) in enumerate(remaining) if not needs[point.pk] & pending),
            0,
        )
        ordered.append(remaining.pop(index))
    return ordered


def _slots_chain(*, steps: list[tuple], date: dt.date | None, after: dt.datetime) -> list[tuple]:
    """For ``[(service_point, member)]`` (in order), the earliest open session with a place at
    each counter that starts once the previous step's session has ended (consecutive times), on
    ``date`` if given. ``PlanNoSlot`` names the first step that does not fit."""
    window_end = timezone.now() + dt.timedelta(days=conf.booking_window_days())
    chain = []
    for point, member in steps:
        sessions = Session.objects.filter(
            service_point=point,
            state=Session.State.OPEN,
            taken_count__lt=models.F("quota"),
            starts_at__gte=after,
            starts_at__gt=timezone.now(),
            starts_at__lte=window_end,
        ).select_related("service_point__facility", "service_point__agency")
        if date is not None:
            sessions = sessions.filter(date=date)
        session = sessions.order_by("starts_at", "id").first()
        if session is None:
            raise PlanNoSlot(
                detail=_("No free place at %(point)s for this visit.") % {"point": point.name}
            )
        chain.append((session, member))
        after = session.ends_at
    return chain


def visit_plan_propose(*, actor, steps: list[tuple], date: dt.date | None = None) -> list[tuple]:
    """A household's MPP visit before booking: ``steps`` is ``[(service_point, member or
    None)]`` in any order; returns ``[(session, member)]`` ordered by what depends on what, each
    at the earliest session that starts after the previous one ends. Nothing is written."""
    if not steps:
        raise PlanNoSlot()
    for _point, member in steps:
        if member is not None and not may_act_for(
            actor=actor, subject=member, service_code=SERVICE_CODE
        ):
            raise NotAllowedForPerson()
    return _slots_chain(steps=_dependency_order(steps), date=date, after=timezone.now())


def visit_plan_replan_moves(*, plan: VisitPlan, tickets: list[Ticket] | None = None) -> list:
    """What re-planning would do, without doing it: ``[(ticket, new session)]`` for each step
    after the first cancelled one that is still booked and would move to the earliest
    consecutive time after the last step kept before the cancelled one. Empty: nothing to gain.
    ``PlanNoSlot`` if a step has no place left anywhere."""
    if tickets is None:
        tickets = list(
            plan.tickets.select_related(
                "session__service_point__agency", "patient_member"
            ).order_by("plan_step")
        )
    cancelled = [t.plan_step for t in tickets if t.state == TicketState.CANCELLED]
    if not cancelled:
        return []
    first = min(cancelled)
    later = [t for t in tickets if t.plan_step > first and t.state == TicketState.BOOKED]
    if not later:
        return []
    kept = [t for t in tickets if t.plan_step < first and t.state != TicketState.CANCELLED]
    after = max([timezone.now(), *(t.session.ends_at for t in kept)])
    chain = _slots_chain(
        steps=[(t.session.service_point, t.patient_member) for t in later], date=None, after=after
    )
    return [
        (ticket, session)
        for ticket, (session, _member) in zip(later, chain, strict=True)
        if session.pk != ticket.session_id
    ]


@transaction.atomic
def visit_plan_replan(*, actor, plan: VisitPlan) -> VisitPlan:
    """After a step was cancelled, move the steps after it that are still booked to a new
    consecutive chain: the earliest sessions after the last step kept before the cancelled one.
    Each moved step gets a new ticket (the old one is cancelled, its number never reused). All
    or nothing; ``PlanNothingToReplan`` when nothing would move."""
    tickets = list(
        plan.tickets.select_related("session__service_point__agency", "patient_member")
        .select_for_update(of=("self",))
        .order_by("plan_step")
    )
    moves = visit_plan_replan_moves(plan=plan, tickets=tickets)
    if not moves:
        raise PlanNothingToReplan()
    for old, session in moves:
        ticket_cancel(actor=actor, ticket=old)
        ticket_book(
            actor=actor,
            session=session,
            payer=old.payer,
            member=old.patient_member,
            plan=plan,
            plan_step=old.plan_step,
        )
    return plan

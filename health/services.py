"""Writes of the health module. Every interface (API, portal, admin, tasks) calls these.

Queue numbers: a booking locks its session row (``SELECT … FOR UPDATE``; on SQLite, which
serialises writers, the lock is a no-op and the write transaction does the same), checks the
window, the quota and the person, then takes ``last_number + 1``. ``UNIQUE(session, number)``
and one non-cancelled ticket per person and session are the safety net. Every write that touches a
session and a ticket locks the session first, then the ticket, so two writers never deadlock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import uuid as uuid_module
from functools import partial

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.households import may_act_for, proxy_action_record
from health import conf
from health.exceptions import (
    AlreadyBooked,
    CancelTooLate,
    NotAllowedForPerson,
    OutsideBookingWindow,
    PlanOutOfOrder,
    QueueEmpty,
    QuotaBelowBooked,
    QuotaFull,
    SessionNotOpen,
)
from health.models import Closure, Schedule, Session, SessionChange, Ticket, VisitPlan
from health.workflow import TICKET_WORKFLOW, TicketState
from services.workflow import transition_perform, workflow_start
from services.workflow.calendar import time_zone
from services.workflow.exceptions import InvalidTransition, TransitionNotAllowed
from services.workflow.models import Holiday
from services.workflow.selectors import actor_standing_for

SERVICE_CODE = "antrean_puskesmas"


def now_serving_cache_key(session_uuid) -> str:
    return f"health:now-serving:{session_uuid}"


def _invalidate(session: Session) -> None:
    key = now_serving_cache_key(session.uuid)
    transaction.on_commit(partial(cache.delete, key))


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


def _ticket_code(session: Session, number: int) -> str:
    point = session.service_point
    return f"{point.ticket_prefix}{number:03d}-{point.pk}-{session.starts_at:%Y%m%d%H%M}"


def _issue(*, locked: Session, patient_key: str, now) -> int:
    if locked.state != Session.State.OPEN:
        raise SessionNotOpen()
    if locked.taken_count >= locked.quota:
        raise QuotaFull()
    if locked.tickets.filter(patient_key=patient_key).exclude(state=TicketState.CANCELLED).exists():
        raise AlreadyBooked()
    number = locked.last_number + 1
    locked.last_number = number
    locked.taken_count += 1
    locked.save(update_fields=["last_number", "taken_count", "updated_at"])
    return number


def ticket_book(
    *, actor, session: Session, payer: str, member=None, plan=None, plan_step=None
) -> Ticket:
    """Book a ticket for ``actor`` (or a household ``member`` they may act for)."""
    if member is not None:
        if not may_act_for(actor=actor, subject=member, service_code=SERVICE_CODE):
            raise NotAllowedForPerson()
        patient_key = f"u:{member.user_id}" if member.user_id else f"m:{member.pk}"
        patient_name = member.full_name
    else:
        patient_key = f"u:{actor.pk}"
        patient_name = actor.full_name or actor.email or ""
    # Fast path for the morning rush: a full (or closed) session is refused without waiting for
    # the lock. Places only come back through a cancellation, and a refused citizen may retry.
    current = Session.objects.filter(pk=session.pk).values("state", "taken_count", "quota").get()
    if current["state"] != Session.State.OPEN:
        raise SessionNotOpen()
    if current["taken_count"] >= current["quota"]:
        raise QuotaFull()
    try:
        with transaction.atomic():
            locked = _lock(session)
            now = timezone.now()
            if not (booking_window_opens(locked) <= now < locked.starts_at):
                raise OutsideBookingWindow()
            number = _issue(locked=locked, patient_key=patient_key, now=now)
            ticket = Ticket.objects.create(
                session=locked,
                number=number,
                code=_ticket_code(locked, number),
                owner=actor,
                patient_member=member,
                patient_name=patient_name,
                patient_key=patient_key,
                payer=payer,
                booked_at=now,
                plan=plan,
                plan_step=plan_step,
            )
            workflow_start(obj=ticket, actor=actor)
            if member is not None:
                proxy_action_record(
                    actor=actor,
                    subject=member,
                    service_code=SERVICE_CODE,
                    description=f"Queue ticket {ticket.code}",
                )
            _invalidate(locked)
            transaction.on_commit(partial(ticket_receipt_issue, ticket_id=ticket.pk), robust=True)
    except IntegrityError as exc:
        # The constraints caught what the locked checks should have: one ticket per person.
        raise AlreadyBooked() from exc
    return ticket


def ticket_receipt_issue(*, ticket_id: int):
    """After commit: the signed receipt of the booking (a QR to the public verification page).
    Its public title names the facility only, never the polyclinic (no health information)."""
    from services.receipts.models import Receipt
    from services.receipts.services import receipt_issue

    ticket = Ticket.objects.select_related("session__service_point__facility", "owner").get(
        pk=ticket_id
    )
    facility = ticket.session.service_point.facility
    return receipt_issue(
        obj=ticket,
        owner=ticket.owner,
        kind=Receipt.Kind.TICKET_BOOKED,
        issuer=ticket.session.service_point.agency,
        tracking_number=ticket.code,
        title=f"Nomor antrean {facility.name}",
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
    return ticket


@transaction.atomic
def ticket_check_in(*, actor, ticket: Ticket) -> Ticket:
    locked = _lock(ticket.session)
    _transition(ticket=ticket, name="check_in", actor=actor, session=locked)
    ticket.checked_in_at = timezone.now()
    ticket.save(update_fields=["checked_in_at"])
    _invalidate(locked)
    return ticket


@transaction.atomic
def session_call_next(*, actor, session: Session) -> Ticket:
    """Call the lowest-numbered checked-in ticket. Tickets before it that are still not checked
    in once the grace period after the session start is over become no-shows; within the grace
    period they keep their place and are passed over for now."""
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
    _invalidate(locked)
    raise QueueEmpty()


@transaction.atomic
def ticket_serve(*, actor, ticket: Ticket) -> Ticket:
    locked = _lock(ticket.session)
    _transition(ticket=ticket, name="serve", actor=actor, session=locked)
    ticket.served_at = timezone.now()
    ticket.save(update_fields=["served_at"])
    _invalidate(locked)
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
    for (earlier, _), (later, _) in itertools.pairwise(steps):
        if later.starts_at < earlier.starts_at:
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

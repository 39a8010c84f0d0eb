"""Reads, scoped to who asks. Public: facilities, service points, sessions and their change log,
the "now serving" state. A citizen: their own tickets. Staff: sessions and tickets of service
points whose handling agency they belong to."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.selectors import staff_agency_ids
from health import conf
from health.models import Facility, ServicePoint, Session, SessionChange, Ticket, VisitPlan
from health.workflow import ACTIVE_STATES, TicketState
from services.workflow.calendar import time_zone


def today() -> dt.date:
    return timezone.localdate(timezone=time_zone())


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine)."""
    rlat1, rlat2 = math.radians(lat1), math.radians(lat2)
    dlat, dlng = rlat2 - rlat1, math.radians(lng2 - lng1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rlat1) * math.cos(rlat2) * math.sin(dlng / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def facility_list(*, latitude: float | None = None, longitude: float | None = None, kind=None):
    """Active facilities with their active service points (2 queries), nearest first when a point
    is given (each gets ``distance_km``), else by name. The city has dozens, not thousands."""
    queryset = Facility.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "service_points",
            queryset=ServicePoint.objects.filter(is_active=True).order_by("name"),
            to_attr="active_points",
        )
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    facilities = list(queryset.order_by("name"))
    for facility in facilities:
        facility.distance_km = (
            round(
                distance_km(
                    latitude, longitude, float(facility.latitude), float(facility.longitude)
                ),
                2,
            )
            if latitude is not None and longitude is not None
            else None
        )
    if latitude is not None and longitude is not None:
        facilities.sort(key=lambda f: f.distance_km)
    return facilities


def facility_get(*, uuid) -> Facility | None:
    return next(iter(f for f in facility_list() if f.uuid == uuid), None)


def session_list_public(
    *, service_point_uuid=None, facility_uuid=None, date_from=None, date_to=None
) -> QuerySet[Session]:
    """Open and upcoming sessions (today onwards by default), with their service point,
    facility and doctor in the same query."""
    queryset = Session.objects.select_related("service_point__facility", "doctor").filter(
        date__gte=date_from or today()
    )
    if date_to is not None:
        queryset = queryset.filter(date__lte=date_to)
    if service_point_uuid is not None:
        queryset = queryset.filter(service_point__uuid=service_point_uuid)
    if facility_uuid is not None:
        queryset = queryset.filter(service_point__facility__uuid=facility_uuid)
    return queryset.order_by("starts_at", "id")


def session_get_public(*, uuid) -> Session | None:
    """One query, with everything a booking needs (the point, its facility and agency)."""
    return (
        Session.objects.select_related("service_point__facility", "service_point__agency", "doctor")
        .filter(uuid=uuid)
        .first()
    )


def session_get_for_booking(*, uuid) -> Session | None:
    """One query with what a booking and its answer read (the point and its facility); the
    agency the receipt names is loaded by the task that issues it, after the commit."""
    return Session.objects.select_related("service_point__facility").filter(uuid=uuid).first()


def session_changes(*, session: Session) -> QuerySet[SessionChange]:
    return session.changes.select_related("actor").order_by("at", "id")


def service_point_get_public(*, uuid) -> ServicePoint | None:
    return ServicePoint.objects.select_related("facility").filter(uuid=uuid).first()


# --- citizens -------------------------------------------------------------------------------------


def ticket_list_for(*, user) -> QuerySet[Ticket]:
    if not user.is_authenticated:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(owner=user)
        .select_related("session__service_point__facility")
        .order_by("-booked_at", "-id")
    )


def ticket_get_for(*, user, uuid) -> Ticket | None:
    return ticket_list_for(user=user).filter(uuid=uuid).select_related("plan").first()


# --- staff ----------------------------------------------------------------------------------------


def _staff_agencies(user):
    return staff_agency_ids(user)


def staff_session_list_for(*, user, date: dt.date | None = None) -> QuerySet[Session]:
    """Sessions of ``date`` (today) at service points of the staff member's agencies."""
    if not (user.is_authenticated and user.is_staff):
        return Session.objects.none()
    return (
        Session.objects.filter(
            service_point__agency__in=_staff_agencies(user), date=date or today()
        )
        .select_related("service_point__facility", "doctor")
        .order_by("starts_at", "id")
    )


def staff_session_get_for(*, user, uuid) -> Session | None:
    if not (user.is_authenticated and user.is_staff):
        return None
    return (
        Session.objects.filter(service_point__agency__in=_staff_agencies(user), uuid=uuid)
        .select_related("service_point__facility", "doctor")
        .first()
    )


def staff_ticket_list_for(*, user, session: Session, search: str = "") -> QuerySet[Ticket]:
    """The tickets of a session the staff member may see; ``search`` matches the patient's name,
    the ticket code or the number."""
    queryset = (
        Ticket.objects.filter(
            session=session, session__service_point__agency__in=_staff_agencies(user)
        )
        .select_related("session__service_point__facility")
        .order_by("number")
    )
    search = search.strip()
    if search:
        if search.isdigit():
            queryset = queryset.filter(number=int(search))
        else:
            queryset = queryset.filter(patient_name__icontains=search) | queryset.filter(
                code__iexact=search
            )
    return queryset


def staff_ticket_get_for(*, user, uuid) -> Ticket | None:
    if not (user.is_authenticated and user.is_staff):
        return None
    return (
        Ticket.objects.filter(uuid=uuid, session__service_point__agency__in=_staff_agencies(user))
        .select_related("session__service_point__facility", "owner")
        .first()
    )


def staff_ticket_by_check_in_token(*, user, token: str) -> Ticket | None:
    """The ticket a scanned check-in code names, if the staff member may act on it (else
    ``None``: another facility's ticket is not found). A code not signed here raises
    ``InvalidCheckInToken``."""
    from health.checkin import check_in_token_ticket_uuid

    return staff_ticket_get_for(user=user, uuid=check_in_token_ticket_uuid(token))


def staff_ticket_search(*, user, search: str, date: dt.date | None = None) -> QuerySet[Ticket]:
    """Today's tickets at the staff member's service points whose number, code or patient name
    matches ``search`` (the counter's search when a code cannot be scanned)."""
    search = search.strip()
    if not (user.is_authenticated and user.is_staff) or not search:
        return Ticket.objects.none()
    queryset = Ticket.objects.filter(
        session__service_point__agency__in=_staff_agencies(user), session__date=date or today()
    )
    if search.isdigit():
        queryset = queryset.filter(number=int(search))
    else:
        queryset = queryset.filter(
            models.Q(patient_name__icontains=search) | models.Q(code__iexact=search)
        )
    return queryset.select_related("session__service_point__facility").order_by(
        "session__starts_at", "number"
    )


# --- the queue's position and estimate ------------------------------------------------------------


def durations_cache_key(service_point_id: int) -> str:
    return f"health:durations:{service_point_id}"


def service_durations(*, service_point_id: int, limit: int | None = None) -> list[float]:
    """Seconds between call and service of the most recent served tickets at the point; cached
    for a minute (and dropped when a ticket there is served), as every ticket view asks."""
    limit = limit or conf.estimate_sample_size()
    key = durations_cache_key(service_point_id)
    cached = cache.get(key)
    if cached is not None and cached[0] == limit:
        return cached[1]
    rows = (
        Ticket.objects.filter(
            session__service_point_id=service_point_id,
            state=TicketState.SERVED,
            called_at__isnull=False,
            served_at__isnull=False,
        )
        .order_by("-served_at")
        .values_list("called_at", "served_at")[:limit]
    )
    durations = [(served - called).total_seconds() for called, served in rows if served >= called]
    cache.set(key, (limit, durations), 60)
    return durations


def _quantile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = q * (len(sorted_values) - 1)
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def estimate_range(
    *, durations: list[float], people_ahead: int, start: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """When the turn comes, as a range: ``people_ahead`` services of the point's recent
    25th-percentile duration (earliest) to 75th-percentile (latest). Without history, the
    configured default duration ±50 %."""
    if durations:
        values = sorted(durations)
        low, high = _quantile(values, 0.25), _quantile(values, 0.75)
    else:
        default = conf.default_service_minutes() * 60
        low, high = default * 0.5, default * 1.5
    return (
        start + dt.timedelta(seconds=round(low * people_ahead)),
        start + dt.timedelta(seconds=round(high * people_ahead)),
    )


@dataclass(frozen=True)
class Position:
    now_serving: int | None
    people_ahead: int
    estimate_from: dt.datetime
    estimate_to: dt.datetime


def ticket_position(*, ticket: Ticket, now: dt.datetime | None = None) -> Position:
    """Three queries: people ahead, the recent durations (the session is already loaded)."""
    now = now or timezone.now()
    session = ticket.session
    if ticket.state in ACTIVE_STATES and ticket.state != TicketState.CALLED:
        ahead = Ticket.objects.filter(
            session_id=session.pk, number__lt=ticket.number, state__in=ACTIVE_STATES
        ).count()
    else:
        ahead = 0
    durations = service_durations(service_point_id=session.service_point_id)
    start = max(now, session.starts_at)
    low, high = estimate_range(durations=durations, people_ahead=ahead, start=start)
    return Position(session.now_serving, ahead, low, high)


def now_serving_payload(*, session: Session) -> dict:
    """What the display and the app poll (one query for the waiting count)."""
    waiting = Ticket.objects.filter(
        session_id=session.pk, state__in=[TicketState.BOOKED, TicketState.CHECKED_IN]
    ).count()
    payload = {
        "session": str(session.uuid),
        "service_point": str(session.service_point),
        "state": session.state,
        "now_serving": session.now_serving,
        "last_number": session.last_number,
        "waiting": waiting,
        "remaining": session.remaining,
        "updated_at": session.updated_at.isoformat(),
    }
    payload["etag"] = hashlib.sha256(repr(sorted(payload.items())).encode()).hexdigest()[:20]
    return payload


# --- MPP visit plans ------------------------------------------------------------------------------


def mpp_counter_list() -> QuerySet[ServicePoint]:
    """The active counters of MPP facilities (what a household visit is planned across)."""
    return (
        ServicePoint.objects.filter(
            kind=ServicePoint.Kind.COUNTER,
            is_active=True,
            facility__is_active=True,
            facility__kind=Facility.Kind.MPP,
        )
        .select_related("facility")
        .order_by("facility__name", "name")
    )


def visit_plan_list_for(*, user) -> QuerySet[VisitPlan]:
    if not user.is_authenticated:
        return VisitPlan.objects.none()
    return VisitPlan.objects.filter(owner=user).order_by("-created_at")


def visit_plan_get_for(*, user, uuid) -> VisitPlan | None:
    if not user.is_authenticated:
        return None
    return (
        VisitPlan.objects.filter(owner=user, uuid=uuid)
        .prefetch_related(
            Prefetch(
                "tickets",
                queryset=Ticket.objects.select_related("session__service_point__facility").order_by(
                    "plan_step"
                ),
            )
        )
        .first()
    )


def visit_plan_replan_options(*, plan: VisitPlan, limit: int = 3) -> dict[int, list[Session]]:
    """When a step is cancelled, the steps after it may need new times: for each later step still
    active, the next open sessions with places at the same counter that start after the last
    active step before it (one query per step to re-plan; a plan has a handful of steps)."""
    tickets = list(plan.tickets.all())
    options: dict[int, list[Session]] = {}
    cancelled = [t.plan_step for t in tickets if t.state == TicketState.CANCELLED]
    if not cancelled:
        return options
    first_cancelled = min(cancelled)
    previous_end = None
    for ticket in tickets:
        if ticket.plan_step < first_cancelled and ticket.state != TicketState.CANCELLED:
            previous_end = ticket.session.starts_at
        if ticket.plan_step <= first_cancelled:
            continue
        if ticket.state not in ACTIVE_STATES and ticket.state != TicketState.CANCELLED:
            continue
        queryset = (
            Session.objects.filter(
                service_point_id=ticket.session.service_point_id,
                state=Session.State.OPEN,
                taken_count__lt=models.F("quota"),
                starts_at__gt=max(timezone.now(), previous_end or timezone.now()),
            )
            .exclude(pk=ticket.session_id)
            .select_related("service_point__facility")
            .order_by("starts_at")
        )
        options[ticket.plan_step] = list(queryset[:limit])
    return options

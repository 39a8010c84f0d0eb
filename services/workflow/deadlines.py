"""Deadlines: an object's service-level clock on its handling agency's working calendar.

Any model can have one (it is keyed by content type and id); the workflow pauses and resumes it
on transitions that say so, and stops it when the object reaches a closed state.

* :func:`deadline_start` — due ``days`` working days and ``hours`` working hours from now;
* :func:`deadline_pause` — the object waits for the citizen: the working time left is kept;
* :func:`deadline_resume` — the citizen answered: due again after the time that was left;
* :func:`deadline_stop` — the object is closed (it can no longer be overdue);
* :func:`deadlines_reschedule` — the calendar changed (a holiday added, moved or removed): open
  deadlines whose clock spans those dates get their due time again;
* :func:`overdue_for_agency`, :func:`deadline_for` — reads.

Every change of a due time appends a :class:`~services.workflow.models.DueDateChange` whose
reason names what moved it ("Due Tuesday 14 April — moved from Monday 13 April because of
cuti bersama …"). An object paused after its due time is due again as soon as it is resumed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from services.workflow.calendar import WorkingCalendar, calendar_for, span_estimate, time_zone
from services.workflow.models import Deadline, DueDateChange

ZERO = dt.timedelta(0)


def _key(obj) -> dict:
    if obj.pk is None:
        raise ValueError("A deadline needs a saved object.")
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(time_zone()).date()


def _explain(calendar: WorkingCalendar, start: dt.datetime, due: dt.datetime, naive) -> dict:
    """Details of a due time that holidays moved: where it would have been, and which holidays."""
    if due == naive:
        return {}
    closed = calendar.closed_days_between(_local_date(start), _local_date(due))
    return {"moved_from": naive.isoformat(), "holidays": [day.as_dict() for day in closed]}


def _add_left(calendar: WorkingCalendar, start: dt.datetime, left: dt.timedelta) -> dt.datetime:
    return calendar.add(start, seconds=left.total_seconds()) if left > ZERO else start


def _due_of(deadline: Deadline, calendar: WorkingCalendar) -> dt.datetime:
    if deadline.resumed_at is None:
        return calendar.add(
            deadline.started_at, days=deadline.days, seconds=float(deadline.hours) * 3600
        )
    return _add_left(calendar, deadline.resumed_at, deadline.remaining)


def _record(deadline, reason, old, new, details=None, at=None) -> DueDateChange:
    return DueDateChange.objects.create(
        deadline=deadline,
        reason_code=reason,
        old_due_at=old,
        new_due_at=new,
        details=details or {},
        at=at or timezone.now(),
    )


@transaction.atomic
def deadline_start(
    *, obj, agency=None, days: int = 0, hours: float = 0, now: dt.datetime | None = None
) -> Deadline:
    """Start (or restart) the clock of ``obj``: due ``days`` working days, then ``hours`` working
    hours, from ``now`` on ``agency``'s calendar."""
    if days < 0 or hours < 0 or not (days or hours):
        raise ValueError("A deadline needs a positive number of working days or hours.")
    now = now or timezone.now()
    first, last = span_estimate(now, days=days, hours=hours)
    calendar = calendar_for(agency=agency, first=first, last=last)
    seconds = float(hours) * 3600
    due = calendar.add(now, days=days, seconds=seconds)
    naive = calendar.without_holidays().add(now, days=days, seconds=seconds)
    values = {
        "agency": agency,
        "days": days,
        "hours": Decimal(str(hours)),
        "started_at": now,
        "resumed_at": None,
        "remaining": calendar.between(now, due),
        "due_at": due,
        "paused_at": None,
        "completed_at": None,
    }
    deadline = Deadline.objects.select_for_update().filter(**_key(obj)).first()
    old_due = deadline.due_at if deadline else None
    if deadline is None:
        deadline = Deadline.objects.create(**_key(obj), **values)
    else:
        for name, value in values.items():
            setattr(deadline, name, value)
        deadline.save(update_fields=list(values))
    _record(
        deadline,
        DueDateChange.Reason.STARTED,
        old_due,
        due,
        _explain(calendar, now, due, naive),
        now,
    )
    _sync_activity([deadline], objects=[obj])
    return deadline


def _sync_activity(deadlines: list[Deadline], objects: list | None = None) -> None:
    """Show the new due times in the owners' activity items (objects of a workflow only)."""
    from services.workflow.models import WorkflowModel
    from services.workflow.services import activity_sync

    if objects is None:
        prefetch_related_objects(deadlines, "obj")
        objects = [deadline.obj for deadline in deadlines]
    for deadline, obj in zip(deadlines, objects, strict=True):
        if isinstance(obj, WorkflowModel):
            activity_sync(obj=obj, due_at=deadline.due_at)


def _open_deadline(obj) -> Deadline | None:
    return (
        Deadline.objects.select_for_update().filter(**_key(obj), completed_at__isnull=True).first()
    )


@transaction.atomic
def deadline_pause(*, obj, now: dt.datetime | None = None) -> Deadline | None:
    """Stop the clock while ``obj`` waits for the citizen; nothing happens if it has no running
    deadline (none, paused already, or completed)."""
    deadline = _open_deadline(obj)
    if deadline is None or deadline.is_paused:
        return deadline
    now = now or timezone.now()
    calendar = calendar_for(agency=deadline.agency)
    old_due = deadline.due_at
    deadline.remaining = max(calendar.between(now, old_due), ZERO)
    deadline.paused_at = now
    deadline.due_at = None
    deadline.save(update_fields=["remaining", "paused_at", "due_at"])
    _record(deadline, DueDateChange.Reason.PAUSED, old_due, None, at=now)
    return deadline


@transaction.atomic
def deadline_resume(*, obj, now: dt.datetime | None = None) -> Deadline | None:
    """Restart the clock of ``obj`` with the working time that was left when it was paused;
    nothing happens if it is not paused."""
    deadline = _open_deadline(obj)
    if deadline is None or not deadline.is_paused:
        return deadline
    now = now or timezone.now()
    left = deadline.remaining or ZERO
    first, last = span_estimate(now, hours=left.total_seconds() / 3600)
    calendar = calendar_for(agency=deadline.agency, first=first, last=last)
    due = _add_left(calendar, now, left)
    naive = _add_left(calendar.without_holidays(), now, left)
    deadline.resumed_at = now
    deadline.paused_at = None
    deadline.due_at = due
    deadline.save(update_fields=["resumed_at", "paused_at", "due_at"])
    _record(
        deadline, DueDateChange.Reason.RESUMED, None, due, _explain(calendar, now, due, naive), now
    )
    return deadline


@transaction.atomic
def deadline_stop(*, obj, now: dt.datetime | None = None) -> Deadline | None:
    """The object is closed: its deadline is completed (kept, with its history)."""
    deadline = _open_deadline(obj)
    if deadline is None:
        return None
    deadline.completed_at = now or timezone.now()
    deadline.save(update_fields=["completed_at"])
    return deadline


def deadlines_reschedule(
    *, first: dt.date, last: dt.date, now: dt.datetime | None = None
) -> list[DueDateChange]:
    """The closed days from ``first`` to ``last`` changed: recompute the due time of every open,
    running deadline whose clock spans those dates, and record each one that moved.

    Idempotent (a second run finds nothing to move). Queries: the deadlines, then per agency its
    office hours and closed days, then one update and one insert per moved deadline.
    """
    now = now or timezone.now()
    # One day of margin: the __date lookups use the project time zone.
    low, high = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    anchored_before = Q(resumed_at__isnull=True, started_at__date__lte=high) | Q(
        resumed_at__isnull=False, resumed_at__date__lte=high
    )
    changes: list[DueDateChange] = []
    with transaction.atomic():
        deadlines = list(
            Deadline.objects.select_for_update(of=("self",))
            .filter(anchored_before, completed_at__isnull=True, paused_at__isnull=True)
            .filter(due_at__date__gte=low)
            .select_related("agency")
            .order_by("id")
        )
        by_agency: dict[int | None, list[Deadline]] = defaultdict(list)
        for deadline in deadlines:
            by_agency[deadline.agency_id].append(deadline)
        for group in by_agency.values():
            starts = [_local_date(d.resumed_at or d.started_at) for d in group]
            ends = [_local_date(d.due_at) for d in group]
            calendar = calendar_for(
                agency=group[0].agency, first=min(starts), last=max(ends) + dt.timedelta(days=62)
            )
            for deadline in group:
                due = _due_of(deadline, calendar)
                if due == deadline.due_at:
                    continue
                old = deadline.due_at
                anchor = _local_date(deadline.resumed_at or deadline.started_at)
                named = [
                    day.as_dict() for day in calendar.closed_days_between(max(anchor, first), last)
                ]
                deadline.due_at = due
                deadline.save(update_fields=["due_at"])
                changes.append(
                    _record(
                        deadline,
                        DueDateChange.Reason.CALENDAR_CHANGED,
                        old,
                        due,
                        {"holidays": named},
                        now,
                    )
                )
        _sync_activity([change.deadline for change in changes])
    return changes


def overdue_for_agency(*, agency, now: dt.datetime | None = None) -> QuerySet[Deadline]:
    """Open, running deadlines of ``agency`` past their due time, most overdue first, with their
    objects (``deadline.obj``): one query for the deadlines, one per kind of object."""
    now = now or timezone.now()
    return (
        Deadline.objects.filter(
            agency=agency, completed_at__isnull=True, paused_at__isnull=True, due_at__lt=now
        )
        .select_related("content_type")
        .prefetch_related("obj")
        .order_by("due_at", "id")
    )


def deadline_due_at(*, obj) -> dt.datetime | None:
    """When ``obj`` is due (one query); ``None`` without a running, open deadline."""
    return (
        Deadline.objects.filter(**_key(obj), completed_at__isnull=True)
        .values_list("due_at", flat=True)
        .first()
    )


def deadline_for(*, obj) -> Deadline | None:
    """The deadline of ``obj`` with its changes (two queries), or ``None``."""
    return Deadline.objects.filter(**_key(obj)).prefetch_related("changes").first()

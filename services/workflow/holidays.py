"""Writes on the working calendar: seeding the decreed holidays, and the admin's saves.

A change of closed days moves the due time of open deadlines that span them, so every write here
ends with :func:`~services.workflow.deadlines.deadlines_reschedule` for the dates it touched (after
commit, as a task, so that a long list of deadlines does not hold the admin's request).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError

from services.workflow.models import Holiday

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SeedResult:
    created: list[Holiday]
    kept: int
    years_without_cuti_bersama: list[int]
    unconfirmed: int


def _reschedule_after_commit(dates: Iterable[dt.date]) -> None:
    dates = sorted(set(dates))
    if not dates:
        return
    from services.workflow.tasks import reschedule_deadlines

    first, last = dates[0].isoformat(), dates[-1].isoformat()

    def publish() -> None:
        try:
            reschedule_deadlines.delay(first, last)
        except KombuOperationalError:
            # The broker is down: the holiday is saved, so move the deadlines here and now (the
            # task's own work, only slower for the admin) rather than lose the recalculation.
            logger.warning("Broker unavailable; rescheduling deadlines in the request")
            reschedule_deadlines(first, last)

    transaction.on_commit(publish)


@transaction.atomic
def holidays_seed(*, rows: Iterable[dict]) -> SeedResult:
    """Create the rows whose ``key`` is not in the calendar yet. Existing rows are left as staff
    left them (corrected, confirmed or switched off); a deleted row is created again."""
    rows = list(rows)
    existing = set(
        Holiday.objects.filter(seed_key__in=[row["key"] for row in rows]).values_list(
            "seed_key", flat=True
        )
    )
    created: list[Holiday] = []
    for row in rows:
        if row["key"] in existing:
            continue
        holiday = Holiday(
            seed_key=row["key"],
            date=dt.date.fromisoformat(row["date"]),
            kind=row["kind"],
            name_id=row["name_id"],
            name_en=row["name_en"],
            confirmed=row["confirmed"],
            source=row["source"],
        )
        holiday.full_clean()
        created.append(holiday)
    Holiday.objects.bulk_create(created)
    _reschedule_after_commit(holiday.date for holiday in created)

    years = {dt.date.fromisoformat(row["date"]).year for row in rows}
    with_cuti = set(
        Holiday.objects.filter(
            kind=Holiday.Kind.CUTI_BERSAMA, date__year__in=years, is_active=True
        ).values_list("date__year", flat=True)
    )
    unconfirmed = Holiday.objects.filter(
        date__year__in=years, confirmed=False, is_active=True, agency__isnull=True
    ).count()
    return SeedResult(
        created=created,
        kept=len(existing),
        years_without_cuti_bersama=sorted(years - with_cuti),
        unconfirmed=unconfirmed,
    )


@transaction.atomic
def holiday_save(*, holiday: Holiday, previous_date: dt.date | None = None) -> Holiday:
    """Save a holiday entered or corrected in the admin, then move the deadlines it affects."""
    holiday.full_clean()
    holiday.save()
    _reschedule_after_commit([d for d in (holiday.date, previous_date) if d is not None])
    return holiday


@transaction.atomic
def holiday_delete(*, holiday: Holiday) -> None:
    date = holiday.date
    holiday.delete()
    _reschedule_after_commit([date])

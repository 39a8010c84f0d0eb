"""The working calendar: office hours of an agency, minus weekends, holidays and cuti bersama.

Service levels are counted in working time of the handling agency (times in WITA):

* :func:`add_working_time` — the moment a given amount of working time after ``start`` is used up;
* :func:`working_time_between` — how much working time lies between two moments.

Both load the agency's office hours (one query, none for the default hours) and the closed days
of the span (one query); a span longer than the first estimate loads the next stretch of days with
one more query. Results depend only on the arguments and the calendar rows: no clock is read.

What a *working day* means for ``days=N``: the deadline is the same point of the working day, N
working days later — Monday 10:00 + 5 days is the next Monday 10:00; with a holiday in between it
is the Tuesday. A start outside office hours counts from the next opening, and a whole number of
days from an opening ends at a closing: Saturday + 1 day is Monday at closing time. ``hours`` are
then added as working time (a lunch break or the night does not count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from services.workflow.models import Holiday, WorkingHours

CHUNK_DAYS = 62  # days of holidays loaded per extra query when a walk leaves the loaded span
MAX_DAYS = 3660  # a walk that finds no working time in ten years has a broken calendar
Interval = tuple[dt.datetime, dt.datetime]
Hours = dict[int, tuple[tuple[dt.time, dt.time], ...]]


def time_zone() -> ZoneInfo:
    return ZoneInfo(settings.WORKFLOW_TIME_ZONE)


@dataclass(frozen=True)
class ClosedDay:
    """A holiday as the calendar sees it (and as a due-date change names it)."""

    date: dt.date
    name_id: str
    name_en: str
    kind: str

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "name_id": self.name_id,
            "name_en": self.name_en,
            "kind": self.kind,
        }


def _merge(periods) -> tuple[tuple[dt.time, dt.time], ...]:
    merged: list[list[dt.time]] = []
    for opens, closes in sorted(periods):
        if merged and opens <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], closes)
        else:
            merged.append([opens, closes])
    return tuple((opens, closes) for opens, closes in merged)


@cache
def _default_hours_from(setting: tuple) -> Hours:
    hours: dict[int, list] = {}
    for weekday, periods in setting:
        hours[weekday] = [
            (dt.time.fromisoformat(opens), dt.time.fromisoformat(closes))
            for opens, closes in periods
        ]
    return {weekday: _merge(periods) for weekday, periods in hours.items()}


def default_hours() -> Hours:
    """``WORKFLOW_DEFAULT_WORKING_HOURS`` as times (parsed once per value of the setting)."""
    setting = settings.WORKFLOW_DEFAULT_WORKING_HOURS
    return _default_hours_from(
        tuple(sorted((int(day), tuple(map(tuple, periods))) for day, periods in setting.items()))
    )


class WorkingCalendar:
    """Office hours and closed days of one agency (``None``: the default hours, city-wide holidays).

    Closed days are loaded by stretches of dates, on demand; build it with :func:`calendar_for`.
    """

    def __init__(self, *, agency=None, hours: Hours, with_holidays: bool = True):
        if not any(hours.values()):
            raise ImproperlyConfigured("A working calendar needs office hours on some weekday.")
        self.agency = agency
        self.hours = hours
        self.with_holidays = with_holidays
        self._closed: dict[dt.date, list[ClosedDay]] = {}
        self._span: tuple[dt.date, dt.date] | None = None

    def without_holidays(self) -> WorkingCalendar:
        """The same office hours with no closed days: where a due time would be without them."""
        return WorkingCalendar(agency=self.agency, hours=self.hours, with_holidays=False)

    # --- closed days ---

    def load(self, first: dt.date, last: dt.date) -> None:
        """Make sure the closed days of ``first``..``last`` are loaded (one query if some are not)."""
        if not self.with_holidays:
            return
        if self._span is not None:
            low, high = self._span
            if first >= low and last <= high:
                return
            # Extend the loaded span so that it stays one contiguous stretch.
            if first < low:
                self._fetch(first, low - dt.timedelta(days=1))
                low = first
            if last > high:
                self._fetch(high + dt.timedelta(days=1), last)
                high = last
            self._span = (low, high)
            return
        self._fetch(first, last)
        self._span = (first, last)

    def _fetch(self, first: dt.date, last: dt.date) -> None:
        scope = Q(agency__isnull=True)
        if self.agency is not None:
            scope |= Q(agency=self.agency)
        rows = (
            Holiday.objects.filter(scope, date__range=(first, last), is_active=True)
            .order_by("date", "kind", "id")
            .values_list("date", "name_id", "name_en", "kind")
        )
        for date, name_id, name_en, kind in rows:
            self._closed.setdefault(date, []).append(ClosedDay(date, name_id, name_en, kind))

    def _ensure(self, day: dt.date) -> None:
        if not self.with_holidays:
            return
        if self._span is None:
            self.load(day, day + dt.timedelta(days=CHUNK_DAYS))
        elif day > self._span[1]:
            self.load(self._span[0], max(day, self._span[1] + dt.timedelta(days=CHUNK_DAYS)))
        elif day < self._span[0]:
            self.load(min(day, self._span[0] - dt.timedelta(days=CHUNK_DAYS)), self._span[1])

    def closed_on(self, day: dt.date) -> list[ClosedDay]:
        self._ensure(day)
        return self._closed.get(day, [])

    def closed_days_between(self, first: dt.date, last: dt.date) -> list[ClosedDay]:
        """Closed days from ``first`` to ``last`` that would otherwise have been working days."""
        self.load(first, last)
        return [
            closed
            for day in sorted(self._closed)
            if first <= day <= last and self.hours.get(day.weekday())
            for closed in self._closed[day]
        ]

    # --- office hours ---

    def intervals(self, day: dt.date) -> list[Interval]:
        """The working periods of ``day`` as aware datetimes (empty on a closed day)."""
        periods = self.hours.get(day.weekday(), ())
        if not periods or self.closed_on(day):
            return []
        tz = time_zone()
        return [
            (dt.datetime.combine(day, opens, tz), dt.datetime.combine(day, closes, tz))
            for opens, closes in periods
        ]

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.intervals(day))

    def next_working_day(self, day: dt.date) -> dt.date:
        for _ in range(MAX_DAYS):
            day += dt.timedelta(days=1)
            if self.intervals(day):
                return day
        raise ImproperlyConfigured(f"No working day within {MAX_DAYS} days after {day}.")

    # --- arithmetic ---

    def add(self, start: dt.datetime, *, days: int = 0, seconds: float = 0) -> dt.datetime:
        """``days`` working days (see the module docstring), then ``seconds`` of working time."""
        if start.tzinfo is None:
            raise ValueError("add() needs an aware datetime.")
        if days < 0 or seconds < 0:
            raise ValueError("Working time to add cannot be negative.")
        moment = start
        if days:
            moment = self._add_days(moment, days)
        if seconds:
            moment = self._add_time(moment, dt.timedelta(seconds=seconds))
        return moment

    def _add_days(self, start: dt.datetime, days: int) -> dt.datetime:
        day = start.astimezone(time_zone()).date()
        spans = self.intervals(day)
        if not spans or start >= spans[-1][1]:
            day, elapsed = self.next_working_day(day), dt.timedelta(0)
        else:
            elapsed = sum(
                (min(closes, start) - opens for opens, closes in spans if opens < start),
                dt.timedelta(0),
            )
        if not elapsed:
            # Whole days from an opening: they are used up at the closing of the last one.
            for _ in range(days - 1):
                day = self.next_working_day(day)
            return self.intervals(day)[-1][1]
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at_offset(day, elapsed)

    def _at_offset(self, day: dt.date, elapsed: dt.timedelta) -> dt.datetime:
        """The moment ``elapsed`` working time after the opening of ``day`` (its closing at most)."""
        spans = self.intervals(day)
        for opens, closes in spans:
            if elapsed <= closes - opens:
                return opens + elapsed
            elapsed -= closes - opens
        return spans[-1][1]

    def _add_time(self, start: dt.datetime, amount: dt.timedelta) -> dt.datetime:
        day = start.astimezone(time_zone()).date()
        left = amount
        for _ in range(MAX_DAYS):
            for opens, closes in self.intervals(day):
                if closes <= start:
                    continue
                begin = max(opens, start)
                if left <= closes - begin:
                    return begin + left
                left -= closes - begin
            day += dt.timedelta(days=1)
        raise ImproperlyConfigured(f"No working time within {MAX_DAYS} days after {start}.")

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
        if end < start:
            return -self.between(end, start)
        tz = time_zone()
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        self.load(first, last)
        total = dt.timedelta(0)
        day = first
        while day <= last:
            for opens, closes in self.intervals(day):
                overlap = min(closes, end) - max(opens, start)
                if overlap > dt.timedelta(0):
                    total += overlap
            day += dt.timedelta(days=1)
        return total


def office_hours_for(agency) -> Hours:
    """The agency's office hours (one query), or the default hours."""
    if agency is None:
        return default_hours()
    periods: dict[int, list] = {}
    for weekday, opens, closes in WorkingHours.objects.filter(agency=agency).values_list(
        "weekday", "opens_at", "closes_at"
    ):
        periods.setdefault(weekday, []).append((opens, closes))
    if not periods:
        return default_hours()
    return {weekday: _merge(rows) for weekday, rows in periods.items()}


def calendar_for(
    *, agency=None, first: dt.date | None = None, last: dt.date | None = None
) -> WorkingCalendar:
    """A calendar for ``agency``; with ``first``/``last`` its closed days are loaded at once."""
    calendar = WorkingCalendar(agency=agency, hours=office_hours_for(agency))
    if first is not None:
        calendar.load(first, last or first + dt.timedelta(days=CHUNK_DAYS))
    return calendar


def span_estimate(
    start: dt.datetime, *, days: int = 0, hours: float = 0
) -> tuple[dt.date, dt.date]:
    """Dates a walk of ``days`` + ``hours`` from ``start`` most likely stays within (with room for
    weekends and a long Lebaran break), so that one query loads its closed days."""
    first = start.astimezone(time_zone()).date()
    return first, first + dt.timedelta(days=int(days * 1.5 + hours / 5) + 30)


def add_working_time(
    *, start: dt.datetime, days: int = 0, hours: float = 0, agency=None
) -> dt.datetime:
    """The moment ``days`` working days and then ``hours`` working hours after ``start``, on the
    calendar of ``agency``. Queries: office hours (only with an agency) and closed days (one, more
    only for spans far beyond the estimate)."""
    first, last = span_estimate(start, days=days, hours=hours)
    calendar = calendar_for(agency=agency, first=first, last=last)
    return calendar.add(start, days=days, seconds=float(hours) * 3600)


def working_time_between(*, start: dt.datetime, end: dt.datetime, agency=None) -> dt.timedelta:
    """Working time of ``agency`` between ``start`` and ``end`` (negative when ``end`` < ``start``)."""
    calendar = WorkingCalendar(agency=agency, hours=office_hours_for(agency))
    return calendar.between(start, end)

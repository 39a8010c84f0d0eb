"""Human tracking numbers: ``<PREFIX>-<YEAR>-<NUMBER>``, e.g. ``DUK-2026-000123``.

Per prefix and year the numbers are **unique and gapless**: 1, 2, 3, … with none skipped, also
under concurrency and when the creation that took a number fails.

How: one :class:`~services.workflow.models.TrackingCounter` row per (prefix, year) is incremented
by ``UPDATE … SET last_number = last_number + 1 … RETURNING last_number`` *inside the caller's
transaction*. The update locks the row until that transaction ends, so

* concurrent creations queue on the row and each reads the number the previous one committed;
* a creation that rolls back rolls the increment back with it, and the next caller gets the same
  number again — no gap.

The price is that creations of one prefix are serialised from this call to their commit: call it
as late as possible in a short transaction (validate first, then take the number, insert, commit).
The first number of a year inserts the row with ``ON CONFLICT DO NOTHING`` (concurrent first
callers wait on the unique index and then update the winner's row). Keep a unique constraint on
the model's tracking-number field as the safety net.
"""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from services.workflow.models import TrackingCounter

PREFIX = re.compile(r"^[A-Z]{2,5}$")
DIGITS = 6

_UPDATE = (
    f"UPDATE {TrackingCounter._meta.db_table} SET last_number = last_number + 1 "  # noqa: S608
    "WHERE prefix = %s AND year = %s RETURNING last_number"
)


def tracking_number_format(*, prefix: str, year: int, number: int) -> str:
    return f"{prefix}-{year}-{number:0{DIGITS}d}"


def tracking_number_next(*, prefix: str, year: int | None = None) -> str:
    """Take the next number of ``prefix`` for ``year`` (default: this year in WITA).

    Must be called inside ``transaction.atomic()`` together with the insert that uses the number;
    raises ``RuntimeError`` otherwise (in autocommit a failed insert would leave a gap).
    """
    if not PREFIX.match(prefix):
        raise ValueError(f"Tracking-number prefix {prefix!r} must be 2–5 uppercase letters.")
    if year is None:
        year = timezone.localdate(timezone=ZoneInfo(settings.WORKFLOW_TIME_ZONE)).year
    if not 2000 <= year <= 9999:
        raise ValueError(f"Tracking-number year {year} is out of range.")
    if not connection.in_atomic_block:
        raise RuntimeError(
            "tracking_number_next() must run inside transaction.atomic() with the insert that "
            "uses the number, so that a failed insert gives the number back."
        )
    number = _increment(prefix, year)
    if number is None:
        TrackingCounter.objects.bulk_create(
            [TrackingCounter(prefix=prefix, year=year, last_number=0)], ignore_conflicts=True
        )
        number = _increment(prefix, year)
    return tracking_number_format(prefix=prefix, year=year, number=number)


def _increment(prefix: str, year: int) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute(_UPDATE, [prefix, year])
        row = cursor.fetchone()
    return row[0] if row else None

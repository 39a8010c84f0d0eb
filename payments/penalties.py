"""Late-payment penalty arithmetic (domain-facts §3.4): the rule is configuration, not code.

``penalty = principal × rate × min(months_late, cap)``; months late are counted from the day
after the due date, either as *started* calendar months (a part month counts as a whole one) or
as *completed* months. How the rupiah amount is rounded is not in the sources (test-vectors §8
"rounding ✖ unconfirmed"), so it is a field of the rule too: half up (the seeded default), down or
up to whole rupiah.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_FLOOR, "up": ROUND_CEILING}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_late(*, due_date: dt.date, on: dt.date, part_month_counts: bool) -> int:
    """Months between ``due_date`` and ``on``; 0 on or before the due date.

    Completed months ``m`` is the largest ``m`` with ``due_date + m months <= on`` (a month after
    31 August is 30 September); a started month adds one when days remain.
    """
    if on <= due_date:
        return 0
    completed = (on.year - due_date.year) * 12 + (on.month - due_date.month)
    while completed > 0 and _add_months(due_date, completed) > on:
        completed -= 1
    if part_month_counts and _add_months(due_date, completed) < on:
        return completed + 1
    return completed


def penalty_amount(
    *,
    principal: int,
    due_date: dt.date,
    on: dt.date,
    rate_per_month: Decimal,
    cap_months: int,
    part_month_counts: bool,
    rounding: str = "half_up",
) -> int:
    months = min(
        months_late(due_date=due_date, on=on, part_month_counts=part_month_counts), cap_months
    )
    amount = Decimal(principal) * Decimal(rate_per_month) * months
    return int(amount.quantize(Decimal(1), rounding=ROUNDING_MODES[rounding]))

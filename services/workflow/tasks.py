"""Celery tasks of services.workflow."""

from __future__ import annotations

import datetime as dt

from celery import shared_task


@shared_task(name="workflow.reschedule_deadlines", time_limit=300, soft_time_limit=270)
def reschedule_deadlines(first: str, last: str) -> int:
    """Recompute the due times of open deadlines spanning ``first``..``last`` (ISO dates) after
    the calendar changed. Idempotent: a retry or a second run moves nothing more."""
    from services.workflow.deadlines import deadlines_reschedule

    changes = deadlines_reschedule(
        first=dt.date.fromisoformat(first), last=dt.date.fromisoformat(last)
    )
    return len(changes)

"""Periodic housekeeping of the API platform (scheduled by celery beat, see settings)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(name="platform.purge_idempotency_records", time_limit=600, soft_time_limit=540)
def purge_idempotency_records() -> None:
    call_command("purge_idempotency_records")

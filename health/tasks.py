"""Celery tasks: thin wrappers over services, idempotent, with time limits."""

from celery import shared_task
from django.db import DatabaseError

from health import services


@shared_task(name="health.materialise_sessions", soft_time_limit=120, time_limit=180)
def materialise_sessions() -> int:
    return services.sessions_materialise()


@shared_task(name="health.sweep_no_shows", soft_time_limit=120, time_limit=180)
def sweep_no_shows() -> int:
    return services.no_shows_sweep()


@shared_task(name="health.send_reminders", soft_time_limit=120, time_limit=180)
def send_reminders() -> int:
    return services.reminders_send()


@shared_task(
    name="health.record_booking",
    soft_time_limit=30,
    time_limit=60,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def record_booking(ticket_id: int) -> None:
    """History, activity item and receipt of a booking, queued on its commit (idempotent)."""
    services.ticket_booking_record(ticket_id=ticket_id)

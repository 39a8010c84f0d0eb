"""Celery tasks: thin wrappers over services, idempotent, with time limits."""

from celery import shared_task

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

"""Celery tasks: thin wrappers that call the services (idempotent, time-limited)."""

from celery import shared_task

from complaints import selectors, services


@shared_task(name="complaints.mark_breached", time_limit=300, soft_time_limit=240)
def complaints_mark_breached() -> int:
    """Beat: every 15 minutes, mark SLA breaches, notify agency admins, escalate."""
    return services.complaints_mark_breached()


@shared_task(name="complaints.close_confirmed", time_limit=300, soft_time_limit=240)
def complaints_close_confirmed() -> int:
    """Beat: daily, close resolved complaints whose confirmation window passed."""
    return services.complaints_close_confirmed()


@shared_task(name="complaints.make_public_photos", time_limit=300, soft_time_limit=240)
def complaint_make_public_photos(complaint_id: int) -> int:
    """After filing: the blurred public copies of the reporter's photos (faces, plates)."""
    return services.complaint_make_public_photos(complaint_id=complaint_id)


@shared_task(name="complaints.refresh_dashboard", time_limit=300, soft_time_limit=240)
def complaints_refresh_dashboard() -> int:
    """Beat: every COMPLAINT_DASHBOARD_CACHE_SECONDS, recompute the cached public dashboard."""
    return selectors.refresh_public_dashboard()["total"]


@shared_task(name="complaints.queue_missing_public_photos", time_limit=300, soft_time_limit=240)
def complaints_queue_missing_public_photos() -> int:
    """Beat: every 15 minutes, queue again the blurring whose task was lost (broker outage)."""
    return services.complaints_queue_missing_public_photos()

"""Settings of the health module, read with embedded defaults (documented in settings.py)."""

from django.conf import settings


def booking_window_days() -> int:
    return int(getattr(settings, "HEALTH_BOOKING_WINDOW_DAYS", 7))


def materialise_days() -> int:
    return int(getattr(settings, "HEALTH_MATERIALISE_DAYS", 14))


def no_show_grace_minutes() -> int:
    return int(getattr(settings, "HEALTH_NO_SHOW_GRACE_MINUTES", 15))


def default_service_minutes() -> int:
    return int(getattr(settings, "HEALTH_DEFAULT_SERVICE_MINUTES", 10))


def estimate_sample_size() -> int:
    return int(getattr(settings, "HEALTH_ESTIMATE_SAMPLE", 50))


def reminder_minutes() -> int:
    return int(getattr(settings, "HEALTH_REMINDER_MINUTES", 30))

"""When deliveries may go out: quiet hours (local time, WITA) and retry backoff."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _city_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` on Balikpapan's clock (``TIME_ZONE``, WITA), whatever timezone is active."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def quiet_hours() -> tuple[dt.time, dt.time] | None:
    """``NOTIFICATION_QUIET_HOURS`` ("21:00-06:00") as (start, end); None when switched off."""
    raw = (settings.NOTIFICATION_QUIET_HOURS or "").strip()
    if not raw:
        return None
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in raw.split("-"))
    except ValueError:
        raise ImproperlyConfigured(
            f"NOTIFICATION_QUIET_HOURS must look like 21:00-06:00, not {raw!r}."
        ) from None
    return None if start == end else (start, end)


def quiet_hours_end(moment: dt.datetime) -> dt.datetime | None:
    """The end of the quiet hours ``moment`` falls in (an aware datetime), or None outside them."""
    hours = quiet_hours()
    if hours is None:
        return None
    start, end = hours
    local = _city_time(moment)
    now = local.time()
    if start < end:  # e.g. 13:00–15:00 on the same day
        inside = start <= now < end
        end_day = local.date()
    else:  # across midnight, e.g. 21:00–06:00
        inside = now >= start or now < end
        end_day = local.date() + dt.timedelta(days=1) if now >= start else local.date()
    if not inside:
        return None
    return dt.datetime.combine(end_day, end, tzinfo=local.tzinfo)


def not_before(moment: dt.datetime, *, channel: str, is_urgent: bool) -> dt.datetime:
    """``moment``, or the end of the quiet hours for a non-urgent SMS, WhatsApp or push."""
    from services.notifications.models import QUIET_CHANNELS

    if is_urgent or channel not in QUIET_CHANNELS:
        return moment
    return quiet_hours_end(moment) or moment


def next_digest_at(moment: dt.datetime) -> dt.datetime:
    """The next daily digest run after ``moment`` (``NOTIFICATION_DIGEST_HOUR`` local time)."""
    local = _city_time(moment)
    at = local.replace(hour=settings.NOTIFICATION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def retry_delay(retries: int) -> dt.timedelta:
    """Exponential backoff: ``NOTIFICATION_RETRY_BACKOFF`` seconds doubled per retry done, at most
    ``NOTIFICATION_RETRY_BACKOFF_MAX``, plus up to 10 % jitter so that a provider's outage does not
    end in a stampede."""
    base = settings.NOTIFICATION_RETRY_BACKOFF * (2 ** max(retries, 0))
    seconds = min(base, settings.NOTIFICATION_RETRY_BACKOFF_MAX)
    jitter = secrets.randbelow(max(seconds // 10, 1))
    return dt.timedelta(seconds=seconds + jitter)

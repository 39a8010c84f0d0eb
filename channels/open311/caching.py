"""The shared cache of ``GET /open311/v2/requests.{json,xml}`` answers.

Partner applications poll the same query (usually the default: the last 90 days, up to 1,000
requests) many times a minute, and building it costs a query of 1,000 rows, cleaning every text
and rendering. The rendered body is cached under a key made of the normalised query, the language
(service names are translated) and a *version* number that every change of a complaint's public
fields bumps (``channels.signals``), so a new or changed complaint shows on the next read; the
entry's lifetime (``OPEN311_CACHE_SECONDS``) bounds what no signal sees (a renamed category or
agency, an ``update()`` around the services). A bump orphans the old entries; they expire.

The entry holds the body's gzip form (Django's ``compress_string``): a tenth of the bytes to
fetch from the cache and, for the clients that accept gzip (HTTP libraries do by default), to
send; the others get it unpacked.

Only the rendered public answer is cached: it carries no personal data (``selectors.request_data``
cleans it), and the per-client read limit and the jurisdiction check run before the cache is asked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

VERSION_KEY = "channels:open311:requests:version"
KEY_PREFIX = "channels:open311:requests"


def seconds() -> int:
    return max(int(getattr(settings, "OPEN311_CACHE_SECONDS", 60)), 0)


def version() -> int:
    """The current version. A missing one (first use, eviction, a cleared cache) starts at the
    current time in nanoseconds, above any earlier value, so an entry of an earlier generation
    can never be taken for the current one."""
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        current = cache.get(VERSION_KEY)
    return current


def changed() -> None:
    """Orphan every cached answer (one cache round trip). ``channels.signals`` calls it when a
    complaint is saved and again after the commit: with the first bump only, a read between
    the save and the commit would cache the old rows under the new version."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # missing: starting anew is as good as a bump
        cache.add(VERSION_KEY, time.time_ns(), None)


def default_start(*, days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The start of the default period (``days`` before now), with now rounded down to the cache
    lifetime so repeated default reads share one entry. The default has no end (up to now), so a
    complaint filed since is listed once the version is bumped."""
    now = now or timezone.now()
    lifetime = seconds()
    if lifetime:
        now = dt.datetime.fromtimestamp(int(now.timestamp()) // lifetime * lifetime, tz=dt.UTC)
    return now - dt.timedelta(days=days)


def key(
    *,
    fmt: str,
    ids: list[str],
    service_code: str | None,
    statuses: set[str] | None,
    start: dt.datetime | None,
    end: dt.datetime | None,
) -> str:
    """The entry of one normalised query: ids sorted (the answer's order is the list's own, and
    they override every other filter), both statuses the same as none, times in UTC."""
    if ids:
        query = ("ids", tuple(sorted(set(ids))))
    else:
        if statuses == {"open", "closed"}:
            statuses = None
        query = (
            service_code or "",
            ",".join(sorted(statuses or ())),
            start.astimezone(dt.UTC).isoformat() if start else "",
            end.astimezone(dt.UTC).isoformat() if end else "",
        )
    digest = hashlib.sha256(repr(query).encode()).hexdigest()[:32]
    language = translation.get_language() or ""
    return f"{KEY_PREFIX}:{version()}:{fmt}:{language}:{digest}"


def get(entry: str) -> bytes | None:
    return cache.get(entry) if seconds() else None


def put(entry: str, body: bytes) -> None:
    if seconds():
        cache.set(entry, body, seconds())

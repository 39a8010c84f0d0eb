"""The public catalog, cached: one snapshot of everything active, replaced on any change.

* The cache framework holds a **version** token and, under it, the **snapshot** (plain dicts of
  the active services, categories, agencies and life events, in both languages) and the rendered
  home screen per language, and each page of ``/api/v1/catalog/services/`` asked for (per
  search words, filters, language and page). :func:`catalog_changed` replaces the token, so
  that every process reads fresh data at once; nothing is deleted, old entries simply expire.
* A random token rather than a counter: an evicted counter would restart at a number whose stale
  entries may still be in the cache.
* Each process also keeps the search index built from the snapshot, keyed by the version it was
  built from; the version read from the shared cache decides whether it is still good, so no
  process ever serves what another has replaced (ARCHITECTURE: nothing kept in process memory
  that another process needs).
* ``CATALOG_CACHE_SECONDS`` bounds how long a snapshot lives: only edits made outside the
  application (SQL, another tool) rely on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "catalog:version"


def _timeout() -> int:
    return settings.CATALOG_CACHE_SECONDS


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "uncached"
    return version


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def catalog_changed() -> None:
    """Call after any change to what the catalog shows. Replaces the version now (so this request
    and this transaction read fresh data) and again after commit (so that another process cannot
    keep a snapshot it built from the data as it was before the commit)."""
    bump_version()
    transaction.on_commit(bump_version, robust=True)


def cached(name: str, build: Callable[[], Any], *, version: str | None = None) -> Any:
    """The value cached as ``name`` for the current version, built and stored when missing."""
    key = f"catalog:{version or current_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=_timeout())
    return value

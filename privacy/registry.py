"""The plug-in point of the data-subject rights: each module says what it holds about a person.

A module's ``<app>/privacy.py`` calls :func:`register` at import (``PrivacyConfig.ready`` imports
every installed app's ``privacy`` module), so the export, the erasure and the retention purge never
need to know the modules, and a module added later is covered by adding one file:

* ``export(user) -> JSON-able`` — the module's part of ``data.json`` (a bounded number of queries:
  ``select_related``/``prefetch_related``, no query per row);
* ``files(user) -> iterable of (name in the ZIP, FieldFile)`` — files to put beside it;
* ``erase(user) -> dict[str, int]`` — erase or de-link the person (called inside the one
  transaction of :func:`privacy.services.account_erase`, before the account itself is emptied);
  the counts are kept (without any personal data) in the erasure record;
* ``purge(now) -> dict[str, int]`` — the module's retention sweep (abandoned drafts …);
* ``blocks(user) -> str`` — a reason (shown to the citizen) why the account cannot be erased now,
  e.g. requests still being handled; empty when nothing stands in the way.

``order`` sorts the contributors (lower first): a module whose rows point at another module's
(a request pointing at documents) erases before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Contributor:
    section: str
    export: Callable[[Any], Any] | None = None
    files: Callable[[Any], Iterable[tuple[str, Any]]] | None = None
    erase: Callable[[Any], dict[str, int]] | None = None
    purge: Callable[[Any], dict[str, int]] | None = None
    blocks: Callable[[Any], str] | None = None
    order: int = 100


_contributors: dict[str, Contributor] = {}


def register(
    section: str,
    *,
    export: Callable | None = None,
    files: Callable | None = None,
    erase: Callable | None = None,
    purge: Callable | None = None,
    blocks: Callable | None = None,
    order: int = 100,
) -> Contributor:
    """Register (or replace: a re-import registers the same section again) a contributor."""
    contributor = Contributor(section, export, files, erase, purge, blocks, order)
    _contributors[section] = contributor
    return contributor


def contributors() -> list[Contributor]:
    return sorted(_contributors.values(), key=lambda c: (c.order, c.section))

"""The adapter to the national population system (SIAK / Dukcapil Kemendagri).

Three questions: does a NIK exist and match a name, take this request, what is its status. The
adapter is chosen by the ``CIVIL_REGISTRY_NATIONAL_ADAPTER`` setting (a dotted path):

* :class:`FakeNationalSystem` (default) — deterministic, no network: the demo and the tests;
* :class:`HttpNationalSystem` — the real one, configured by ``CIVIL_REGISTRY_NATIONAL_URL`` and
  ``CIVIL_REGISTRY_NATIONAL_TOKEN``; the HTTP contract is the integration agreement with
  Dukcapil (not public), so it raises :class:`NationalSystemUnavailable` until it is filled in.

Nothing here is called while a citizen waits: ``tasks.request_push_to_national`` calls it with
retries. No NIK is ever logged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_ADAPTER = "civil_registry.national.FakeNationalSystem"


class NationalSystemUnavailable(Exception):
    """A temporary failure: the task retries."""


@dataclass(frozen=True)
class PushedRequest:
    tracking_number: str
    request_type: str
    subject_name: str


class NationalSystem:
    """The interface every adapter implements."""

    def check_nik(self, *, nik: str, full_name: str) -> bool:
        raise NotImplementedError

    def push_request(self, *, request: PushedRequest) -> str:
        """Hand the request over; return the national system's reference (idempotent per
        tracking number)."""
        raise NotImplementedError

    def pull_status(self, *, reference: str) -> str:
        """``received``, ``processing``, ``done`` or ``rejected``."""
        raise NotImplementedError

    def config_problems(self) -> list[str]:
        return []


class FakeNationalSystem(NationalSystem):
    """Deterministic: a NIK whose serial is ``9999`` does not exist; names match when not empty;
    the reference is derived from the tracking number; the status is ``received``."""

    def check_nik(self, *, nik: str, full_name: str) -> bool:
        return len(nik) == 16 and nik.isdigit() and not nik.endswith("9999") and bool(full_name)

    def push_request(self, *, request: PushedRequest) -> str:
        digest = hashlib.sha256(request.tracking_number.encode()).hexdigest()[:12].upper()
        return f"SIAK-{digest}"

    def pull_status(self, *, reference: str) -> str:
        return "received"


class HttpNationalSystem(NationalSystem):
    def config_problems(self) -> list[str]:
        problems = []
        if not getattr(settings, "CIVIL_REGISTRY_NATIONAL_URL", ""):
            problems.append("CIVIL_REGISTRY_NATIONAL_URL is not set.")
        if not getattr(settings, "CIVIL_REGISTRY_NATIONAL_TOKEN", ""):
            problems.append("CIVIL_REGISTRY_NATIONAL_TOKEN is not set.")
        return problems

    def _unavailable(self):
        raise NationalSystemUnavailable("The national system contract is not configured.")

    def check_nik(self, *, nik: str, full_name: str) -> bool:
        self._unavailable()

    def push_request(self, *, request: PushedRequest) -> str:
        self._unavailable()

    def pull_status(self, *, reference: str) -> str:
        self._unavailable()


def national_system() -> NationalSystem:
    path = getattr(settings, "CIVIL_REGISTRY_NATIONAL_ADAPTER", "") or DEFAULT_ADAPTER
    return import_string(path)()

"""The adapter to the national population system (SIAK / Dukcapil Kemendagri).

Three questions: does a NIK exist and match a name, take this request, what is its status. The
adapter is chosen by the ``CIVIL_REGISTRY_NATIONAL_ADAPTER`` setting (a dotted path):

* :class:`FakeNationalSystem` (default) — deterministic, no network: the demo and the tests;
* :class:`HttpNationalSystem` — the real one over HTTPS (JSON), configured by
  ``CIVIL_REGISTRY_NATIONAL_URL``, ``CIVIL_REGISTRY_NATIONAL_TOKEN`` (a bearer token) and
  ``CIVIL_REGISTRY_NATIONAL_TIMEOUT`` (seconds). The contract it speaks is written down in
  ``README.md`` ("National system contract").

Nothing here is called while a citizen waits: the tasks in ``tasks.py`` call it with retries.
A NIK is sent only in a request body, never in a URL, a log line or an exception message.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import quote

import requests
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

DEFAULT_ADAPTER = "civil_registry.national.FakeNationalSystem"
DEFAULT_TIMEOUT = 10.0


class NationalSystemUnavailable(Exception):
    """A temporary failure (timeout, connection, 5xx, 429): the task retries."""


class NationalSystemError(Exception):
    """A permanent refusal or an answer we cannot read (4xx, bad JSON): retrying will not help."""


class NikCheck(models.TextChoices):
    MATCH = "match", _("NIK found, name matches")
    NAME_MISMATCH = "name_mismatch", _("NIK found, name does not match")
    NOT_FOUND = "not_found", _("NIK not found")


class NationalStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    PROCESSING = "processing", _("Processing")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected")


FINAL_STATUSES = (NationalStatus.DONE, NationalStatus.REJECTED)


@dataclass(frozen=True)
class PushedRequest:
    tracking_number: str
    request_type: str
    subject_name: str


class NationalSystem:
    """The interface every adapter implements."""

    def check_nik(self, *, nik: str, full_name: str) -> NikCheck:
        raise NotImplementedError

    def push_request(self, *, request: PushedRequest) -> str:
        """Hand the request over; return the national system's reference (idempotent per
        tracking number)."""
        raise NotImplementedError

    def pull_status(self, *, reference: str) -> NationalStatus:
        raise NotImplementedError

    def config_problems(self) -> list[str]:
        return []


class FakeNationalSystem(NationalSystem):
    """Deterministic: a NIK whose serial is ``9999`` does not exist; a name matches when it is
    not empty; the reference is derived from the tracking number; the status is ``received``."""

    def check_nik(self, *, nik: str, full_name: str) -> NikCheck:
        if not (len(nik) == 16 and nik.isdigit()) or nik.endswith("9999"):
            return NikCheck.NOT_FOUND
        return NikCheck.MATCH if full_name.strip() else NikCheck.NAME_MISMATCH

    def push_request(self, *, request: PushedRequest) -> str:
        digest = hashlib.sha256(request.tracking_number.encode()).hexdigest()[:12].upper()
        return f"SIAK-{digest}"

    def pull_status(self, *, reference: str) -> NationalStatus:
        return NationalStatus.RECEIVED


class HttpNationalSystem(NationalSystem):
    """The national system's JSON API over HTTPS (see ``README.md`` for the contract)."""

    def __init__(self, session: requests.Session | None = None):
        self.base_url = (getattr(settings, "CIVIL_REGISTRY_NATIONAL_URL", "") or "").rstrip("/")
        self.token = getattr(settings, "CIVIL_REGISTRY_NATIONAL_TOKEN", "") or ""
        self.timeout = float(
            getattr(settings, "CIVIL_REGISTRY_NATIONAL_TIMEOUT", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT
        )
        self.session = session or requests.Session()

    def config_problems(self) -> list[str]:
        problems = []
        if not self.base_url:
            problems.append("CIVIL_REGISTRY_NATIONAL_URL is not set.")
        elif not self.base_url.startswith("https://") and not settings.DEBUG:
            problems.append("CIVIL_REGISTRY_NATIONAL_URL must use https.")
        if not self.token:
            problems.append("CIVIL_REGISTRY_NATIONAL_TOKEN is not set.")
        return problems

    def _call(self, method: str, path: str, **kwargs) -> dict:
        if not self.base_url or not self.token:
            raise NationalSystemUnavailable("The national system is not configured.")
        try:
            response = self.session.request(
                method,
                f"{self.base_url}{path}",
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/json",
                    **kwargs.pop("headers", {}),
                },
                timeout=self.timeout,
                **kwargs,
            )
        except requests.Timeout:
            raise NationalSystemUnavailable(f"{method} {path}: timed out") from None
        except requests.RequestException as exc:
            raise NationalSystemUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        # only the method, the path (no personal data in it) and the status go into messages
        if response.status_code == 429 or response.status_code >= 500:
            raise NationalSystemUnavailable(f"{method} {path}: HTTP {response.status_code}")
        if response.status_code >= 400:
            raise NationalSystemError(f"{method} {path}: HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            raise NationalSystemError(f"{method} {path}: the answer is not JSON") from None
        if not isinstance(body, dict):
            raise NationalSystemError(f"{method} {path}: the answer is not an object")
        return body

    def check_nik(self, *, nik: str, full_name: str) -> NikCheck:
        body = self._call("POST", "/v1/nik/verify", json={"nik": nik, "name": full_name})
        found, matches = body.get("found"), body.get("name_matches")
        if not isinstance(found, bool) or not isinstance(matches, bool):
            raise NationalSystemError("POST /v1/nik/verify: unexpected answer")
        if not found:
            return NikCheck.NOT_FOUND
        return NikCheck.MATCH if matches else NikCheck.NAME_MISMATCH

    def push_request(self, *, request: PushedRequest) -> str:
        body = self._call(
            "POST",
            "/v1/requests",
            json={
                "tracking_number": request.tracking_number,
                "request_type": request.request_type,
                "subject_name": request.subject_name,
            },
            headers={"Idempotency-Key": request.tracking_number},
        )
        reference = body.get("reference")
        if not isinstance(reference, str) or not reference or len(reference) > 64:
            raise NationalSystemError("POST /v1/requests: no usable reference")
        return reference

    def pull_status(self, *, reference: str) -> NationalStatus:
        path = f"/v1/requests/{quote(reference, safe='')}"
        body = self._call("GET", path)
        status = body.get("status")
        if status not in NationalStatus.values:
            raise NationalSystemError(f"GET {path}: unknown status")
        return NationalStatus(status)


def national_system() -> NationalSystem:
    path = getattr(settings, "CIVIL_REGISTRY_NATIONAL_ADAPTER", "") or DEFAULT_ADAPTER
    return import_string(path)()

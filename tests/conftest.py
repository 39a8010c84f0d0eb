"""Shared fixtures and the rules for tests that need real services.

* ``@pytest.mark.postgres`` runs only with ``DATABASE_URL`` pointing at PostgreSQL;
* ``@pytest.mark.broker`` runs only with ``CELERY_BROKER_URL`` set;
* ``@pytest.mark.e2e`` drives the system Chromium.

Outside CI they are skipped when their service is missing. With ``BUW_REQUIRE_ALL=1`` (set by
``.ci/run``) a skipped test of any of these kinds fails the run.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings as django_settings

REQUIRE_ALL = os.environ.get("BUW_REQUIRE_ALL") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
GUARDED_MARKERS = ("postgres", "broker", "e2e")


def _is_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    reasons = {
        "postgres": None if _is_postgres() else "DATABASE_URL does not point at PostgreSQL",
        "broker": None if os.environ.get("CELERY_BROKER_URL") else "CELERY_BROKER_URL is unset",
        "e2e": None if os.path.exists(CHROMIUM) else f"no Chromium at {CHROMIUM}",
    }
    for item in items:
        for marker, reason in reasons.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))


_guarded_skips: list[str] = []


def pytest_runtest_logreport(report):
    if REQUIRE_ALL and report.skipped:
        keywords = report.keywords or {}
        if any(marker in keywords for marker in GUARDED_MARKERS):
            _guarded_skips.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if REQUIRE_ALL and _guarded_skips:
        print(f"\nBUW_REQUIRE_ALL: {len(_guarded_skips)} postgres/broker/e2e test(s) were skipped:")
        for nodeid in _guarded_skips:
            print(f"  {nodeid}")
        session.exitstatus = 1


@pytest.fixture(autouse=True, scope="session")
def _celery_eager():
    """Tasks run in-process in tests, even when CELERY_BROKER_URL is set for the broker tests."""
    from balikpapan_untuk_warga.celery import app

    app.conf.update(task_always_eager=True, task_eager_propagates=True)


@pytest.fixture(autouse=True)
def _celery_join_flag():
    """An eager task sets Celery's process-wide "never join a result here" flag while it runs and
    restores the value it found. Two threads running eager tasks at once (the concurrency tests)
    can leave it set, and a later test's ``result.get()`` on a real worker would then refuse to
    wait. Production runs tasks on workers, not eagerly in threads, so this is a test artefact."""
    from celery._state import _set_task_join_will_block

    yield
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.SMS_BACKEND = "services.sms.LocmemSMSBackend"
    # Tests change sessions behind the services' backs and poll at once: no per-process copy
    # (tests/health/test_api.py turns it on where it is the subject).
    settings.HEALTH_NOW_SERVING_LOCAL_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clean_state():
    """Throttle counters, allauth rate limits and the SMS outbox start empty in every test."""
    from django.core.cache import cache

    from health.services import now_serving_local
    from services import modules, sms

    cache.clear()
    modules.forget_local()
    now_serving_local.forget()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _staff_sessions_passed_mfa(monkeypatch):
    """Staff must sign in with two-factor authentication (``accounts.mfa``); a test that signs
    staff in with ``force_login`` / ``force_authenticate`` gets the session a real sign-in with the
    code leaves (``tests.factories.mark_mfa_passed``). The gate itself stays on: ``client.login``
    and allauth's own flows are untouched (tests/accounts/test_mfa.py)."""
    from django.test import Client
    from rest_framework.test import APIClient

    from tests.factories import mark_mfa_passed, mfa_token_session

    force_login = Client.force_login
    force_authenticate = APIClient.force_authenticate

    def force_login_with_mfa(self, user, backend=None):
        force_login(self, user, backend)
        mark_mfa_passed(self, user)

    def force_authenticate_with_mfa(self, user=None, token=None):
        if user is not None and token is None:
            token = mfa_token_session(user)
        force_authenticate(self, user, token)

    monkeypatch.setattr(Client, "force_login", force_login_with_mfa)
    monkeypatch.setattr(APIClient, "force_authenticate", force_authenticate_with_mfa)


@pytest.fixture
def sms_outbox():
    from services import sms

    return sms.outbox

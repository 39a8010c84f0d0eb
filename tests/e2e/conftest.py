"""The real-browser harness: the system Chromium driven by Playwright against ``live_server``.

* Never ``playwright install``: the browser is Debian's ``/usr/bin/chromium`` or
  ``CHROMIUM_PATH``.
* Every test here must carry ``@pytest.mark.e2e`` (collection fails otherwise), so that
  ``tests/conftest.py`` skips them where there is no Chromium and CI fails if any is skipped.
* Playwright's sync API runs an event loop in the test thread, which makes Django refuse ORM
  calls from it unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set; the ORM is only used to arrange data.
* ``E2E_SCREENSHOTS=/some/dir`` saves a screenshot of the main pages there.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.conftest import CHROMIUM
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory, totp_code

HERE = Path(__file__).parent
VIEWPORT = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents and not item.get_closest_marker("e2e"):
            raise pytest.UsageError(f"{item.nodeid} is in tests/e2e without @pytest.mark.e2e")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH") or CHROMIUM,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _e2e_db(transactional_db):
    """The live server runs in another thread: data must be committed for it to see it."""


# Content-Security-Policy violations Chromium reported in the current test's pages.
CSP_VIOLATIONS: list[str] = []


def _watch_for_csp_violations(page) -> None:
    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{page.url}: {message.text}")

    page.on("console", on_console)


@pytest.fixture(autouse=True)
def _no_csp_violation():
    """The policy is enforced in these tests: a blocked script or style fails the test."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "\n".join(CSP_VIOLATIONS)


def new_context(browser, *, locale: str = "id-ID"):
    """A phone-sized context; ``id-ID`` sends ``Accept-Language: id-ID`` like a local phone."""
    context = browser.new_context(viewport=VIEWPORT, locale=locale, device_scale_factor=1)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("page", _watch_for_csp_violations)
    return context


@pytest.fixture
def context(browser) -> Iterator:
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def citizen():
    """A citizen with an email and a phone, who signs in with ``tests.factories.PASSWORD``."""
    return UserFactory(
        full_name="Siti Rahmawati", email="siti@example.test", phone="+6281234560001"
    )


def log_in(
    page, base_url: str, *, login: str, password: str = PASSWORD, totp_secret: str = TOTP_SECRET
) -> None:
    """Sign in through the portal's login page and wait for the profile page; an account with an
    authenticator app (all staff) is asked for its code, computed from ``totp_secret``."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/(profil|accounts/2fa/authenticate)/"))
    if "/accounts/2fa/authenticate/" in page.url:
        enter_totp_code(page, totp_secret)
    page.wait_for_url(f"{base_url}/profil/")


def enter_totp_code(page, totp_secret: str = TOTP_SECRET) -> None:
    """Type the authenticator app's current code into allauth's code page and confirm."""
    page.locator("#id_code").fill(totp_code(totp_secret))
    page.locator("form.form button[type=submit]:not([form])").click()


def admin_log_in(
    page, base_url: str, *, login: str, password: str = PASSWORD, totp_secret: str = TOTP_SECRET
) -> None:
    """Sign staff in through the admin's login form; the admin then asks for the authenticator
    app's code (accounts.mfa) on allauth's page, and comes back to the admin's index."""
    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/reauthenticate/"))
    enter_totp_code(page, totp_secret)
    page.wait_for_url(f"{base_url}/admin/")


def screenshot(page, name: str) -> None:
    directory = os.environ.get("E2E_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=False)

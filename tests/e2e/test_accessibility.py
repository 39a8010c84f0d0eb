"""Accessibility of every portal and allauth page: our own checks, then axe-core (WCAG 2.1 AA).

Pages are checked in their empty state and, where they have a form, after a failed submit,
because that is where labels and error messages most often go wrong.
"""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import log_in

ANONYMOUS_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/login/code/",
    "/no-such-page/",  # the 404 page
    "/layanan/pengaduan/dasbor/",
    "/layanan/pengaduan/lacak/",
    "/layanan/pengaduan/lacak/?number=ADU-2026-999999",  # not found (404 page of the form)
    "/layanan/pengaduan/titik-banjir/",
    "/layanan/kesehatan/",
]
SIGNED_IN_PAGES = [
    "/profil/",
    "/accounts/email/",
    "/accounts/phone/change/",
    "/accounts/password/change/",
    "/accounts/sessions/",
    "/accounts/logout/",
    "/layanan/pengaduan/",
    "/layanan/pengaduan/baru/",
    "/layanan/kesehatan/kunjungan/",
]
# Forms submitted empty to see their error state.
FORMS_WITH_ERRORS = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

STRUCTURE = (Path(__file__).parent / "structure_checks.js").read_text()


def structure_problems(page) -> list[str]:
    return page.evaluate(STRUCTURE)


def axe_violations(page) -> str:
    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return results.generate_report() if results.violations_count else ""


def check(page, url: str) -> dict[str, object]:
    return {"url": url, "structure": structure_problems(page), "axe": axe_violations(page)}


def assert_all_pass(reports):
    failing = [r for r in reports if r["structure"] or r["axe"]]
    assert failing == [], "\n\n".join(f"{r['url']}: {r['structure']}\n{r['axe']}" for r in failing)


@pytest.mark.e2e
def test_anonymous_pages(page, live_server):
    reports = []
    for path in ANONYMOUS_PAGES:
        page.goto(f"{live_server.url}{path}")
        reports.append(check(page, path))
    assert_all_pass(reports)


@pytest.mark.e2e
def test_forms_in_their_error_state(page, live_server):
    reports = []
    for path in FORMS_WITH_ERRORS:
        page.goto(f"{live_server.url}{path}")
        with page.expect_navigation():
            page.locator("main form.form button[type=submit]").first.click()
        assert page.locator(".error-summary").count() == 1, path
        assert page.locator("[aria-invalid=true]").count() >= 1, path
        reports.append(check(page, f"{path} (errors)"))
    assert_all_pass(reports)


@pytest.mark.e2e
def test_signed_in_pages(page, live_server, citizen):
    log_in(page, live_server.url, login=citizen.email)
    reports = []
    for path in SIGNED_IN_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert page.url == f"{live_server.url}{path}"
        reports.append(check(page, path))
    page.goto(f"{live_server.url}/profil/")
    page.locator("#id_full_name").fill("")
    page.locator("#id_nik").fill("123")
    page.locator("main form.form button[type=submit]").click()
    page.wait_for_load_state()
    reports.append(check(page, "/profil/ (errors)"))
    assert_all_pass(reports)


@pytest.mark.e2e
def test_the_checks_catch_broken_markup(page, live_server):
    """The home-made checks fail on what they are meant to catch."""
    page.goto(f"{live_server.url}/")
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<h1>Second</h1><input id="orphan"><img src="data:,"><span id="main"></span>'
        + '<button id="tiny">x</button>');
      // Through the CSSOM: the Content-Security-Policy blocks inline style attributes.
      document.getElementById("tiny").style.cssText = "height:20px;min-height:0;padding:0";
    }""")

    problems = structure_problems(page)

    assert "2 h1 elements" in problems
    assert 'id "main" used 2 times' in problems
    assert any(p.startswith("no label:") and "orphan" in p for p in problems)
    assert any(p.startswith("img without alt:") for p in problems)
    assert any(p.startswith("target ") for p in problems)
    assert axe_violations(page)

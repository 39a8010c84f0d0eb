"""The catalog in a real browser on a phone (390×844, Indonesian): find a service by the words a
citizen uses, open its page, read what to bring and what it costs; the pages pass the same
accessibility checks as the rest of the portal."""

import pytest

from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_accessibility import assert_all_pass, check
from tests.services.test_catalog_factories import seed_everything


@pytest.fixture
def catalog():
    return seed_everything()


@pytest.mark.e2e
def test_find_a_birth_certificate_by_akte_lahir(page, live_server, catalog):
    page.goto(f"{live_server.url}/layanan/")
    assert page.locator("h1").inner_text() == "Layanan kota"

    page.get_by_label("Cari layanan").fill("akte lahir")
    with page.expect_navigation():
        page.get_by_role("button", name="Cari").click()

    assert page.url == f"{live_server.url}/layanan/?q=akte+lahir"
    first = page.locator("main .service-list > li").first
    assert first.locator("h3").inner_text() == "Akta Kelahiran"
    screenshot(page, "catalog-search")

    with page.expect_navigation():
        first.get_by_role("link", name="Akta Kelahiran").click()

    assert page.url == f"{live_server.url}/layanan/katalog/akta-kelahiran/"
    assert page.locator("h1").inner_text() == "Akta Kelahiran"
    requirements = page.locator("ul.requirements > li").all_inner_texts()
    assert requirements[:3] == [
        "Surat keterangan kelahiran dari rumah sakit, puskesmas, klinik atau bidan",
        "Kartu Keluarga (KK) orang tua",
        "KTP-el kedua orang tua",
    ]
    assert page.locator(".service-fee").inner_text() == "Gratis"
    apply = page.get_by_role("link", name="Ajukan online")
    assert apply.get_attribute("href") == "/layanan/pencatatan-sipil/"
    # Nothing spills sideways on the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    screenshot(page, "catalog-service")


@pytest.mark.e2e
def test_a_newcomer_follows_the_moving_journey(page, live_server, catalog, citizen):
    log_in(page, live_server.url, login=citizen.email)
    page.goto(f"{live_server.url}/layanan/")

    with page.expect_navigation():
        page.get_by_role("link", name="Pindah ke Balikpapan").click()

    assert page.locator("h1").inner_text() == "Pindah ke Balikpapan"
    assert page.locator(".progress").inner_text() == "Anda sudah menyelesaikan 0 dari 6 langkah."
    steps = page.locator("ol.steps > li h2").all_inner_texts()
    assert steps[0] == "Pindah datang ke Balikpapan"
    screenshot(page, "catalog-life-event")


@pytest.mark.e2e
def test_the_catalog_pages_are_accessible(page, live_server, catalog):
    reports = []
    for path in [
        "/layanan/",
        "/layanan/?q=akte+lahir",
        "/layanan/?q=qwrtzx",
        "/layanan/katalog/akta-kelahiran/",
        "/layanan/katalog/skck/",
        "/peristiwa/kelahiran/",
    ]:
        page.goto(f"{live_server.url}{path}")
        reports.append(check(page, path))
    assert_all_pass(reports)

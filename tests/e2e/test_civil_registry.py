"""The portal path of the civil registry module in a real browser, at phone size (390×844):
log in, apply for an akta kelahiran with real image files, see it submitted with its history."""

import pytest
from playwright.sync_api import expect

from accounts.models import AgencyMembership  # noqa: F401
from civil_registry.demo import demo_png
from civil_registry.models import CivilRequest
from tests.e2e.conftest import log_in, screenshot
from tests.factories import AgencyFactory, KelurahanFactory, UserFactory


@pytest.mark.e2e
def test_a_citizen_applies_for_an_akta_kelahiran_with_images(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "private"
    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    UserFactory(
        full_name="Siti Rahmawati",
        email="siti-akta@example.test",
        nik="6471054107990042",
        home_kelurahan=KelurahanFactory(),
    )
    files = {}
    for name in ("surat-lahir", "kk", "buku-nikah"):
        path = tmp_path / f"{name}.png"
        path.write_bytes(demo_png(f"{name}.png").read())
        files[name] = str(path)

    base = live_server.url
    log_in(page, base, login="siti-akta@example.test")
    page.goto(f"{base}/layanan/pencatatan-sipil/")
    expect(page.locator("h1")).to_have_text("Permohonan pencatatan sipil saya")
    page.get_by_role("link", name="Ajukan akta kelahiran").click()
    page.wait_for_url(f"{base}/layanan/pencatatan-sipil/akta-kelahiran/baru/")

    page.get_by_label("Nama lengkap anak").fill("Aisyah Putri")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tanggal lahir").fill("2026-10-02")
    page.get_by_label("Tempat lahir").fill("RSUD Beriman")
    page.get_by_label("Penolong kelahiran").select_option("midwife")
    page.get_by_label("Nama ibu").fill("Siti Rahmawati")
    page.get_by_label("Nomor KK orang tua").fill("6471052003150004")
    page.get_by_label("Surat keterangan lahir dari rumah sakit atau bidan").set_input_files(
        files["surat-lahir"]
    )
    page.get_by_label("Kartu keluarga (KK) orang tua").set_input_files(files["kk"])
    page.get_by_label("Buku nikah atau akta perkawinan orang tua").set_input_files(
        files["buku-nikah"]
    )
    screenshot(page, "civil-registry-birth-form")
    page.get_by_role("button", name="Kirim permohonan").click()

    page.wait_for_url(f"{base}/layanan/pencatatan-sipil/*/")
    obj = CivilRequest.objects.get()
    expect(page.locator("h1")).to_have_text("Akta kelahiran")
    expect(page.locator("#request-state")).to_have_text("Diajukan")
    expect(page.locator(".facts")).to_contain_text(obj.tracking_number)
    expect(page.locator("ol.history li")).to_have_count(2)
    assert obj.state == "submitted"
    assert obj.documents.count() == 3
    # no horizontal scrolling at phone width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "civil-registry-detail")

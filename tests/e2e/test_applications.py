"""Online applications in a real browser at phone size, with the demo data (``seed_demo``): the
demo citizen applies for a surat keterangan usaha (a form defined as data, not code), the
conditional fields appear and disappear with the answers, an empty submit lists what is missing,
and the kelurahan's officer approves and completes it in the admin; the citizen downloads the
generated decision letter. The pages pass our accessibility checks and axe-core and stay under
150 KB."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import AgencyMembership
from applications.models import Application
from balikpapan_untuk_warga.management.commands.seed_demo import DEMO_PASSWORD
from civil_registry.demo import DEMO_CITIZEN, demo_png
from services.models import Agency
from tests.e2e.conftest import admin_log_in, log_in, new_context, screenshot
from tests.e2e.test_accessibility import assert_all_pass, check
from tests.e2e.test_keyboard import focus_is_visible, tab
from tests.e2e.test_page_weight import BUDGET_BYTES, page_weight
from tests.factories import PASSWORD, StaffFactory

ROOT = "/layanan/permohonan/"


@pytest.mark.e2e
def test_the_demo_citizen_applies_for_an_sku_and_the_officer_completes_it(
    page, browser, context, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", stdout=io.StringIO())
    officer_user = StaffFactory(
        email="lurah@example.test",
        role=AgencyMembership.Role.COUNTER_OFFICER,
        role__agency=Agency.objects.get(code="kec-balikpapan-selatan"),
    )
    scan = tmp_path / "scan.png"
    scan.write_bytes(demo_png().read())
    base = live_server.url
    reports = []

    log_in(page, base, login=DEMO_CITIZEN, password=DEMO_PASSWORD)
    page.goto(f"{base}{ROOT}")
    expect(page.locator("h1")).to_have_text("Permohonan daring")
    reports.append(check(page, ROOT))
    page.get_by_role("link", name="Surat keterangan usaha (SKU) dari kelurahan").click()
    page.wait_for_url(f"{base}{ROOT}ajukan/surat_keterangan_usaha/")
    reports.append(check(page, "form"))

    # conditions: "describe the business" only for "other", the NIB only when there is one
    other = page.locator('[data-key="business_kind_other"]')
    nib = page.locator('[data-key="nib"]')
    expect(other).to_be_hidden()
    expect(nib).to_be_hidden()
    page.locator('select[name="business_kind"]').select_option("lainnya")
    expect(other).to_be_visible()
    page.locator('select[name="business_kind"]').select_option("kuliner")
    expect(other).to_be_hidden()
    page.locator('input[name="has_nib"][value="yes"]').check()
    expect(nib).to_be_visible()

    # sent nearly empty: nothing is written, every problem is on its field
    page.get_by_role("button", name="Kirim permohonan").click()
    expect(page.locator("#form-errors")).to_be_visible()
    expect(page.locator(".field--error").first).to_be_visible()
    reports.append(check(page, "form with errors"))
    assert not Application.objects.exists()

    page.get_by_label("NIK pemohon", exact=True).fill("6471054107990042")
    page.get_by_label("Nama usaha", exact=True).fill("Warung Siti")
    page.locator('select[name="business_kind"]').select_option("kuliner")
    page.get_by_label("Alamat tempat usaha: jalan, nomor, RT").fill("Jl. Mulawarman No. 5 RT 12")
    page.get_by_label("Alamat tempat usaha: kelurahan").select_option(label="Sepinggan")
    page.get_by_label("Mulai usaha sejak").fill("2024-03-01")
    page.get_by_label("Jumlah pekerja").fill("2")
    page.locator('input[name="purpose"][value="kur"]').check()
    page.locator('input[name="has_nib"][value="no"]').check()
    expect(nib).to_be_hidden()
    page.get_by_label("Nomor HP").fill("081234567890")
    page.get_by_label("KTP-el pemohon", exact=True).set_input_files(str(scan))
    page.get_by_label("Kartu Keluarga (KK)").set_input_files(str(scan))
    page.get_by_label("Surat pengantar RT").set_input_files(str(scan))
    screenshot(page, "applications-sku-form")
    page.get_by_role("button", name="Kirim permohonan").click()

    page.wait_for_url(f"{base}{ROOT}*/")
    obj = Application.objects.get()
    assert obj.state == "submitted" and obj.tracking_number.startswith("KBS-")
    assert obj.answers["business_kind"] == "kuliner" and "nib" not in obj.answers
    expect(page.locator("#application-state")).to_have_text("Diajukan")
    expect(page.locator(".facts").first).to_contain_text(obj.tracking_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    reports.append(check(page, "detail"))

    # the kelurahan's officer, in the admin
    officer_context = new_context(browser)
    officer = officer_context.new_page()
    admin_log_in(officer, base, login=officer_user.email, password=PASSWORD)
    officer.goto(f"{base}/admin/applications/application/?q={obj.tracking_number}")
    officer.get_by_role("link", name=obj.tracking_number).click()
    for action in ("Mulai periksa", "Setujui", "Selesaikan"):
        officer.get_by_role("link", name=action, exact=True).click()
        officer.get_by_role("button", name="Konfirmasi").click()
        expect(officer.locator(".messagelist")).to_contain_text("Selesai")
    officer_context.close()
    obj.refresh_from_db()
    assert obj.state == "completed"

    page.reload()
    expect(page.locator("#application-state")).to_have_text("Selesai")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh hasil").click()
    downloaded = tmp_path / "sku.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes().startswith(b"%PDF")
    assert_all_pass(reports)

    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    weights = {}
    for path in (ROOT, f"{ROOT}ajukan/izin_reklame/", f"{ROOT}{obj.uuid}/"):
        weights[path] = sum(page_weight(page, f"{base}{path}").values())
    print("\napplications page weights (bytes):", weights)
    assert {p: w for p, w in weights.items() if w > BUDGET_BYTES} == {}

    # keyboard: every control of a generated form is reached with a visible focus
    page.goto(f"{base}{ROOT}ajukan/izin_reklame/")
    seen = []
    for _step in range(80):
        focused = tab(page)
        if focused["tag"] in ("input", "select", "textarea", "button"):
            assert focus_is_visible(focused), repr(focused)
            seen.append(focused["id"] or focused["type"])
        if focused["tag"] == "button" and focused["type"] == "submit" and len(seen) > 10:
            break
    assert "id_nik" in seen and "id_location_address__kelurahan" in seen
    assert "id_construction_drawing" not in seen  # hidden until "permanent" is yes

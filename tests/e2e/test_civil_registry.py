"""The civil registry module in a real browser, with the demo data (``seed_demo``):

the demo citizen applies for an akta kelahiran at phone size with real JPEG and PNG files
(after seeing the list of what is missing), the demo Disdukcapil officer reviews, approves and
issues it in the admin, the citizen downloads the PDF, and an office checks that file on the
public verification page the QR code opens. The module's pages also pass the accessibility
checks (ours and axe-core), the 150 KB budget and show keyboard focus.
"""

import io

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from balikpapan_untuk_warga.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from civil_registry.demo import DEMO_CITIZEN, DEMO_OFFICER, demo_pdf
from civil_registry.models import CivilRequest
from services.receipts import payloads
from services.receipts.models import Receipt
from tests.e2e.conftest import admin_log_in, log_in, new_context, screenshot
from tests.e2e.test_accessibility import assert_all_pass, check
from tests.e2e.test_keyboard import focus_is_visible, tab
from tests.e2e.test_page_weight import BUDGET_BYTES, page_weight

ROOT = "/layanan/pencatatan-sipil/"


def _image(path, fmt: str, colour) -> str:
    image = Image.new("RGB", (900, 600), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 560), outline=(0, 0, 0), width=6)
    draw.text((80, 280), f"{path.stem} — scan", fill=(0, 0, 0))
    image.save(path, format=fmt, **({"quality": 85} if fmt == "JPEG" else {}))
    return str(path)


@pytest.mark.e2e
def test_the_demo_citizen_applies_and_the_demo_officer_issues_in_the_admin(
    page, browser, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "private"
    call_command("seed_demo", stdout=io.StringIO())
    before = set(CivilRequest.objects.values_list("pk", flat=True))
    files = {
        "letter": _image(tmp_path / "surat-lahir.jpg", "JPEG", (250, 245, 230)),
        "kk": _image(tmp_path / "kk.png", "PNG", (220, 235, 250)),
        "marriage": _image(tmp_path / "buku-nikah.jpg", "JPEG", (235, 250, 220)),
    }
    base = live_server.url
    reports = []

    log_in(page, base, login=DEMO_CITIZEN, password=DEMO_PASSWORD)
    page.goto(f"{base}{ROOT}")
    expect(page.locator("h1")).to_have_text("Permohonan pencatatan sipil saya")
    reports.append(check(page, ROOT))
    page.locator("#apply").get_by_role("link", name="Akta kelahiran", exact=True).click()
    page.wait_for_url(f"{base}{ROOT}akta-kelahiran/baru/")
    reports.append(check(page, "create form"))

    # sent empty: nothing is written, and the page lists everything that is missing
    page.get_by_role("button", name="Kirim permohonan").click()
    alert = page.locator("#form-errors")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Nama lengkap anak:")
    expect(alert).to_contain_text("Dokumen belum ada: Kartu keluarga (KK) orang tua")
    reports.append(check(page, "create form with errors"))
    assert set(CivilRequest.objects.values_list("pk", flat=True)) == before

    page.get_by_label("Nama lengkap anak").fill("Aisyah Putri")
    page.get_by_label("Jenis kelamin").select_option("P")
    page.get_by_label("Tanggal lahir").fill("2026-10-02")
    page.get_by_label("Tempat lahir").fill("RSUD Beriman")
    page.get_by_label("Penolong kelahiran").select_option("midwife")
    page.get_by_label("Nama ibu").fill("Siti Rahmawati")
    page.get_by_label("Nomor KK orang tua").fill("6471052003150004")
    page.get_by_label("Surat keterangan lahir dari rumah sakit atau bidan").set_input_files(
        files["letter"]
    )
    page.get_by_label("Kartu keluarga (KK) orang tua").set_input_files(files["kk"])
    page.get_by_label("Buku nikah atau akta perkawinan orang tua").set_input_files(
        files["marriage"]
    )
    screenshot(page, "civil-registry-birth-form")
    page.get_by_role("button", name="Kirim permohonan").click()

    page.wait_for_url(f"{base}{ROOT}*/")
    obj = CivilRequest.objects.exclude(pk__in=before).get()
    expect(page.locator("h1")).to_have_text("Akta kelahiran")
    expect(page.locator("#request-state")).to_have_text("Diajukan")
    expect(page.locator(".facts")).to_contain_text(obj.tracking_number)
    assert obj.state == "submitted"
    assert sorted(obj.documents.values_list("document__content_type", flat=True)) == [
        "image/jpeg",
        "image/jpeg",
        "image/png",
    ]
    assert obj.nik_check == "match"  # the Celery task ran (eagerly) after the commit
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    reports.append(check(page, "detail"))
    screenshot(page, "civil-registry-detail")

    # the demo officer, in the admin
    officer_context = new_context(browser)
    officer = officer_context.new_page()
    admin_log_in(
        officer, base, login=DEMO_OFFICER, password=DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET
    )
    officer.goto(f"{base}/admin/civil_registry/civilrequest/?q={obj.tracking_number}")
    officer.get_by_role("link", name=obj.tracking_number).click()
    previews = officer.locator(".field-documents_display img")
    expect(previews).to_have_count(3)  # the images themselves, previewed
    # every preview really loads: polled from here, since wait_for_function evaluates its
    # predicate inside the page, which the strict CSP (no 'unsafe-eval') refuses; a busy machine
    # may take a while to serve them, a broken image never gets a natural width
    loaded = (
        "[...document.querySelectorAll('.field-documents_display img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    for _ in range(120):
        if officer.evaluate(loaded):
            break
        officer.wait_for_timeout(250)
    else:
        pytest.fail("the admin's image previews did not load within 30 s")
    for action in ("Mulai periksa", "Setujui"):
        officer.get_by_role("link", name=action, exact=True).click()
        officer.get_by_role("button", name="Konfirmasi").click()
        expect(officer.locator(".messagelist")).to_contain_text("Selesai")
    pdf = tmp_path / "akta-kelahiran.pdf"
    pdf.write_bytes(demo_pdf().read())
    officer.get_by_role("link", name="Terbitkan", exact=True).click()
    officer.get_by_label("PDF bertanda tangan dari sistem nasional").set_input_files(str(pdf))
    officer.get_by_role("button", name="Konfirmasi").click()
    expect(officer.locator(".messagelist")).to_contain_text("Selesai")
    officer_context.close()
    obj.refresh_from_db()
    assert obj.state == "issued"
    assert obj.national_reference.startswith("SIAK-")  # pushed on approval

    # the citizen downloads the issued PDF
    page.reload()
    expect(page.locator("#request-state")).to_have_text("Diterbitkan")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh dokumen").click()
    downloaded = tmp_path / "downloaded.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes() == pdf.read_bytes()

    # an office opens the QR code's page and checks the printout's file
    receipt = Receipt.objects.get(object_id=obj.pk, kind=Receipt.Kind.DOCUMENT_ISSUED)
    office = new_context(browser).new_page()
    office.goto(base + payloads.verification_path(receipt))
    expect(office.locator("body")).to_contain_text(receipt.masked_name)
    office.get_by_label("Berkas yang Anda terima").set_input_files(str(downloaded))
    office.get_by_role("button", name="Periksa berkas").click()
    expect(office.locator("#file-result")).to_contain_text("Berkas cocok")
    reports.append(check(office, "verification result"))
    office.get_by_label("Berkas yang Anda terima").set_input_files(files["kk"])
    office.get_by_role("button", name="Periksa berkas").click()
    expect(office.locator("#file-result")).to_contain_text("Berkas tidak cocok")
    assert office.evaluate("document.documentElement.scrollWidth") <= 390
    office.context.close()

    assert_all_pass(reports)


@pytest.mark.e2e
def test_the_module_pages_are_light_and_keyboard_friendly(page, context, live_server, settings):
    from tests.factories import AgencyFactory, KelurahanFactory, UserFactory

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    user = UserFactory(
        email="siti-berat@example.test", nik="6471054107990042", home_kelurahan=KelurahanFactory()
    )
    base = live_server.url
    log_in(page, base, login=user.email)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    weights = {}
    for path in (ROOT, f"{ROOT}akta-kelahiran/baru/", f"{ROOT}pindah-datang/baru/"):
        sizes = page_weight(page, f"{base}{path}")
        assert any(url.endswith(".css") for url in sizes), sizes
        weights[path] = sum(sizes.values())
    print("\ncivil registry page weights (bytes):", weights)
    assert {p: w for p, w in weights.items() if w >= BUDGET_BYTES} == {}

    # keyboard: every control of the form is reached with a visible focus
    page.goto(f"{base}{ROOT}akta-kelahiran/baru/")
    seen = []
    for _step in range(60):
        focused = tab(page)
        if focused["tag"] in ("input", "select", "textarea", "button"):
            assert focus_is_visible(focused), repr(focused)
            seen.append(focused["id"] or focused["type"])
        if focused["tag"] == "button" and focused["type"] == "submit" and len(seen) > 10:
            break
    assert "id_child_name" in seen and "id_doc_birth_letter" in seen

"""Filing a complaint on a phone (390×844): the form, a photo, the location, the result page;
the officer resolves it in the admin; the citizen rates it; anyone tracks it by ticket number.
And filing without a map: the kelurahan and a description."""

import io

import pytest
from PIL import Image

from accounts.models import AgencyMembership
from complaints.models import Complaint
from complaints.workflow import State
from services.models import Agency
from tests.complaints.conftest import seed_all
from tests.e2e.conftest import admin_log_in, log_in, new_context, screenshot
from tests.factories import PASSWORD, StaffFactory


def _photo(tmp_path, name="lubang.jpg"):
    photo = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())
    return photo


@pytest.mark.e2e
def test_a_citizen_files_a_complaint_with_a_photo_on_a_phone(
    page, browser, live_server, citizen, tmp_path
):
    seed_all()
    photo = _photo(tmp_path)
    log_in(page, live_server.url, login=citizen.email)
    page.goto(f"{live_server.url}/layanan/pengaduan/baru/")
    assert page.locator("h1").inner_text() == "Buat pengaduan"
    page.locator("#id_text").fill("Jalan berlubang besar, aspal rusak di depan sekolah")
    page.locator("#id_latitude").fill("-1.265000")
    page.locator("#id_longitude").fill("116.831000")
    page.locator("#id_address").fill("Jl. Jenderal Sudirman, depan SD")
    page.locator("#id_photos").set_input_files(str(photo))
    assert page.locator("#use-my-location").is_visible()
    screenshot(page, "complaint-form")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()

    complaint = Complaint.objects.get()
    assert page.url == f"{live_server.url}/layanan/pengaduan/{complaint.uuid}/"
    assert page.locator(".tracking-number").inner_text() == complaint.tracking_number
    assert page.locator(".complaint-state").inner_text() == "Diteruskan ke instansi"
    assert complaint.category.code == "jalan_rusak"
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "complaint-detail")

    # the DPU officer resolves it in the admin, with a public note and an "after" photo
    officer = StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=Agency.objects.get(code="dpu")
    )
    staff_context = new_context(browser)
    try:
        admin = staff_context.new_page()
        admin_log_in(admin, live_server.url, login=officer.email, password=PASSWORD)
        admin.goto(f"{live_server.url}/admin/complaints/complaint/{complaint.pk}/change/")
        admin.locator("#id_resolution_note").fill("Lubang sudah ditambal.")
        admin.locator("#id_after_photo").set_input_files(str(_photo(tmp_path, "sesudah.jpg")))
        with admin.expect_navigation():
            admin.locator("input[name=_save]").click()
    finally:
        staff_context.close()
    complaint.refresh_from_db()
    assert complaint.state == State.RESOLVED

    # the citizen confirms and rates it
    page.goto(f"{live_server.url}/layanan/pengaduan/{complaint.uuid}/")
    with page.expect_navigation():
        page.locator("#confirm-fixed").click()
    page.locator("label[for=id_rating_3]").click()
    with page.expect_navigation():
        page.locator("#send-rating").click()
    complaint.refresh_from_db()
    assert (complaint.state, complaint.rating) == (State.CLOSED, 4)

    # anyone tracks it by ticket number, without personal data
    page.goto(f"{live_server.url}/layanan/pengaduan/lacak/")
    page.locator("#id_number").fill(complaint.tracking_number)
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    assert page.locator(".complaint-state").inner_text() == "Ditutup"
    assert citizen.full_name not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.e2e
def test_filing_without_a_map(page, live_server, citizen):
    seed_all()
    log_in(page, live_server.url, login=citizen.email)
    page.goto(f"{live_server.url}/layanan/pengaduan/baru/")
    page.locator("#id_text").fill("Lampu jalan mati, gang gelap")
    page.locator("#id_kelurahan").select_option(label="Prapatan")
    page.locator("#id_address").fill("Gang Damai dekat musala")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").click()
    complaint = Complaint.objects.get()
    assert complaint.latitude is None and complaint.kelurahan.name == "Prapatan"
    assert page.locator(".tracking-number").inner_text() == complaint.tracking_number

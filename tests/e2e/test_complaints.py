"""Filing a complaint on a phone (390×844): the form, a photo, the location, the result page."""

import io

import pytest
from PIL import Image

from complaints.models import Complaint
from tests.complaints.conftest import seed_all
from tests.e2e.conftest import log_in, screenshot


@pytest.mark.e2e
def test_a_citizen_files_a_complaint_with_a_photo_on_a_phone(page, live_server, citizen, tmp_path):
    seed_all()
    photo = tmp_path / "lubang.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 90)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

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

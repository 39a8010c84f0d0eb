"""Location without a map (kelurahan + description, the photo's EXIF position offered and then
stripped), the public tracking page by ticket number, the hotspots page, supporters saying "not
fixed", and internal notes in the admin."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from complaints import services
from complaints.models import Category, Complaint, InternalNote
from complaints.workflow import State
from services.uploads.models import Document
from services.uploads.services import document_upload
from services.workflow.exceptions import TransitionNotAllowed
from tests.complaints.conftest import INSIDE, OUTSIDE, client_for, jpeg, point

pytestmark = pytest.mark.django_db
NEW = "/layanan/pengaduan/baru/"
TRACK = "/layanan/pengaduan/lacak/"


def gps_jpeg(latitude=(1.0, 15.0, 54.0), longitude=(116.0, 49.0, 51.6), name="hp.jpg"):
    """A phone photo with its GPS position in EXIF (1°15'54"S 116°49'51.6"E = Prapatan)."""
    image = Image.new("RGB", (64, 48), (100, 120, 140))
    exif = image.getexif()
    exif.get_ifd(0x8825).update({1: "S", 2: latitude, 3: "E", 4: longitude})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_portal_files_with_a_kelurahan_and_a_description(citizen):
    response = _client(citizen).post(
        NEW,
        {
            "text": "Lampu jalan mati, gang gelap",
            "kelurahan": "64.71.06.1001",
            "address": "Gang Damai dekat musala",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert complaint.latitude is None and complaint.kelurahan.name == "Prapatan"


def test_the_portal_explains_a_missing_location(citizen):
    response = _client(citizen).post(NEW, {"text": "Jalan rusak"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "the kelurahan and a description of the place" in response.content.decode()
    assert Complaint.objects.count() == 0


def test_the_photos_position_is_used_when_asked_and_stripped_from_the_stored_copy(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the images queue runs eagerly
        response = _client(citizen).post(
            NEW,
            {"text": "Sampah menumpuk bau", "photos": [gps_jpeg()], "use_photo_location": "on"},
        )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert (str(complaint.latitude), str(complaint.longitude)) == ("-1.265000", "116.831000")
    assert complaint.kelurahan.name == "Prapatan"
    document = Document.objects.get()
    with document.file.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert not stored.getexif().get_ifd(0x8825)  # no position in what the city keeps


def test_without_the_checkbox_the_photos_position_is_not_used(citizen):
    response = _client(citizen).post(NEW, {"text": "Sampah", "photos": [gps_jpeg()]})
    assert response.status_code == 200
    assert Complaint.objects.count() == 0


def test_a_photo_position_outside_the_city_is_refused(citizen):
    outside = gps_jpeg(latitude=(1.0, 24.0, 0.0), longitude=(116.0, 54.0, 0.0))
    response = _client(citizen).post(
        NEW,
        {"text": "Banjir", "photos": [outside], "use_photo_location": "on"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert "Lokasi ini berada di luar Kota Balikpapan." in response.content.decode()
    assert Complaint.objects.count() == 0 and Document.objects.count() == 0


def test_the_api_offers_the_photos_position_and_stores_nothing(citizen):
    api = client_for(citizen)
    url = "/api/v1/pengaduan/photo-location/"
    body = api.post(url, {"file": gps_jpeg()}, format="multipart").json()
    assert body == {
        "found": True,
        "latitude": "-1.265000",
        "longitude": "116.831000",
        "inside_city": True,
        "kelurahan": "64.71.06.1001",
        "kelurahan_name": "Prapatan",
    }
    assert api.post(url, {"file": jpeg()}, format="multipart").json()["found"] is False
    assert Document.objects.count() == 0
    assert client_for().post(url, {"file": gps_jpeg()}, format="multipart").status_code == 401


# --- tracking page ------------------------------------------------------------------------------


def test_the_tracking_page_shows_the_anonymised_state(citizen):
    complaint = services.complaint_create(
        actor=citizen,
        text="Saya Siti Rahmawati, hp 081234567890: jalan berlubang",
        category=Category.objects.get(code="jalan_rusak"),
        contact_phone="081299998888",
        address="Rumah saya no. 7",
        **point(INSIDE),
    )
    response = Client().get(TRACK, {"number": complaint.tracking_number.lower()})
    assert response.status_code == 200
    body = response.content.decode()
    assert complaint.tracking_number in body
    assert "Diteruskan ke instansi" in body
    for private in ("Siti", "081234567890", "081299998888", "+6281299998888", "no. 7"):
        assert private not in body
    assert "-1.265000" not in body


def test_the_tracking_page_refuses_a_malformed_number_and_says_when_none_matches(seeded):
    assert Client().get(TRACK).status_code == 200
    bad = Client().get(TRACK, {"number": "12345"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 200 and "ADU-2026-000123" in bad.content.decode()
    missing = Client().get(TRACK, {"number": "ADU-2026-999999"}, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert "No complaint has this ticket number." in missing.content.decode()


def test_the_hotspots_page(citizen):
    services.complaint_create(
        actor=citizen,
        text="Banjir",
        category=Category.objects.get(code="banjir"),
        **point(INSIDE),
    )
    response = Client().get("/layanan/pengaduan/titik-banjir/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Prapatan" in response.content.decode()
    api = client_for().get("/api/v1/pengaduan/public/hotspots/").json()
    assert api["by_kelurahan"][0]["count"] == 1
    assert api["grid"][0]["months"] == 1
    assert len(api["by_month"]) == 1
    assert Client().get("/layanan/pengaduan/titik-banjir/", {"since": "x"}).status_code == 200


# --- confirmation window for supporters ---------------------------------------------------------


def test_a_supporter_can_say_not_fixed_and_the_escalation_restarts(
    citizen, other_citizen, dpu_officer
):
    complaint = services.complaint_create(
        actor=citizen,
        text="Jalan berlubang",
        category=Category.objects.get(code="jalan_rusak"),
        **point(INSIDE),
    )
    services.complaint_support(actor=other_citizen, complaint=complaint)
    services.complaint_resolve(
        actor=dpu_officer,
        complaint=complaint,
        public_note="Sudah ditambal.",
        after_photo=document_upload(owner=dpu_officer, file=jpeg()).uuid,
    )
    Complaint.objects.filter(pk=complaint.pk).update(is_breached=True)
    response = client_for(other_citizen).post(
        f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/not-fixed/",
        {"note": "Lubangnya masih ada"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED
    assert complaint.is_breached is False and complaint.resolved_at is None
    stranger = client_for(dpu_officer).post(
        f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/not-fixed/", {}
    )
    assert stranger.status_code in (403, 409)
    with pytest.raises(TransitionNotAllowed):
        services.complaint_reopen(actor=dpu_officer, complaint=complaint)


# --- internal notes in the admin ----------------------------------------------------------------


def test_the_admin_adds_internal_notes_through_the_inline(citizen, dpu_officer):
    complaint = services.complaint_create(
        actor=citizen,
        text="Jalan berlubang",
        category=Category.objects.get(code="jalan_rusak"),
        **point(INSIDE),
    )
    response = _client(dpu_officer).post(
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        {
            "supporters-TOTAL_FORMS": "0",
            "supporters-INITIAL_FORMS": "0",
            "internal_notes-TOTAL_FORMS": "1",
            "internal_notes-INITIAL_FORMS": "0",
            "internal_notes-0-text": "Cek dengan kontraktor",
            "internal_notes-0-complaint": str(complaint.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    note = InternalNote.objects.get()
    assert note.author == dpu_officer and note.agency.code == "dpu"
    page = _client(citizen).get(f"/layanan/pengaduan/{complaint.uuid}/").content.decode()
    assert "kontraktor" not in page


def test_outside_point_still_refused(citizen):
    response = client_for(citizen).post(
        "/api/v1/pengaduan/complaints/", {"text": "Banjir", **OUTSIDE}, format="json"
    )
    assert response.json()["errors"][0]["code"] == "outside_boundary"


def _resolved(citizen, officer):
    complaint = services.complaint_create(
        actor=citizen,
        text="Jalan berlubang",
        category=Category.objects.get(code="jalan_rusak"),
        **point(INSIDE),
    )
    services.complaint_resolve(
        actor=officer,
        complaint=complaint,
        public_note="Sudah ditambal.",
        after_photo=document_upload(owner=officer, file=jpeg()).uuid,
    )
    return complaint


def test_the_reporter_confirms_or_reopens_and_rates_in_the_portal(
    citizen, other_citizen, dpu_officer
):
    first = _resolved(citizen, dpu_officer)
    client = _client(citizen)
    page = client.get(f"/layanan/pengaduan/{first.uuid}/").content.decode()
    assert 'id="not-fixed"' in page and 'id="send-rating"' in page
    client.post(f"/layanan/pengaduan/{first.uuid}/belum-beres/", {"note": "Masih berlubang"})
    first.refresh_from_db()
    assert first.state == State.ASSIGNED
    second = _resolved(citizen, dpu_officer)
    client.post(f"/layanan/pengaduan/{second.uuid}/selesai/")
    bad = client.post(f"/layanan/pengaduan/{second.uuid}/nilai/", {"rating": "9"}, follow=True)
    assert bad.status_code == 200
    client.post(f"/layanan/pengaduan/{second.uuid}/nilai/", {"rating": "4", "comment": "Cepat"})
    second.refresh_from_db()
    assert (second.state, second.rating, second.rating_comment) == (State.CLOSED, 4, "Cepat")
    again = client.post(f"/layanan/pengaduan/{second.uuid}/nilai/", {"rating": "1"}, follow=True)
    assert again.status_code == 200
    second.refresh_from_db()
    assert second.rating == 4  # rated once
    assert (
        _client(other_citizen).post(f"/layanan/pengaduan/{second.uuid}/nilai/", {"rating": "1"})
    ).status_code == 404
    assert client.get(f"/layanan/pengaduan/{second.uuid}/nilai/").status_code == 405

"""Portal pages (file, my complaints, dashboard) and the admin (scoping, actions, resolving)."""

import pytest
from django.test import Client

from complaints import services
from complaints.models import Category, Complaint
from complaints.workflow import State
from tests.complaints.conftest import INSIDE, OUTSIDE, jpeg, point

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_citizen_files_a_complaint_with_a_photo_in_the_portal(citizen):
    client = _client(citizen)
    response = client.post(
        "/layanan/pengaduan/baru/",
        {
            "text": "Sampah menumpuk di TPS, bau sekali",
            "photos": [jpeg()],
            "address": "Gang 3",
            **INSIDE,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    complaint = Complaint.objects.get()
    assert response["Location"] == f"/layanan/pengaduan/{complaint.uuid}/"
    assert complaint.category.code == "sampah"
    assert complaint.channel == "web"
    page = client.get(response["Location"])
    assert complaint.tracking_number in page.content.decode()
    assert complaint.tracking_number in client.get("/layanan/pengaduan/").content.decode()


def test_the_portal_form_shows_the_boundary_error_and_writes_nothing(citizen):
    response = _client(citizen).post(
        "/layanan/pengaduan/baru/", {"text": "Banjir", **OUTSIDE}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 200
    assert "Lokasi ini berada di luar Kota Balikpapan." in response.content.decode()
    assert Complaint.objects.count() == 0


def test_another_citizens_complaint_page_is_404(citizen, other_citizen):
    complaint = services.complaint_create(actor=citizen, text="Jalan berlubang", **point(INSIDE))
    assert _client(other_citizen).get(f"/layanan/pengaduan/{complaint.uuid}/").status_code == 404


def test_the_public_dashboard_page(citizen):
    services.complaint_create(actor=citizen, text="Lampu jalan mati gelap", **point(INSIDE))
    response = Client().get("/layanan/pengaduan/dasbor/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dasbor pengaduan" in body
    assert citizen.full_name not in body


def test_admin_is_scoped_to_the_agency(citizen, dpu_officer, dlh_officer):
    road = Category.objects.get(code="jalan_rusak")
    complaint = services.complaint_create(actor=citizen, text="a", category=road, **point(INSIDE))
    url = "/admin/complaints/complaint/"
    assert complaint.tracking_number in _client(dpu_officer).get(url).content.decode()
    assert complaint.tracking_number not in _client(dlh_officer).get(url).content.decode()
    assert _client(dlh_officer).get(f"{url}{complaint.pk}/change/").status_code == 302


def test_admin_actions_are_transitions(citizen, dpu_officer):
    road = Category.objects.get(code="jalan_rusak")
    complaint = services.complaint_create(actor=citizen, text="a", category=road, **point(INSIDE))
    client = _client(dpu_officer)
    client.post(
        "/admin/complaints/complaint/",
        {"action": "start_work", "_selected_action": [complaint.pk]},
    )
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    response = client.post(
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        {
            "resolution_note": "Sudah ditambal.",
            "after_photo": jpeg(),
            "supporters-TOTAL_FORMS": "0",
            "supporters-INITIAL_FORMS": "0",
            "internal_notes-TOTAL_FORMS": "0",
            "internal_notes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint.refresh_from_db()
    assert complaint.state == State.RESOLVED
    assert complaint.public_note == "Sudah ditambal."


def test_admin_changelist_queries_do_not_grow_from_1_to_10_rows(citizen, dpu_officer):
    """The changelist's own queries: session, user, the staff check (memberships, once per
    request), the command-centre check, the filtered and total counts, the page with category,
    agency and kelurahan joined, the filter choices (categories, agencies). The admin's sidebar
    adds queries of other apps' admins, so the count is compared between the two sizes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    road = Category.objects.get(code="jalan_rusak")
    client = _client(dpu_officer)
    client.get("/admin/complaints/complaint/")  # the session's first-use writes happen here
    counts = []
    for size in (1, 10):
        while Complaint.objects.count() < size:
            services.complaint_create(actor=citizen, text="x", category=road, **point(INSIDE))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/complaints/complaint/")
        assert response.status_code == 200
        assert response.content.decode().count('class="field-tracking_number"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]

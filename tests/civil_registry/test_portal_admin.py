"""Portal pages and the Disdukcapil admin."""

import pytest
from django.test import Client

from civil_registry import services
from civil_registry.demo import demo_pdf, demo_png
from civil_registry.models import CivilRequest
from tests.civil_registry.conftest import birth_request

pytestmark = pytest.mark.django_db

FORM = {
    "child_name": "Aisyah Putri",
    "child_sex": "P",
    "birth_date": "2026-10-02",
    "birth_place": "RSUD Beriman",
    "father_name": "Andi",
    "mother_name": "Siti",
    "birth_attendant": "midwife",
    "parents_kk_number": "6471052003150004",
}


def browser(user):
    client = Client()
    client.force_login(user)
    return client


CREATE = "/layanan/pencatatan-sipil/akta-kelahiran/baru/"


def test_the_portal_creates_and_submits_an_akta_kelahiran_with_images(citizen):
    client = browser(citizen)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        {
            **FORM,
            "action": "submit",
            "doc_birth_letter": demo_png("surat-lahir.png"),
            "doc_parents_kk": demo_png("kk.png"),
            "doc_marriage_certificate": demo_png("nikah.png"),
        },
    )
    obj = CivilRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/layanan/pencatatan-sipil/{obj.uuid}/"
    assert obj.state == "submitted"
    assert obj.subject_data["child_name"] == "Aisyah Putri"
    assert sorted(obj.documents.values_list("requirement", flat=True)) == [
        "birth_letter",
        "marriage_certificate",
        "parents_kk",
    ]
    page = client.get(response["Location"])
    assert obj.tracking_number in page.content.decode()
    listing = client.get("/layanan/pencatatan-sipil/").content.decode()
    assert obj.tracking_number in listing


def test_the_portal_form_reports_a_missing_document_and_writes_nothing(citizen):
    response = browser(citizen).post(
        CREATE,
        {**FORM, "action": "submit", "doc_birth_letter": demo_png(), "doc_parents_kk": demo_png()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dokumen belum ada: Buku nikah atau akta perkawinan orang tua" in page
    assert 'href="#id_doc_marriage_certificate"' in page  # the summary links to the input
    assert CivilRequest.objects.count() == 0


def test_the_portal_revision_and_scoping(citizen, officer, stranger):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    services.request_ask_revision(actor=officer, request=obj, note="Foto buram")
    client = browser(citizen)
    page = client.get(f"/layanan/pencatatan-sipil/{obj.uuid}/").content.decode()
    assert "Foto buram" in page
    edit = f"/layanan/pencatatan-sipil/{obj.uuid}/ubah/"
    assert "Foto buram" in client.get(edit).content.decode()
    old = obj.documents.get(requirement="parents_kk").document_id
    response = client.post(edit, {"action": "submit", "doc_parents_kk": demo_png("kk2.png")})
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.state == "submitted"
    assert obj.documents.get(requirement="parents_kk").document_id != old  # replaced
    assert obj.subject_data["child_name"] == "Aisyah Putri"  # untouched fields kept
    other = browser(stranger)
    for url in ("", "dokumen/", "ubah/"):
        assert other.get(f"/layanan/pencatatan-sipil/{obj.uuid}/{url}").status_code == 404
    assert other.post(f"/layanan/pencatatan-sipil/{obj.uuid}/batal/").status_code == 404
    assert other.post(edit, {"action": "submit"}).status_code == 404
    obj.refresh_from_db()
    assert obj.state == "submitted"


def test_the_admin_queue_costs_the_same_queries_at_any_size(citizen, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(officer)
    counts = []
    for rows in (1, 10):
        while CivilRequest.objects.count() < rows:
            birth_request(citizen, submit=True)
        client.get("/admin/civil_registry/civilrequest/")
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/admin/civil_registry/civilrequest/")
        assert response.status_code == 200
        assert response.content.decode().count("DUK-") >= rows
        ours = [q["sql"] for q in captured.captured_queries if "civil_registry_" in q["sql"]]
        # ours, none per row: 1 the filtered count, 2 the total count, 3 the page of requests
        # with agency, kelurahan, owner and the due time (a subquery)
        assert len(ours) == 3, ours
        counts.append(len(captured.captured_queries))
    # the rest (session, user, permissions, other modules' sidebar checks) is the platform's;
    # it does not grow with the rows either
    assert counts[0] == counts[1]


def test_admin_queue_actions_filters_and_nik_search(citizen, officer):
    first = birth_request(citizen, submit=True)
    second = birth_request(citizen, submit=True)
    client = browser(officer)
    changelist = "/admin/civil_registry/civilrequest/"
    response = client.post(
        changelist,
        {"action": "start_review_action", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert set(CivilRequest.objects.values_list("state", flat=True)) == {"in_review"}
    # ask revision with a note through the transition page
    url = f"/admin/civil_registry/civilrequest/{first.pk}/transition/ask_revision/"
    assert client.post(url, {"note": ""}).status_code == 200  # note required: shown again
    first.refresh_from_db()
    assert first.state == "in_review"
    assert client.post(url, {"note": "Unggah ulang KK"}).status_code == 302
    first.refresh_from_db()
    assert (first.state, first.revision_note) == ("needs_revision", "Unggah ulang KK")
    # approve then issue with a PDF
    client.post(f"/admin/civil_registry/civilrequest/{second.pk}/transition/approve/", {"note": ""})
    response = client.post(
        f"/admin/civil_registry/civilrequest/{second.pk}/transition/issue/", {"pdf": demo_pdf()}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == "issued" and second.issued_document is not None
    detail = client.get(f"/admin/civil_registry/civilrequest/{second.pk}/change/").content.decode()
    assert "<img" in detail and "Aisyah Putri" in detail
    # filters and search
    by_state = client.get(changelist, {"state__exact": "needs_revision"}).content.decode()
    assert first.tracking_number in by_state and second.tracking_number not in by_state
    search = client.get(changelist, {"q": second.tracking_number}).content.decode()
    assert second.tracking_number in search and first.tracking_number not in search
    by_nik = client.get(changelist, {"q": "6471054107990042"}).content.decode()
    assert first.tracking_number in by_nik
    assert client.get(changelist, {"overdue": "yes"}).status_code == 200
    assert client.get(changelist, {"kelurahan": "64.71.05.1002"}).status_code == 200


def test_staff_of_another_agency_see_nothing_in_the_admin(citizen, officer, other_staff):
    obj = birth_request(citizen, submit=True)
    client = browser(other_staff)
    # not even the menu entry: the module is absent from the index and the app page
    index = client.get("/admin/").content.decode()
    assert "/admin/civil_registry/" not in index
    assert browser(officer).get("/admin/").content.decode().count("/admin/civil_registry/") >= 1
    assert client.get("/admin/civil_registry/").status_code == 404
    assert client.get("/admin/civil_registry/civilrequest/").status_code == 403
    assert client.get(f"/admin/civil_registry/civilrequest/{obj.pk}/change/").status_code == 403
    for name in ("start_review", "approve"):
        url = f"/admin/civil_registry/civilrequest/{obj.pk}/transition/{name}/"
        assert client.post(url).status_code == 404
    response = client.post(
        "/admin/civil_registry/civilrequest/",
        {"action": "start_review_action", "_selected_action": [obj.pk]},
    )
    assert response.status_code == 403
    obj.refresh_from_db()
    assert obj.state == "submitted"
    # a superuser without a Disdukcapil membership sees nothing either; a citizen is sent to log in
    from tests.factories import UserFactory

    root = UserFactory(is_staff=True, is_superuser=True)
    assert "/admin/civil_registry/" not in browser(root).get("/admin/").content.decode()
    assert browser(root).get("/admin/civil_registry/civilrequest/").status_code == 403
    assert browser(citizen).get("/admin/civil_registry/civilrequest/").status_code == 302


def test_the_admin_permissions_are_per_agency(rf, citizen, officer, other_staff):
    from django.contrib.admin.sites import site

    model_admin = site._registry[CivilRequest]
    for user, allowed in ((officer, True), (other_staff, False), (citizen, False)):
        request = rf.get("/admin/")
        request.user = user
        assert model_admin.has_module_permission(request) is allowed
        assert model_admin.has_view_permission(request) is allowed
        assert model_admin.has_change_permission(request) is False
        assert model_admin.has_delete_permission(request) is False


def test_the_demo_data_has_every_state(agency, kelurahan):
    import io

    from django.core.management import call_command

    from civil_registry.demo import seed_civil_registry_demo

    call_command("seed_demo", stdout=io.StringIO())
    assert seed_civil_registry_demo() == 0  # idempotent
    states = set(CivilRequest.objects.values_list("state", flat=True))
    assert states == {
        "draft",
        "submitted",
        "in_review",
        "needs_revision",
        "approved",
        "issued",
        "completed",
        "rejected",
        "cancelled",
    }

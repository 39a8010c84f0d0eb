"""The agency admin defines, previews and publishes a form in the admin (no code); staff work the
queue; the portal renders the same definition."""

import pytest
from django.test import Client

from applications import services
from applications.models import Application, ApplicationForm
from civil_registry.demo import demo_png
from tests.applications.conftest import BASE, GOOD, api, filed, make_form, make_service

pytestmark = pytest.mark.django_db

ADMIN = "/admin/applications/applicationform/"
QUEUE = "/admin/applications/application/"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def _management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _field(n, **values):
    row = {
        "position": str(n + 1),
        "key": "",
        "field_type": "text",
        "label_id": "",
        "label_en": "",
        "help_id": "",
        "help_en": "",
        "is_required": "on",
        "min_length": "",
        "max_length": "",
        "min_value": "",
        "max_value": "",
        "pattern": "",
        "choices": "",
        "requirement_code": "",
        "show_when_field": "",
        "show_when_value": "",
        **values,
    }
    if row["is_required"] is None:
        del row["is_required"]
    return {f"fields-{n}-{name}": value for name, value in row.items()}


def test_a_form_defined_in_the_admin_is_at_once_listed_and_applicable(
    agency, category, kelurahan, agency_admin, citizen
):
    service = make_service(agency, category, code="izin_keramaian", name="Izin keramaian")
    client = browser(agency_admin)
    assert client.get(f"{ADMIN}add/").status_code == 200
    data = {
        "service": str(service.pk),
        "intro_id": "Izin acara yang mengundang keramaian.",
        "intro_en": "Permit for a public event.",
        "working_days": "2",
        "output_kind": "officer_document",
        "output_name_id": "Surat izin",
        "output_name_en": "Permit letter",
        "letter_template": "",
        "is_open": "on",
        **_management("requirements", 1),
        "requirements-0-position": "1",
        "requirements-0-code": "ktp",
        "requirements-0-label_id": "KTP-el",
        "requirements-0-label_en": "e-KTP",
        "requirements-0-is_required": "on",
        **_management("fields", 3),
        **_field(0, key="event", label_id="Nama acara", label_en="Event", max_length="80"),
        **_field(
            1,
            key="outdoor",
            field_type="yes_no",
            label_id="Di luar ruangan?",
            label_en="Outdoors?",
        ),
        **_field(
            2,
            key="guests",
            field_type="number",
            label_id="Jumlah tamu",
            label_en="Guests",
            min_value="1",
            max_value="5000",
            show_when_field="outdoor",
            show_when_value="yes",
        ),
        **_management("versions", 0),
    }
    response = client.post(f"{ADMIN}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    form = ApplicationForm.objects.get(service=service)
    assert form.agency == agency
    assert list(form.fields.values_list("key", flat=True)) == ["event", "outdoor", "guests"]
    # not yet published: not listed, not applicable
    assert api().get(f"{BASE}forms/izin_keramaian/").status_code == 404

    preview = client.get(f"{ADMIN}{form.pk}/preview/")
    assert preview.status_code == 200
    assert "Jumlah tamu" in preview.content.decode() or "Guests" in preview.content.decode()
    sample = client.post(
        f"{ADMIN}{form.pk}/preview/", {"event": "Pesta", "outdoor": "yes", "guests": "9000"}
    )
    assert "5000" in sample.content.decode()  # the range error, on the field
    valid = client.post(
        f"{ADMIN}{form.pk}/preview/",
        {"event": "Pesta", "outdoor": "no", "guests": "9000", "doc__ktp": demo_png()},
    )
    assert 'id="preview-verdict"' in valid.content.decode()  # the hidden guests were dropped

    published = client.post(f"{ADMIN}{form.pk}/preview/", {"action": "publish"})
    assert published.status_code == 302
    form.refresh_from_db()
    assert form.current_version.number == 1

    listed = api().get(f"{BASE}forms/").json()["results"]
    assert [row["service_code"] for row in listed] == ["izin_keramaian"]
    schema = api().get(f"{BASE}forms/izin_keramaian/").json()["json_schema"]
    assert schema["required"] == ["event", "outdoor"]
    created = api(citizen).post(
        f"{BASE}applications/",
        {"form": "izin_keramaian", "answers": {"event": "Pesta", "outdoor": True, "guests": 300}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["version"] == 1


def test_agency_admins_see_and_edit_only_their_agencys_forms(
    agency, other_agency, category, kelurahan, agency_admin, other_staff
):
    form = make_form(agency, category)
    theirs = make_service(other_agency, category, code="slhs_lain", name="SLHS lain")
    client = browser(other_staff)
    listing = client.get(ADMIN)
    assert listing.status_code == 200
    assert "izin uji" not in listing.content.decode().lower()
    assert client.get(f"{ADMIN}{form.pk}/change/").status_code in (302, 404)
    assert client.get(f"{ADMIN}{form.pk}/preview/").status_code == 404
    # they may not pick another agency's service either
    add = client.get(f"{ADMIN}add/").content.decode()
    assert "Izin uji" not in add and "SLHS lain" in add
    assert agency_admin  # the owning agency's admin sees it:
    assert "Izin uji" in browser(agency_admin).get(ADMIN).content.decode()
    from applications.exceptions import FormInvalid

    with pytest.raises(FormInvalid):
        services.form_publish(actor=other_staff, form=form)
    assert theirs.pk


def test_the_work_queue_is_scoped_ordered_and_acts_through_the_workflow(
    form, citizen, officer, other_staff, django_assert_max_num_queries
):
    first = filed(citizen, form)
    second = filed(citizen, form)
    draft = filed(citizen, form, submit=False)
    client = browser(officer)
    page = client.get(QUEUE)
    assert page.status_code == 200
    body = page.content.decode()
    assert first.tracking_number in body and second.tracking_number in body
    assert draft.tracking_number not in body  # drafts are the citizen's
    assert body.index(first.tracking_number) < body.index(second.tracking_number)  # oldest due
    assert first.tracking_number not in browser(other_staff).get(QUEUE).content.decode()
    assert browser(other_staff).get(f"{QUEUE}{first.pk}/change/").status_code in (302, 404)

    response = client.post(
        QUEUE, {"action": "start_review_action", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("state", flat=True)) == {"in_review", "draft"}
    revise = client.post(f"{QUEUE}{first.pk}/transition/ask_revision/", {"note": "Foto buram"})
    assert revise.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.revision_note) == ("needs_revision", "Foto buram")
    from accounts.models import PersonalDataAccess

    detail = client.get(f"{QUEUE}{second.pk}/change/").content.decode()
    assert "6471054107990042" in detail  # authorised staff see the full NIK, and it is recorded
    access = PersonalDataAccess.objects.get()
    assert (access.accessor, access.subject, access.field) == (officer, citizen, "nik")
    assert "6471054107990042" not in client.get(QUEUE).content.decode()  # the list: masked
    assert PersonalDataAccess.objects.count() == 1
    with django_assert_max_num_queries(40) as few:
        client.get(QUEUE)
    for _ in range(10):
        filed(citizen, form)
    with django_assert_max_num_queries(40) as many:
        client.get(QUEUE)
    # the changelist costs the same at 2 and 12 rows (no query per row)
    assert len(many.captured_queries) == len(few.captured_queries), [
        q["sql"][:120] for q in many.captured_queries
    ]


def test_the_portal_renders_the_definition_and_hides_by_condition_without_js(
    form, citizen, kelurahan
):
    client = browser(citizen)
    page = client.get("/layanan/permohonan/ajukan/izin_uji/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-show-field="agree"' in html and "applications/form.js" in html
    post = {
        "name": "Siti Rahma",
        "count": "3",
        "day": "2026-11-02",
        "kind": "a",
        "kind_other": "typed then hidden",  # kind is not "other": dropped, not refused
        "tags": ["x"],
        "agree": "no",
        "reason": "Belum perlu",
        "nik": "6471054107990042",
        "phone": "081234567890",
        "address__street": "Jl. Mulawarman 5",
        "address__kelurahan": "64.71.05.1002",
        "doc__ktp": demo_png(),
        "action": "submit",
    }
    response = client.post("/layanan/permohonan/ajukan/izin_uji/", post)
    assert response.status_code == 302, response.content.decode()[:3000]
    obj = Application.objects.get()
    assert obj.state == "submitted"
    assert "kind_other" not in obj.answers
    assert obj.tracking_number in client.get(response["Location"]).content.decode()
    assert obj.tracking_number in client.get("/layanan/permohonan/").content.decode()


def test_the_portal_reports_field_errors_and_writes_nothing(form, citizen):
    response = browser(citizen).post(
        "/layanan/permohonan/ajukan/izin_uji/",
        {"name": "S", "count": "99", "kind": "other", "action": "submit"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Isi paling sedikit 2 karakter." in html
    assert "Nilai terbesar yang diizinkan adalah 10." in html
    assert Application.objects.count() == 0


def test_the_portal_saves_a_draft_and_scopes_pages(form, citizen, stranger):
    client = browser(citizen)
    response = client.post(
        "/layanan/permohonan/ajukan/izin_uji/", {"name": "Siti", "action": "draft"}
    )
    assert response.status_code == 302
    obj = Application.objects.get()
    assert obj.state == "draft" and obj.answers == {"name": "Siti"}
    edit = client.get(f"/layanan/permohonan/{obj.uuid}/ubah/").content.decode()
    assert 'value="Siti"' in edit
    other = browser(stranger)
    for path in ("", "ubah/", "hasil/"):
        assert other.get(f"/layanan/permohonan/{obj.uuid}/{path}").status_code == 404
    assert other.post(f"/layanan/permohonan/{obj.uuid}/batal/").status_code == 404
    assert client.post(f"/layanan/permohonan/{obj.uuid}/batal/").status_code == 302
    obj.refresh_from_db()
    assert obj.state == "cancelled"
    assert GOOD  # the complete answers are exercised in test_api


def test_the_portal_list_costs_the_same_queries_at_any_size(
    agency, category, kelurahan, citizen, django_assert_max_num_queries
):
    client = browser(citizen)
    counts = []
    for size in (1, 12):
        while Application.objects.count() < size:
            n = Application.objects.count()
            filed(citizen, make_form(agency, category, code=f"izin_{n}"), submit=False)
        client.get("/layanan/permohonan/")  # warms the session and the platform's caches
        # the session and user middleware (5), the page of applications, the published forms
        with django_assert_max_num_queries(9) as counted:
            page = client.get("/layanan/permohonan/")
        assert page.content.decode().count("/layanan/permohonan/ajukan/") == size
        counts.append(len(counted.captured_queries))
    assert counts[0] == counts[1]

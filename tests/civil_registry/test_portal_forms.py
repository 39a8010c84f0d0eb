"""The portal's one form mechanism for every request type: create (draft or submit), edit a
draft, upload and replace documents, the list of what is missing, revision, cancel, download."""

import pytest
from django.test import Client
from django.utils import translation

from civil_registry import services
from civil_registry.demo import demo_pdf, demo_png
from civil_registry.models import CivilRequest
from civil_registry.types import REQUEST_TYPES
from tests.civil_registry.conftest import birth_request
from tests.civil_registry.test_types import GOOD

pytestmark = pytest.mark.django_db

ROOT = "/layanan/pencatatan-sipil/"


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def as_form(data: dict) -> dict:
    """Subject data as the portal's inputs carry it."""
    form = {}
    for name, value in data.items():
        if isinstance(value, list):
            form[name] = "\n".join(", ".join(row.values()) for row in value)
        elif isinstance(value, bool):
            form[name] = "true" if value else "false"
        else:
            form[name] = value
    return form


def required_documents(code: str, data: dict) -> dict:
    spec = REQUEST_TYPES[code]
    return {
        f"doc_{r.code}": demo_png(f"{r.code}.png")
        for r in spec.missing_documents(data=data, present=set())
    }


def _id(text) -> str:
    with translation.override("id"):
        return str(text)


@pytest.mark.parametrize("code", sorted(REQUEST_TYPES))
def test_every_type_has_a_create_page_built_from_its_declaration(citizen, code):
    spec = REQUEST_TYPES[code]
    response = browser(citizen).get(f"{ROOT}{spec.slug}/baru/")
    page = response.content.decode()
    assert response.status_code == 200
    for field in spec.serializer().fields.values():
        assert _id(field.label).replace("'", "&#x27;") in page
    for requirement in spec.requirements:
        assert _id(requirement.label).replace("'", "&#x27;") in page
        assert f'name="doc_{requirement.code}"' in page
    assert "(opsional)" in page or all(f.required for f in spec.serializer().fields.values())
    listing = browser(citizen).get(ROOT).content.decode()
    assert f'href="{ROOT}{spec.slug}/baru/"' in listing


@pytest.mark.parametrize("code", sorted(REQUEST_TYPES))
def test_every_type_can_be_submitted_through_the_portal(citizen, code):
    spec = REQUEST_TYPES[code]
    data = GOOD[code]
    response = browser(citizen).post(
        f"{ROOT}{spec.slug}/baru/",
        {**as_form(data), **required_documents(code, data), "action": "submit"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    obj = CivilRequest.objects.get()
    assert (obj.request_type, obj.state) == (code, "submitted")
    stored = {k: v for k, v in data.items() if k != spec.nik_field}
    assert obj.subject_data == stored
    if spec.nik_field:
        assert data[spec.nik_field] not in str(obj.subject_data)
        assert obj.subject_nik_masked.endswith(data[spec.nik_field][-4:])


def test_a_draft_is_saved_then_completed_with_a_list_of_what_is_missing(citizen):
    client = browser(citizen)
    response = client.post(
        f"{ROOT}akta-kelahiran/baru/",
        {"child_name": "Aisyah Putri", "doc_birth_letter": demo_png(), "action": "save"},
    )
    obj = CivilRequest.objects.get()
    assert response.status_code == 302 and obj.state == "draft"
    assert obj.subject_data == {"child_name": "Aisyah Putri"}
    detail = client.get(f"{ROOT}{obj.uuid}/").content.decode()
    assert f'href="{ROOT}{obj.uuid}/ubah/"' in detail
    edit = f"{ROOT}{obj.uuid}/ubah/"
    assert 'value="Aisyah Putri"' in client.get(edit).content.decode()  # prefilled

    # submit while incomplete: the changes are kept, every missing item is listed
    response = client.post(edit, {"birth_place": "RSUD Beriman", "action": "submit"})
    page = response.content.decode()
    assert response.status_code == 200
    obj.refresh_from_db()
    assert obj.state == "draft"
    assert obj.subject_data["birth_place"] == "RSUD Beriman"
    for label in ("Jenis kelamin", "Tanggal lahir", "Nama ibu", "Nomor KK orang tua"):
        assert f"{label}: " in page
    assert "Dokumen belum ada: Kartu keluarga (KK) orang tua" in page
    assert "Surat keterangan lahir dari rumah sakit atau bidan: Dokumen belum ada" not in page

    rest = as_form({k: v for k, v in GOOD["akta_kelahiran"].items() if k != "child_name"})
    response = client.post(
        edit,
        {
            **rest,
            "doc_parents_kk": demo_png("kk.png"),
            "doc_statement_of_responsibility": demo_png("sptjm.png"),  # instead of the marriage
            "action": "submit",
        },
    )
    assert response.status_code == 302
    obj.refresh_from_db()
    assert obj.state == "submitted"
    assert obj.documents.count() == 3


@pytest.mark.parametrize(
    "field, value, text",
    [
        ("birth_date", "kemarin", "Tanggal lahir: "),  # not a date at all
        ("birth_date", "2999-01-01", "masa depan"),  # the serializer's rule
        ("parents_kk_number", "6471052003150000", "Nomor KK orang tua: "),
        ("child_sex", "X", "Jenis kelamin: "),
    ],
)
def test_bad_portal_input_is_shown_and_writes_nothing(citizen, field, value, text):
    data = {**as_form(GOOD["akta_kelahiran"]), field: value, "action": "save"}
    response = browser(citizen).post(f"{ROOT}akta-kelahiran/baru/", data)
    assert response.status_code == 200
    assert text.lower() in response.content.decode().lower()
    assert CivilRequest.objects.count() == 0


def test_a_moving_family_is_one_member_per_line(citizen):
    client = browser(citizen)
    data = {**as_form(GOOD["pindah_keluar"]), "action": "save"}
    data["members"] = "Siti Rahmawati, istri\nAndi, Saputra, kepala keluarga\n\n"
    assert client.post(f"{ROOT}pindah-keluar/baru/", data).status_code == 302
    obj = CivilRequest.objects.get()
    assert obj.subject_data["members"] == [
        {"full_name": "Siti Rahmawati", "relationship": "istri"},
        {"full_name": "Andi, Saputra", "relationship": "kepala keluarga"},  # the last comma
    ]
    response = client.post(f"{ROOT}{obj.uuid}/ubah/", {"members": "Budi", "action": "save"})
    assert response.status_code == 200
    assert "Anggota keluarga yang pindah: " in response.content.decode()


def test_unknown_types_are_404(citizen):
    client = browser(citizen)
    assert client.get(f"{ROOT}akta_kelahiran/baru/").status_code == 404
    assert client.get(f"{ROOT}paspor/baru/").status_code == 404


def test_a_household_member_is_chosen_and_a_stranger_is_refused(citizen, stranger):
    from django.utils import timezone

    from tests.civil_registry.test_api import _household_of
    from tests.factories import HouseholdMemberFactory

    citizen.nik_verified_at = timezone.now()  # a guardian acts with a verified NIK
    citizen.save(update_fields=["nik_verified_at"])
    child = HouseholdMemberFactory(
        household=_household_of(citizen), full_name="Rani", nik="6471055501150003"
    )
    client = browser(citizen)
    page = client.get(f"{ROOT}kia/baru/").content.decode()
    assert f'value="{child.uuid}"' in page and "Rani" in page
    data = {**as_form(GOOD["kia"]), "action": "save"}
    # a uuid that is not one of the choices (someone else's member, or none): refused
    other = "00000000-0000-0000-0000-000000000000"
    response = client.post(f"{ROOT}kia/baru/", {**data, "subject_member": other})
    assert response.status_code == 200 and CivilRequest.objects.count() == 0
    response = client.post(f"{ROOT}kia/baru/", {**data, "subject_member": str(child.uuid)})
    assert response.status_code == 302, response.context["errors"]
    obj = CivilRequest.objects.get()
    assert (obj.subject_member, obj.relationship) == (child, "household_member")
    # the stranger's page does not offer the citizen's child
    assert str(child.uuid) not in browser(stranger).get(f"{ROOT}kia/baru/").content.decode()


def test_a_request_in_review_cannot_be_edited_or_cancelled(citizen, officer):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    client = browser(citizen)
    edit = f"{ROOT}{obj.uuid}/ubah/"
    assert client.get(edit).status_code == 302
    client.post(edit, {"child_name": "Lain", "action": "submit"})
    client.post(f"{ROOT}{obj.uuid}/batal/")
    obj.refresh_from_db()
    assert (obj.state, obj.subject_data["child_name"]) == ("in_review", "Aisyah Putri")
    assert "Batalkan permohonan" not in client.get(f"{ROOT}{obj.uuid}/").content.decode()


def test_a_draft_and_a_submitted_request_can_be_cancelled(citizen):
    draft = birth_request(citizen)
    submitted = birth_request(citizen, submit=True)
    client = browser(citizen)
    for obj in (draft, submitted):
        assert "Batalkan permohonan" in client.get(f"{ROOT}{obj.uuid}/").content.decode()
        assert client.post(f"{ROOT}{obj.uuid}/batal/").status_code == 302
        obj.refresh_from_db()
        assert obj.state == "cancelled"


def test_the_issued_document_is_downloaded_by_its_owner_only(citizen, officer, stranger):
    obj = birth_request(citizen, submit=True)
    url = f"{ROOT}{obj.uuid}/dokumen/"
    assert browser(citizen).get(url).status_code == 404  # not issued yet
    services.request_start_review(actor=officer, request=obj)
    services.request_approve(actor=officer, request=obj)
    services.request_issue(actor=officer, request=obj, pdf=demo_pdf())
    response = browser(citizen).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert browser(stranger).get(url).status_code == 404
    assert browser(officer).get(url).status_code == 404  # staff use the admin


def test_the_portal_list_costs_the_same_queries_at_any_size(citizen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = browser(citizen)
    counts = []
    for rows in (1, 10):
        while CivilRequest.objects.count() < rows:
            services.request_create(
                actor=citizen, request_type="akta_kelahiran", subject_data=GOOD["akta_kelahiran"]
            )
        client.get(ROOT)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(ROOT)
        assert response.content.decode().count("DUK-") == rows
        ours = [q["sql"] for q in captured.captured_queries if "civil_registry_" in q["sql"]]
        assert len(ours) == 1, ours  # the page of requests with the due time as a subquery
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_draft_refuses_a_half_member_row_through_the_api_too(citizen):
    from tests.civil_registry.conftest import BASE, api

    client = api(citizen)
    created = client.post(BASE, {"request_type": "pindah_keluar"}, format="json")
    uuid = created.json()["uuid"]
    response = client.patch(
        f"{BASE}{uuid}/", {"subject_data": {"members": [{"full_name": "Budi"}]}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"].startswith("subject_data.members")
    assert CivilRequest.objects.get(uuid=uuid).subject_data == {}


def test_type_slugs():
    from civil_registry.types import request_type_for_slug

    assert request_type_for_slug("ktp-el-cetak-ulang").code == "ktp_el_cetak_ulang"
    assert request_type_for_slug("ktp_el_cetak_ulang") is None
    assert request_type_for_slug("nope") is None
    assert {spec.slug for spec in REQUEST_TYPES.values()} == {
        code.replace("_", "-") for code in REQUEST_TYPES
    }


def test_the_admin_shows_subject_data_with_labels(citizen, officer):
    obj = services.request_create(
        actor=citizen, request_type="pindah_keluar", subject_data=GOOD["pindah_keluar"]
    )
    services.request_document_attach(
        actor=citizen,
        request=obj,
        requirement="kk",
        document_uuid=services.document_upload(owner=citizen, file=demo_png(), purpose="t").uuid,
    )
    services.request_submit(actor=citizen, request=obj)
    page = browser(officer).get(f"/admin/civil_registry/civilrequest/{obj.pk}/change/")
    text = page.content.decode()
    assert "Anggota keluarga yang pindah" in text
    assert "Siti Rahmawati, kepala_keluarga" in text


def test_the_detail_lists_what_is_still_needed(citizen):
    obj = services.request_create(
        actor=citizen, request_type="akta_kelahiran", subject_data=GOOD["akta_kelahiran"]
    )
    for code in ("birth_letter", "statement_of_responsibility"):
        services.request_document_attach(
            actor=citizen,
            request=obj,
            requirement=code,
            document_uuid=services.document_upload(
                owner=citizen, file=demo_png(), purpose="t"
            ).uuid,
        )
    page = browser(citizen).get(f"{ROOT}{obj.uuid}/").content.decode()
    assert "Kartu keluarga (KK) orang tua: <strong>belum ada</strong>" in page
    # the signed statement stands in for the marriage certificate
    assert "Buku nikah atau akta perkawinan orang tua: tidak diperlukan" in page

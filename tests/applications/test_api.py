"""The citizen's path through the API, version pinning, scoping, and query budgets."""

import pytest

from applications import services
from applications.models import Application, ApplicationDocument, FormVersion
from civil_registry.demo import demo_pdf, demo_png
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.workflow import StatusHistory
from tests.applications.conftest import BASE, GOOD, NIK_SITI, api, filed, make_form, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _history(obj):
    return list(
        StatusHistory.objects.filter(object_id=obj.pk, content_type__model="application")
        .order_by("id")
        .values_list("transition", "from_state", "to_state")
    )


def test_published_forms_are_listed_and_served_as_json_schema(form):
    listing = api().get(f"{BASE}forms/")
    assert listing.status_code == 200
    assert [row["service_code"] for row in listing.json()["results"]] == ["izin_uji"]
    assert listing.json()["results"][0]["version"] == 1
    detail = api().get(f"{BASE}forms/izin_uji/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["json_schema"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert body["ui"]["order"][0] == "name"
    assert body["requirements"][0] == {"code": "ktp", "label": "KTP-el", "required": True}
    assert api().get(f"{BASE}forms/{form.uuid}/").json()["uuid"] == str(form.uuid)


def test_the_full_path_from_draft_to_completed_with_a_decision_letter(
    agency, category, kelurahan, citizen, officer, django_capture_on_commit_callbacks
):
    make_form(
        agency,
        category,
        output_kind="decision_letter",
        letter_template="Izin untuk {applicant_name}: {answer:name} ({tracking_number})",
    )
    client = api(citizen)
    created = client.post(
        f"{BASE}applications/", {"form": "izin_uji", "answers": {"name": "Siti"}}, format="json"
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["uuid"]
    assert created.json()["tracking_number"].startswith("PDPMP-2026-")
    assert created.json()["state"] == "draft"

    patched = client.patch(
        f"{BASE}applications/{uuid}/", {"answers": {**GOOD, "name": "Siti Rahma"}}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json()["answers"]["nik"] == "6471********0042"  # masked, sealed at rest
    obj = Application.objects.get(uuid=uuid)
    assert NIK_SITI not in str(obj.answers) and NIK_SITI not in str(obj.sealed_answers)

    early = client.post(f"{BASE}applications/{uuid}/submit/")
    assert early.status_code == 400
    assert [(e["attr"], e["code"]) for e in early.json()["errors"]] == [
        ("documents.ktp", "missing_document")
    ]
    uploaded = client.post("/api/v1/documents/", {"file": demo_png()}, format="multipart")
    attached = client.post(
        f"{BASE}applications/{uuid}/documents/",
        {"requirement": "ktp", "document": uploaded.json()["uuid"]},
        format="json",
    )
    assert attached.status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"{BASE}applications/{uuid}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["due_at"] is not None

    obj = Application.objects.get(uuid=uuid)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_start_review(actor=officer, application=obj)
        services.application_approve(actor=officer, application=obj, note="Lengkap")
        services.application_complete(actor=officer, application=obj)
    obj.refresh_from_db()
    assert obj.state == "completed"
    assert obj.output_document.content_type == "application/pdf"
    output = client.get(f"{BASE}applications/{uuid}/output/")
    assert output.status_code == 200
    assert b"".join(output.streaming_content).startswith(b"%PDF")
    assert _history(obj) == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("approve", "in_review", "approved"),
        ("complete", "approved", "completed"),
    ]
    item = ActivityItem.objects.get(owner=citizen, module="permohonan")
    assert item.state == "completed"
    assert Notification.objects.filter(recipient=citizen, event="status_changed").count() == 4
    history = client.get(f"{BASE}applications/{uuid}/history/").json()
    assert [row["to_state"] for row in history][-1] == "completed"


def test_the_letter_fills_its_template(agency, category, kelurahan, citizen, officer):
    from applications.letters import letter_text

    form = make_form(
        agency,
        category,
        output_kind="decision_letter",
        letter_template="{applicant_name}|{answer:name}|{answer:kind}|{answer:agree}|{answer:nik}|{nope}",
    )
    obj = filed(citizen, form)
    assert (
        letter_text(application=obj)
        == "Siti Rahmawati|Siti Rahma|Satu|Tidak|6471********0042|{nope}"
    )


def test_an_officer_document_is_needed_to_complete(form, citizen, officer):
    obj = filed(citizen, form)
    services.application_start_review(actor=officer, application=obj)
    services.application_approve(actor=officer, application=obj)
    from applications.exceptions import OutputRequired

    with pytest.raises(OutputRequired):
        services.application_complete(actor=officer, application=obj)
    services.application_complete(actor=officer, application=obj, pdf=demo_pdf())
    obj.refresh_from_db()
    assert obj.state == "completed" and obj.output_document is not None


def test_revision_pauses_and_resubmission_resumes(form, citizen, officer):
    obj = filed(citizen, form)
    services.application_start_review(actor=officer, application=obj)
    services.application_ask_revision(actor=officer, application=obj, note="Foto KTP buram")
    client = api(citizen)
    assert client.get(f"{BASE}applications/{obj.uuid}/").json()["revision_note"] == "Foto KTP buram"
    attach = client.post(
        f"{BASE}applications/{obj.uuid}/documents/",
        {"requirement": "ktp", "document": str(upload(citizen).uuid)},
        format="json",
    )
    assert attach.status_code == 201
    resent = client.post(f"{BASE}applications/{obj.uuid}/submit/")
    assert resent.status_code == 200
    assert resent.json()["state"] == "submitted"
    assert _history(obj)[-1] == ("resubmit", "needs_revision", "submitted")


def test_cancel_only_before_review(form, citizen, officer):
    draft = filed(citizen, form, submit=False)
    assert api(citizen).post(f"{BASE}applications/{draft.uuid}/cancel/").json()["state"] == (
        "cancelled"
    )
    obj = filed(citizen, form)
    services.application_start_review(actor=officer, application=obj)
    refused = api(citizen).post(f"{BASE}applications/{obj.uuid}/cancel/")
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["code"] == "invalid_transition"
    obj.refresh_from_db()
    assert obj.state == "in_review"


def test_an_application_keeps_the_version_it_was_filed_with(form, citizen):
    obj = filed(citizen, form, submit=False)
    # the agency adds a required field and publishes version 2
    field = form.fields.get(key="story")
    field.is_required = True
    field.save()
    services.form_publish(actor=None, form=form)
    form.refresh_from_db()
    assert form.current_version.number == 2
    assert FormVersion.objects.filter(form=form).count() == 2
    # the draft still follows v1: it submits without the now-required story
    body = api(citizen).get(f"{BASE}applications/{obj.uuid}/definition/").json()
    assert body["version"] == 1
    assert "story" not in body["json_schema"]["required"]
    submitted = api(citizen).post(f"{BASE}applications/{obj.uuid}/submit/")
    assert submitted.status_code == 200 and submitted.json()["version"] == 1
    # a new application gets v2 and needs the story
    new = services.application_create(actor=citizen, form=form, answers=GOOD)
    assert new.version.number == 2
    errors = api(citizen).post(f"{BASE}forms/izin_uji/validate/", {"answers": GOOD}, format="json")
    assert [(e["attr"], e["code"]) for e in errors.json()["errors"]] == [
        ("answers.story", "required")
    ]
    with pytest.raises(RuntimeError):
        FormVersion.objects.filter(form=form).update(spec={})
    version = FormVersion.objects.get(form=form, number=1)
    with pytest.raises(RuntimeError):
        version.save()


def test_nobody_applies_with_an_unpublished_or_closed_form(agency, category, kelurahan, citizen):
    make_form(agency, category, code="belum_terbit", publish=False)
    client = api(citizen)
    assert client.get(f"{BASE}forms/belum_terbit/").status_code == 404
    refused = client.post(f"{BASE}applications/", {"form": "belum_terbit"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "form_not_published"
    closed = make_form(agency, category, code="ditutup")
    closed.is_open = False
    closed.save()
    refused = client.post(f"{BASE}applications/", {"form": "ditutup"}, format="json")
    assert refused.json()["errors"][0]["code"] == "form_not_published"
    assert Application.objects.count() == 0


def test_bad_answers_get_field_level_errors_and_nothing_is_written(form, citizen):
    response = api(citizen).post(
        f"{BASE}applications/",
        {"form": "izin_uji", "answers": {"count": 99, "nik": "123", "colour": "red"}},
        format="json",
    )
    assert response.status_code == 400
    assert sorted((e["attr"], e["code"]) for e in response.json()["errors"]) == [
        ("answers.colour", "unknown_field"),
        ("answers.count", "max_value"),
        ("answers.nik", "invalid_nik"),
    ]
    assert NIK_SITI not in response.content.decode()
    assert Application.objects.count() == 0
    assert api(citizen).post(f"{BASE}applications/", {"form": "izin_uji", "answers": [1]},
                             format="json").status_code == 400  # fmt: skip


def test_another_citizen_gets_404_and_staff_see_only_their_agency(
    form, citizen, stranger, officer, other_staff
):
    obj = filed(citizen, form)
    for path in ("", "definition/", "history/", "output/"):
        assert api(stranger).get(f"{BASE}applications/{obj.uuid}/{path}").status_code == 404
    assert api(stranger).post(f"{BASE}applications/{obj.uuid}/cancel/").status_code == 404
    patched = api(stranger).patch(
        f"{BASE}applications/{obj.uuid}/", {"answers": {"name": "Budi"}}, format="json"
    )
    assert patched.status_code == 404
    assert api().get(f"{BASE}applications/{obj.uuid}/").status_code == 401
    assert api(officer).get(f"{BASE}applications/{obj.uuid}/").status_code == 200
    assert api(other_staff).get(f"{BASE}applications/{obj.uuid}/").status_code == 404
    assert api(stranger).get(f"{BASE}applications/").json()["results"] == []
    # staff of the agency may read but not act as the citizen
    assert api(officer).post(f"{BASE}applications/{obj.uuid}/cancel/").status_code == 404
    # and another person's upload cannot be attached
    draft = filed(citizen, form, submit=False, documents=())
    foreign = upload(stranger)
    refused = api(citizen).post(
        f"{BASE}applications/{draft.uuid}/documents/",
        {"requirement": "ktp", "document": str(foreign.uuid)},
        format="json",
    )
    assert refused.json()["errors"][0]["code"] == "document_unavailable"
    assert not ApplicationDocument.objects.filter(application=draft).exists()


@pytest.mark.parametrize("rows", [1, 12])
def test_the_lists_cost_the_same_queries_at_any_size(
    agency, category, kelurahan, citizen, officer, django_assert_num_queries, rows
):
    for n in range(rows):
        form = make_form(agency, category, code=f"izin_{n}")
        filed(citizen, form)
    api().get(f"{BASE}forms/")  # warms the platform's cached list of switched-off modules
    # forms: 1 page of forms with service, agency and version joined
    with django_assert_num_queries(1):
        assert len(api().get(f"{BASE}forms/").json()["results"]) == rows
    # applications: 1 page with agency, form and version joined (the due date is a subquery)
    with django_assert_num_queries(1):
        assert len(api(citizen).get(f"{BASE}applications/").json()["results"]) == rows
    # staff: 1 for the page (their agencies are a subquery), 1 for the officer's authenticator
    # app (staff need 2FA, accounts.mfa)
    staff = api(officer)
    with django_assert_num_queries(2):
        assert len(staff.get(f"{BASE}applications/").json()["results"]) == rows


def test_a_user_of_another_town_cannot_use_unknown_documents(form, citizen):
    obj = filed(citizen, form, submit=False, documents=())
    refused = api(citizen).post(
        f"{BASE}applications/{obj.uuid}/documents/",
        {"requirement": "passport", "document": str(upload(citizen).uuid)},
        format="json",
    )
    assert refused.json()["errors"][0]["code"] == "unknown_requirement"


def test_the_conformance_object_is_scoped(form):
    from applications.conformance import conformance_object

    owner, other = UserFactory(nik=NIK_SITI), UserFactory()
    url = conformance_object(owner=owner)
    assert api(owner).get(url).status_code == 200
    assert api(other).get(url).status_code == 404

"""The citizen's path through the API and the staff's decisions through the services."""

import hashlib
import logging
from pathlib import Path

import pytest
import yaml

from accounts.models import HouseholdMember, ProxyAction
from civil_registry import services
from civil_registry.demo import demo_pdf, demo_png
from civil_registry.models import CivilRequest, RequestDocument
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.receipts.models import Receipt
from services.workflow import StatusHistory
from tests.civil_registry.conftest import (
    BASE,
    BIRTH,
    BIRTH_DOCS,
    NIK_SITI,
    api,
    birth_request,
    upload,
)
from tests.factories import HouseholdFactory, HouseholdMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def _history(obj):
    return list(
        StatusHistory.objects.filter(object_id=obj.pk, content_type__model="civilrequest")
        .order_by("id")
        .values_list("transition", "from_state", "to_state", "note")
    )


def test_the_full_path_from_draft_to_issued_and_completed(
    citizen, officer, django_capture_on_commit_callbacks
):
    client = api(citizen)
    created = client.post(
        BASE, {"request_type": "akta_kelahiran", "subject_data": BIRTH}, format="json"
    )
    assert created.status_code == 201
    uuid = created.json()["uuid"]
    assert created.json()["subject_name"] == "Aisyah Putri"
    assert created.json()["kelurahan"] == "64.71.05.1002"

    # upload through the platform, attach against the requirement list
    for code in BIRTH_DOCS:
        uploaded = client.post(
            "/api/v1/documents/", {"file": demo_png(f"{code}.png")}, format="multipart"
        )
        assert uploaded.status_code == 201, uploaded.json()
        attached = client.post(
            f"{BASE}{uuid}/documents/",
            {"requirement": code, "document": uploaded.json()["uuid"]},
            format="json",
        )
        assert attached.status_code == 201
        assert attached.json()["requirement"] == code

    with django_capture_on_commit_callbacks(execute=True):
        submitted = client.post(f"{BASE}{uuid}/submit/")
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["state"] == "submitted"
    assert body["due_at"] is not None
    obj = CivilRequest.objects.get(uuid=uuid)
    # the NIK check ran on commit (a Celery task); nothing is pushed before approval
    assert (obj.nik_check, obj.national_reference) == ("match", "")
    assert obj.nik_checked_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        services.request_start_review(actor=officer, request=obj)
        services.request_approve(actor=officer, request=obj)
    obj.refresh_from_db()
    assert obj.national_reference.startswith("SIAK-")  # pushed on approval
    assert obj.national_status == "received"
    with django_capture_on_commit_callbacks(execute=True):
        services.request_issue(actor=officer, request=obj, pdf=demo_pdf())
    obj.refresh_from_db()
    assert obj.state == "issued"
    assert obj.issued_document.content_type == "application/pdf"
    assert obj.issued_document.owner == citizen

    detail = client.get(f"{BASE}{uuid}/").json()
    assert detail["has_issued_document"] is True
    assert detail["due_at"] is None  # the clock stopped on issue
    download = client.get(f"{BASE}{uuid}/issued-document/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    pdf_bytes = b"".join(download.streaming_content)

    receipt = Receipt.objects.get(kind=Receipt.Kind.DOCUMENT_ISSUED, object_id=obj.pk)
    assert receipt.tracking_number == obj.tracking_number
    assert receipt.title == "Akta kelahiran"
    assert receipt.masked_name != "Aisyah Putri" and receipt.masked_name.startswith("A")

    # the public verification answers with the file's hash check
    sha = hashlib.sha256(pdf_bytes).hexdigest()
    verified = api().get(f"/api/v1/pencatatan-sipil/verify/{receipt.code}/", {"sha256": sha})
    assert verified.status_code == 200
    assert verified.json()["is_valid"] is True
    assert verified.json()["file_matches"] is True
    assert verified.json()["tracking_number"] == obj.tracking_number
    other = api().get(f"/api/v1/pencatatan-sipil/verify/{receipt.code}/", {"sha256": "0" * 64})
    assert other.json()["file_matches"] is False
    assert api().get("/api/v1/pencatatan-sipil/verify/ABCD-EFGH-JKLM/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.request_complete(actor=officer, request=obj)
    assert [row[:3] for row in _history(obj)] == [
        ("create", "", "draft"),
        ("submit", "draft", "submitted"),
        ("start_review", "submitted", "in_review"),
        ("approve", "in_review", "approved"),
        ("issue", "approved", "issued"),
        ("complete", "issued", "completed"),
    ]
    item = ActivityItem.objects.get(owner=citizen, module="pencatatan-sipil")
    assert (item.state, item.is_open, item.service_code) == ("completed", False, "akta_kelahiran")
    # every state change notified the citizen (5 after creation)
    assert Notification.objects.filter(recipient=citizen, event="status_changed").count() == 5
    history = client.get(f"{BASE}{uuid}/history/").json()
    assert [row["to_state"] for row in history] == [
        "draft",
        "submitted",
        "in_review",
        "approved",
        "issued",
        "completed",
    ]


def test_the_revision_loop(citizen, officer):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    due_before = api(citizen).get(f"{BASE}{obj.uuid}/").json()["due_at"]
    services.request_ask_revision(actor=officer, request=obj, note="Foto KK buram.")
    client = api(citizen)
    detail = client.get(f"{BASE}{obj.uuid}/").json()
    assert detail["state"] == "needs_revision"
    assert detail["revision_note"] == "Foto KK buram."
    assert detail["due_at"] is None  # paused while the citizen fixes it
    history = client.get(f"{BASE}{obj.uuid}/history/").json()
    assert history[-1]["note"] == "Foto KK buram."

    old = RequestDocument.objects.get(request=obj, requirement="parents_kk").document
    new = upload(citizen, "kk-baru.png")
    replaced = client.post(
        f"{BASE}{obj.uuid}/documents/",
        {"requirement": "parents_kk", "document": str(new.uuid)},
        format="json",
    )
    assert replaced.status_code == 201
    assert RequestDocument.objects.get(request=obj, requirement="parents_kk").document == new
    assert old.pk != new.pk
    edited = client.patch(
        f"{BASE}{obj.uuid}/", {"subject_data": {"birth_place": "RS Pertamina"}}, format="json"
    )
    assert edited.json()["subject_data"]["birth_place"] == "RS Pertamina"
    assert edited.json()["subject_data"]["child_name"] == "Aisyah Putri"

    resubmitted = client.post(f"{BASE}{obj.uuid}/submit/")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["state"] == "submitted"
    assert resubmitted.json()["due_at"] is not None
    assert resubmitted.json()["due_at"] >= due_before  # resumed with the time that was left
    assert [row[0] for row in _history(obj)][-2:] == ["ask_revision", "resubmit"]


def test_staff_notes_are_required(citizen, officer):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    from civil_registry.exceptions import IssueOutputRequired, NoteRequired, ReasonRequired

    with pytest.raises(NoteRequired):
        services.request_ask_revision(actor=officer, request=obj, note="  ")
    with pytest.raises(ReasonRequired):
        services.request_reject(actor=officer, request=obj, reason="")
    services.request_approve(actor=officer, request=obj)
    with pytest.raises(IssueOutputRequired):
        services.request_issue(actor=officer, request=obj)
    obj.refresh_from_db()
    assert obj.state == "approved"
    services.request_issue(actor=officer, request=obj, pickup_note="MPP loket 3")
    obj.refresh_from_db()
    assert (obj.state, obj.pickup_note, obj.issued_document) == ("issued", "MPP loket 3", None)
    assert api(citizen).get(f"{BASE}{obj.uuid}/issued-document/").status_code == 404


def test_an_image_is_refused_as_the_issued_document(citizen, officer):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    services.request_approve(actor=officer, request=obj)
    from rest_framework.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.request_issue(actor=officer, request=obj, pdf=demo_png())
    obj.refresh_from_db()
    assert (obj.state, obj.issued_document_id) == ("approved", None)


def test_submission_lists_every_missing_document_and_changes_nothing(citizen):
    client = api(citizen)
    uuid = client.post(
        BASE, {"request_type": "akta_kelahiran", "subject_data": {"child_name": "A"}}, format="json"
    ).json()["uuid"]
    response = client.post(f"{BASE}{uuid}/submit/")
    assert response.status_code == 400
    attrs = sorted(e["attr"] for e in response.json()["errors"])
    assert attrs == [
        "documents.birth_letter",
        "documents.marriage_certificate",
        "documents.parents_kk",
        "subject_data.birth_attendant",
        "subject_data.birth_date",
        "subject_data.birth_place",
        "subject_data.child_sex",
        "subject_data.mother_name",
        "subject_data.parents_kk_number",
    ]
    obj = CivilRequest.objects.get(uuid=uuid)
    assert obj.state == "draft"
    assert obj.national_reference == ""
    assert [row[0] for row in _history(obj)] == ["create"]


# --- disallowed transitions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "call", "status"),
    [
        ([], "submit_again", 409),
        (["review"], "cancel", 409),
        (["review", "approve"], "cancel", 409),
        (["review", "reject"], "submit_again", 409),
    ],
)
def test_citizen_commands_refused_in_the_wrong_state(citizen, officer, steps, call, status):
    obj = birth_request(citizen, submit=True)
    for step in steps:
        {
            "review": lambda: services.request_start_review(actor=officer, request=obj),
            "approve": lambda: services.request_approve(actor=officer, request=obj),
            "reject": lambda: services.request_reject(actor=officer, request=obj, reason="x"),
        }[step]()
    obj.refresh_from_db()
    state, history = obj.state, _history(obj)
    url = f"{BASE}{obj.uuid}/" + ("submit/" if call == "submit_again" else "cancel/")
    response = api(citizen).post(url, {}, format="json")
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == "invalid_transition"
    obj.refresh_from_db()
    assert obj.state == state
    assert _history(obj) == history


STAFF_CALLS = {
    "start_review": lambda o, a: services.request_start_review(actor=a, request=o),
    "ask_revision": lambda o, a: services.request_ask_revision(actor=a, request=o, note="n"),
    "approve": lambda o, a: services.request_approve(actor=a, request=o),
    "reject": lambda o, a: services.request_reject(actor=a, request=o, reason="r"),
    "issue": lambda o, a: services.request_issue(actor=a, request=o, pickup_note="MPP 1"),
    "complete": lambda o, a: services.request_complete(actor=a, request=o),
}
ALLOWED_FROM = {
    "submitted": {"start_review"},
    "in_review": {"ask_revision", "approve", "reject"},
    "approved": {"issue"},
    "issued": {"complete"},
}
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "in_review": ["submit", "start_review"],
    "needs_revision": ["submit", "start_review", "ask_revision"],
    "approved": ["submit", "start_review", "approve"],
    "issued": ["submit", "start_review", "approve", "issue"],
    "completed": ["submit", "start_review", "approve", "issue", "complete"],
    "rejected": ["submit", "start_review", "reject"],
    "cancelled": ["cancel"],
}


DISALLOWED = [
    (state, name)
    for state in sorted(PATHS)
    for name in sorted(STAFF_CALLS)
    if name not in ALLOWED_FROM.get(state, set())
]


@pytest.mark.parametrize(("state", "name"), DISALLOWED)
def test_every_disallowed_staff_transition_is_a_409_that_changes_nothing(
    citizen, officer, state, name
):
    from balikpapan_untuk_warga.api.errors import ApplicationError

    obj = birth_request(citizen)
    for step in PATHS[state]:
        if step == "submit":
            services.request_submit(actor=citizen, request=obj)
        elif step == "cancel":
            services.request_cancel(actor=citizen, request=obj)
        else:
            STAFF_CALLS[step](obj, officer)
    obj.refresh_from_db()
    assert obj.state == state
    before = (_history(obj), obj.issued_at, obj.pickup_note, obj.revision_note)
    with pytest.raises(ApplicationError) as excinfo:
        STAFF_CALLS[name](obj, officer)
    assert excinfo.value.status_code == 409
    obj.refresh_from_db()
    assert obj.state == state
    assert (_history(obj), obj.issued_at, obj.pickup_note, obj.revision_note) == before


def test_a_citizen_cannot_perform_staff_transitions(citizen):
    from balikpapan_untuk_warga.api.errors import ApplicationError

    obj = birth_request(citizen, submit=True)
    with pytest.raises(ApplicationError) as excinfo:
        services.request_start_review(actor=citizen, request=obj)
    assert excinfo.value.status_code == 403
    obj.refresh_from_db()
    assert obj.state == "submitted"


# --- scoping ----------------------------------------------------------------------------


def test_another_citizen_and_other_agency_staff_get_404_everywhere(
    citizen, stranger, other_staff, officer
):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    services.request_approve(actor=officer, request=obj)
    services.request_issue(actor=officer, request=obj, pdf=demo_pdf())
    document = RequestDocument.objects.filter(request=obj).first().document
    for outsider in (stranger, other_staff):
        client = api(outsider)
        for url in ("", "history/", "issued-document/"):
            assert client.get(f"{BASE}{obj.uuid}/{url}").status_code == 404
        for url in ("submit/", "cancel/", "documents/"):
            assert client.post(f"{BASE}{obj.uuid}/{url}", {}, format="json").status_code == 404
        assert client.patch(f"{BASE}{obj.uuid}/", {}, format="json").status_code == 404
        assert client.get(f"/api/v1/documents/{document.uuid}/").status_code == 404
        assert (
            client.get(f"/api/v1/documents/{obj.issued_document.uuid}/download/").status_code == 404
        )
        assert client.get(BASE).json()["results"] == []
    assert api().get(f"{BASE}{obj.uuid}/").status_code == 401
    # the handling agency's staff can read it
    assert api(officer).get(f"{BASE}{obj.uuid}/").status_code == 200


def test_a_citizen_cannot_attach_another_persons_document(citizen, stranger):
    obj = birth_request(citizen)
    theirs = upload(stranger)
    response = api(citizen).post(
        f"{BASE}{obj.uuid}/documents/",
        {"requirement": "birth_letter", "document": str(theirs.uuid)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "document_unavailable"
    theirs.refresh_from_db()
    assert theirs.object_id is None
    response = api(citizen).post(
        f"{BASE}{obj.uuid}/documents/",
        {"requirement": "passport", "document": str(upload(citizen).uuid)},
        format="json",
    )
    assert response.json()["errors"][0]["code"] == "unknown_requirement"


def test_an_applicant_needs_a_valid_nik(agency):
    nobody = UserFactory()
    response = api(nobody).post(BASE, {"request_type": "kk"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "nik_required"
    assert CivilRequest.objects.count() == 0


def test_a_draft_without_a_kelurahan_answers_null_as_documented(agency):
    # the applicant has no home kelurahan and named none: a draft may wait for it
    homeless = UserFactory(nik=NIK_SITI, home_kelurahan=None)
    response = api(homeless).post(BASE, {"request_type": "kk"}, format="json")

    assert response.status_code == 201
    assert response.json()["kelurahan"] is None
    schema = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml").read_text()
    )
    for name in ("CivilRequest", "CivilRequestDetail"):
        assert schema["components"]["schemas"][name]["properties"]["kelurahan"]["nullable"]


def test_a_missing_disdukcapil_agency_is_a_503_in_the_error_shape(db, caplog):
    applicant = UserFactory(nik=NIK_SITI)  # no ``agency`` fixture: the row is missing
    client = api(applicant)
    client.raise_request_exception = False  # a 5xx is reported as a server error by design

    with caplog.at_level(logging.ERROR, logger="civil_registry.services"):
        response = client.post(
            BASE, {"request_type": "kk"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 503
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "agency_not_configured",
                "detail": "Civil registry requests cannot be received right now. "
                "Please try again later.",
                "attr": None,
            }
        ],
    }
    assert CivilRequest.objects.count() == 0
    assert "'disdukcapil' is not in the agency list" in caplog.text
    assert NIK_SITI not in caplog.text


# --- acting for a household member ------------------------------------------------------


def _household_of(head):
    from django.utils import timezone

    household = HouseholdFactory(recorded_by=head)
    household.confirmed_at = timezone.now()
    household.save(update_fields=["confirmed_at"])
    HouseholdMemberFactory(
        household=household,
        user=head,
        relationship=HouseholdMember.Relationship.HEAD,
        nik=None,
        full_name=head.full_name,
    )
    head_row = HouseholdMember.objects.get(household=household, user=head)
    head_row.nik_sealed, head_row.nik_digest = head.nik_sealed, head.nik_digest
    head_row.save(update_fields=["nik_sealed", "nik_digest"])
    return household


def test_a_guardian_files_for_a_minor_and_a_broker_cannot(citizen, stranger):
    from django.utils import timezone

    citizen.nik_verified_at = timezone.now()
    citizen.save(update_fields=["nik_verified_at"])
    household = _household_of(citizen)
    child = HouseholdMemberFactory(household=household, full_name="Rani", nik="6471055501150003")
    data = {"request_type": "kia", "subject_member": str(child.uuid)}
    created = api(citizen).post(BASE, data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["applicant_relationship"], body["subject_name"]) == ("household_member", "Rani")
    obj = CivilRequest.objects.get(uuid=body["uuid"])
    assert obj.member_relationship == "anak"
    assert (
        ProxyAction.objects.filter(actor=citizen, subject_member=child, service_code="kia").count()
        == 1
    )

    # a broker (calo) with a NIK cannot file for a stranger's child, nor for an unknown uuid
    for member in (str(child.uuid), "00000000-0000-0000-0000-000000000000"):
        refused = api(stranger).post(BASE, {**data, "subject_member": member}, format="json")
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["code"] == "not_allowed_for_subject"
    assert CivilRequest.objects.count() == 1
    assert ProxyAction.objects.count() == 1


# --- lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10])
def test_the_list_costs_the_same_queries_at_any_size(citizen, django_assert_num_queries, rows):
    for _index in range(rows):
        services.request_create(actor=citizen, request_type="akta_kelahiran", subject_data=BIRTH)
    client = api(citizen)
    client.get(BASE)  # warm the platform's caches (switched-off modules)
    # 1: the page of requests with agency and kelurahan, and the due time as a subquery
    with django_assert_num_queries(1):
        response = client.get(BASE)
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_the_staff_list_costs_the_same_queries_at_any_size(
    citizen, officer, django_assert_num_queries, rows
):
    for _index in range(rows):
        birth_request(citizen, submit=True)
    client = api(officer)
    client.get(BASE)
    # 1: the page of requests of the officer's agencies (memberships as a subquery)
    with django_assert_num_queries(1):
        response = client.get(BASE)
    assert len(response.json()["results"]) == rows


def test_list_filters_and_bad_filters(citizen):
    services.request_create(actor=citizen, request_type="kk", subject_data={})
    birth_request(citizen, submit=True)
    client = api(citizen)
    assert [
        r["request_type"] for r in client.get(BASE, {"state": "submitted"}).json()["results"]
    ] == ["akta_kelahiran"]
    assert [r["state"] for r in client.get(BASE, {"request_type": "kk"}).json()["results"]] == [
        "draft"
    ]
    assert client.get(BASE, {"state": "nonsense"}).status_code == 400
    # an empty value is a bad value too, not "no filter" (which would answer everything)
    for empty in ({"state": ""}, {"request_type": ""}):
        response = client.get(BASE, empty)
        assert response.status_code == 400
        assert response.json()["errors"][0]["attr"] == next(iter(empty))


def test_the_types_endpoint_lists_each_type_with_its_requirements(citizen):
    types = {t["code"]: t for t in api(citizen).get("/api/v1/pencatatan-sipil/types/").json()}
    assert sorted(types) == sorted(
        [
            "kk",
            "akta_kelahiran",
            "akta_kematian",
            "kia",
            "pindah_keluar",
            "pindah_datang",
            "ktp_el_cetak_ulang",
        ]
    )
    assert all(t["fee"] == 0 for t in types.values())
    assert [r["code"] for r in types["akta_kelahiran"]["requirements"] if r["required"]] == [
        "birth_letter",
        "parents_kk",
        "marriage_certificate",
    ]


def test_a_draft_can_be_cancelled_and_then_not_edited(citizen):
    client = api(citizen)
    uuid = client.post(BASE, {"request_type": "kk"}, format="json").json()["uuid"]
    assert (
        client.post(f"{BASE}{uuid}/cancel/", {"note": "salah"}, format="json").json()["state"]
        == "cancelled"
    )
    response = client.patch(
        f"{BASE}{uuid}/", {"subject_data": {"change_kind": "new"}}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_editable"
    assert CivilRequest.objects.get(uuid=uuid).subject_data == {}


def test_the_module_is_registered_with_the_catalog_codes():
    from services import registry

    module = registry.get("pencatatan-sipil")
    assert module.service_codes == (
        "kk",
        "akta_kelahiran",
        "akta_kematian",
        "kia",
        "pindah_keluar",
        "pindah_datang",
        "ktp_el_cetak_ulang",
    )
    assert module.api_urlconf == "civil_registry.api.urls"
    assert module.app_label == "civil_registry"


def test_staff_do_not_see_drafts(citizen, officer):
    draft = birth_request(citizen)
    assert api(officer).get(f"{BASE}{draft.uuid}/").status_code == 404
    assert api(officer).get(BASE).json()["results"] == []


def test_the_verification_endpoint_is_throttled(settings, agency):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "lookup": "2/min",
        },
    }
    client = api()
    codes = [
        client.get("/api/v1/pencatatan-sipil/verify/ABCD-EFGH-JKLM/").status_code for _ in range(3)
    ]
    assert codes == [404, 404, 429]

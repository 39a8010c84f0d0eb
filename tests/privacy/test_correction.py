"""Correction of identity data: the citizen asks, Disdukcapil staff decide in the admin within
3 × 24 hours, approval applies the change through accounts.services and is recorded."""

import datetime as dt

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import CorrectionEvent, CorrectionRequest
from services.notifications.models import Notification
from tests.privacy.conftest import BASE, NIK_A, NIK_NEW, api, codes, staff_login

pytestmark = pytest.mark.django_db
URL = "/admin/privacy/correctionrequest/"


def _ask(user, field="full_name", value="Sulistyowati Purbaningrum Dewi", reason="Salah eja"):
    return api(user).post(
        f"{BASE}corrections/", {"field": field, "value": value, "reason": reason}, format="json"
    )


def test_citizen_asks_and_sees_the_deadline(citizen):
    before = timezone.now()
    response = _ask(citizen)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending"
    assert body["field"] == "full_name"
    due = dt.datetime.fromisoformat(body["due_at"])
    assert dt.timedelta(hours=71, minutes=59) < due - before <= dt.timedelta(hours=72, seconds=5)
    assert [h["action"] for h in body["history"]] == ["requested"]
    assert Notification.objects.filter(recipient=citizen, event="privacy_request").exists()
    citizen.refresh_from_db()
    assert citizen.full_name == "Sulistyowati Purbaningrum"  # nothing changes before staff decide


def test_nik_is_sealed_and_masked(citizen):
    response = _ask(citizen, field="nik", value=NIK_NEW)
    assert response.status_code == 201
    assert NIK_NEW not in response.content.decode()
    correction = CorrectionRequest.objects.get()
    assert correction.requested_value == ""
    assert NIK_NEW not in correction.requested_nik_sealed


def test_other_citizen_cannot_see_it(citizen, stranger):
    uuid = _ask(citizen).json()["uuid"]
    assert api(stranger).get(f"{BASE}corrections/{uuid}/").status_code == 404
    assert api(stranger).get(f"{BASE}corrections/").json()["results"] == []


def test_same_field_twice_is_409(citizen):
    assert _ask(citizen).status_code == 201
    second = _ask(citizen, value="Sulis Purbaningrum")
    assert second.status_code == 409
    assert codes(second) == {"correction_pending"}


@pytest.mark.parametrize(
    ("payload", "attr"),
    [
        ({"field": "email", "value": "x@example.test", "reason": "r"}, "field"),
        ({"field": "nik", "value": "123", "reason": "r"}, "value"),
        ({"field": "nik", "value": NIK_A, "reason": "r"}, "value"),  # unchanged
        ({"field": "home_kelurahan", "value": "99.99", "reason": "r"}, "value"),
        ({"field": "full_name", "value": "Nama Baru", "reason": ""}, "reason"),
        ({"field": "full_name", "value": "Nama Baru", "reason": "r", "state": "approved"}, "state"),
        ({"field": "full_name"}, "value"),
    ],
)
def test_bad_input_is_400_and_writes_nothing(citizen, payload, attr):
    response = api(citizen).post(f"{BASE}corrections/", payload, format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert attr in {e["attr"] for e in body["errors"]}
    assert not CorrectionRequest.objects.exists()


def test_wrong_agency_staff_cannot_see_it_in_the_admin(client, citizen, other_staff):
    _ask(citizen)
    staff_login(client, other_staff)
    response = client.get(URL)
    assert response.status_code == 403
    correction = CorrectionRequest.objects.get()
    assert client.get(f"{URL}{correction.pk}/change/").status_code in (302, 403, 404)


def test_approval_in_the_admin_applies_and_records(client, citizen, officer):
    _ask(citizen, field="nik", value=NIK_NEW)
    _ask(citizen)
    staff_login(client, officer)
    page = client.get(URL)
    assert page.status_code == 200
    assert b"Sulistyowati Purbaningrum Dewi" in page.content
    ids = list(CorrectionRequest.objects.values_list("pk", flat=True))
    confirm = client.post(URL, {"action": "approve", "_selected_action": ids})
    assert confirm.status_code == 200  # the confirmation page
    done = client.post(
        URL, {"action": "approve", "_selected_action": ids, "apply": "1", "note": ""}
    )
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert citizen.full_name == "Sulistyowati Purbaningrum Dewi"
    assert citizen.nik == NIK_NEW
    for correction in CorrectionRequest.objects.all():
        assert correction.state == "approved"
        assert correction.decided_by == officer
        assert correction.requested_nik_sealed == ""
        assert list(correction.events.values_list("action", flat=True)) == [
            CorrectionEvent.Action.REQUESTED,
            CorrectionEvent.Action.APPROVED,
        ]
    assert (
        Notification.objects.filter(
            recipient=citizen, key__endswith=":approved", event="privacy_request"
        ).count()
        == 2
    )


def test_rejection_needs_a_reason(client, citizen, officer):
    _ask(citizen)
    correction = CorrectionRequest.objects.get()
    staff_login(client, officer)
    client.post(
        URL, {"action": "reject", "_selected_action": [correction.pk], "apply": "1", "note": ""}
    )
    correction.refresh_from_db()
    assert correction.state == "pending"
    client.post(
        URL,
        {
            "action": "reject",
            "_selected_action": [correction.pk],
            "apply": "1",
            "note": "Tidak sesuai KTP",
        },
    )
    correction.refresh_from_db()
    assert correction.state == "rejected"
    assert correction.decision_note == "Tidak sesuai KTP"
    citizen.refresh_from_db()
    assert citizen.full_name == "Sulistyowati Purbaningrum"


def test_service_refuses_wrong_agency_and_double_decision(citizen, officer, other_staff):
    correction = services.correction_create(
        user=citizen, field="full_name", value="Nama Benar", reason="ejaan"
    )
    with pytest.raises(Exception) as refused:
        services.correction_decide(actor=other_staff, correction=correction, approve=True)
    assert refused.value.status_code == 403
    services.correction_decide(actor=officer, correction=correction, approve=True)
    with pytest.raises(Exception) as twice:
        services.correction_decide(actor=officer, correction=correction, approve=True)
    assert twice.value.status_code == 409


def test_overdue_filter(client, citizen, officer):
    _ask(citizen)
    _ask(citizen, field="home_kelurahan", value="64.71.05.1003")  # unknown code → refused
    late = CorrectionRequest.objects.get()
    CorrectionRequest.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=80),
        due_at=timezone.now() - dt.timedelta(hours=8),
    )
    services.correction_create(user=citizen, field="nik", value=NIK_NEW, reason="salah digit")
    staff_login(client, officer)
    overdue = client.get(f"{URL}?overdue=yes")
    assert overdue.status_code == 200
    assert list(overdue.context["cl"].result_list) == [late]
    on_time = client.get(f"{URL}?overdue=no")
    assert late not in list(on_time.context["cl"].result_list)
    assert len(on_time.context["cl"].result_list) == 1


def test_portal_form(client, citizen):
    client.force_login(citizen)
    bad = client.post(
        "/profil/data-pribadi/koreksi/", {"field": "nik", "value": "1", "reason": "x"}
    )
    assert bad.status_code == 400
    assert not CorrectionRequest.objects.exists()
    ok = client.post(
        "/profil/data-pribadi/koreksi/",
        {"field": "full_name", "value": "Sulis Purbaningrum", "reason": "ejaan"},
    )
    assert ok.status_code == 302
    page = client.get("/profil/data-pribadi/")
    assert b"Sulis Purbaningrum" in page.content


def test_admin_pages_render(client, citizen, officer, django_capture_on_commit_callbacks):
    from privacy.models import ExportRequest
    from tests.factories import UserFactory

    _ask(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        api(citizen).post(f"{BASE}exports/")
    correction = CorrectionRequest.objects.get()
    staff_login(client, officer)
    page = client.get(f"{URL}{correction.pk}/change/")
    assert page.status_code == 200
    assert b"Diajukan" in page.content or b"Requested" in page.content
    # Exports and erasures are for superusers only.
    assert client.get("/admin/privacy/exportrequest/").status_code == 403
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    staff_login(client, admin_user)
    for path in ("exportrequest", "erasurerecord", "correctionrequest"):
        assert client.get(f"/admin/privacy/{path}/").status_code == 200
    export = ExportRequest.objects.get()
    assert client.get(f"/admin/privacy/exportrequest/{export.pk}/change/").status_code == 200

"""Property-level authorisation: fields reserved for staff or the system (state, verified flags,
agency, amounts, reporter, tracking numbers, channel …) cannot be set by a citizen.

1. Generated: every request body of every write operation in the live OpenAPI schema is checked
   against ``RESERVED``; an operation that accepts such a field must be in ``STAFF_WRITES`` with
   the reason (a staff-only operation whose purpose is to set it).
2. Behavioural: a citizen sends the reserved fields with hostile values to the main create and
   update endpoints; they are ignored (the object gets the system's values).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import TestCase
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

RESERVED = re.compile(
    r"^(state|status|(is_)?\w*verified(_at)?|agency|agency_id|handling_agency|amount|principal|"
    r"penalty|paid_amount|total|reporter|owner|user|tracking_number|order_id|number|code|"
    r"\w+_at|is_staff|is_superuser|is_active|role|memberships|channel|provider|reference|"
    r"signature|breached|deadline|due_date|rating_by|supporters_count|uuid|id)$"
)
# (method, path, field): why a caller of this operation may set the field.
STAFF_WRITES = {
    ("post", "/api/v1/pengaduan/complaints/{uuid}/reroute/", "agency"): "staff-only: the "
    "handling agency or the command centre moves a complaint to another agency",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _properties(schema, node, seen=()):
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return set()
        return _properties(schema, schema["components"]["schemas"][name], (*seen, name))
    found = set(node.get("properties", {}))
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            found |= _properties(schema, sub, seen)
    return found


def test_no_write_operation_accepts_a_reserved_field(schema):
    offending = []
    operations = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("post", "put", "patch"):
                continue
            operations += 1
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for field in sorted(_properties(schema, content.get("schema", {}))):
                    if RESERVED.match(field) and (method, path, field) not in STAFF_WRITES:
                        offending.append(f"{method.upper()} {path}: {field}")
    assert operations > 20, "the schema walk found too few write operations"
    assert not sorted(set(offending)), (
        "write operations accept fields reserved for staff or the system (make them read-only, "
        "or add (method, path, field) with the reason to STAFF_WRITES if the operation is "
        "staff-only and exists to set it):\n" + "\n".join(sorted(set(offending)))
    )


# --- behaviour --------------------------------------------------------------------------------


def api(user):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


HOSTILE_USER = {
    "is_staff": True,
    "is_superuser": True,
    "is_active": True,
    "phone_verified": False,
    "is_nik_verified": True,
    "nik_verified_at": "2020-01-01T00:00:00Z",
    "email": "attacker@example.test",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "memberships": [{"agency": "dkk", "role": "agency_admin"}],
}


@pytest.mark.django_db
def test_me_patch_refuses_reserved_fields(citizen_a):
    """/me/ refuses (400 ``read_only``) rather than ignores: stricter, and nothing is written."""
    fields = ("is_staff", "is_superuser", "uuid", "email", "phone_verified", "full_name")
    before = {f: getattr(citizen_a, f) for f in fields}
    client = api(citizen_a)
    for name, value in HOSTILE_USER.items():
        response = client.patch("/api/v1/me/", {"full_name": "Siti R", name: value}, format="json")
        assert response.status_code in (200, 400), response.content
        if response.status_code == 400:
            assert response.json()["type"] == "validation_error"
        citizen_a.refresh_from_db()
        assert {f: getattr(citizen_a, f) for f in fields if f != "full_name"} == {
            f: v for f, v in before.items() if f != "full_name"
        }, name
        assert not citizen_a.memberships.exists()
        assert client.get("/api/v1/me/").json()["is_nik_verified"] is False


@pytest.mark.django_db
def test_payment_amount_comes_from_the_bill(citizen_a):
    from payments.models import Payment
    from tests.payments.factories import linked_bill

    bill = linked_bill(citizen_a, principal=150_000)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api(citizen_a).post(
            f"/api/v1/pembayaran/bills/{bill.uuid}/payments/",
            {"amount": 1, "principal": 1, "penalty": 0, "state": "paid", "order_id": "X"},
            format="json",
        )
    assert response.status_code in (200, 201), response.content
    payment = Payment.objects.get(bill=bill)
    assert payment.amount >= 150_000 and payment.principal == 150_000
    assert payment.state != "paid" and payment.order_id != "X"


@pytest.mark.django_db
def test_civil_registry_request_state_and_number_are_the_systems(citizen_a):
    from civil_registry.models import CivilRequest
    from tests.civil_registry.conftest import BIRTH
    from tests.factories import AgencyFactory

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    response = api(citizen_a).post(
        "/api/v1/pencatatan-sipil/requests/",
        {
            "request_type": "akta_kelahiran",
            "subject_data": BIRTH,
            "state": "approved",
            "tracking_number": "DUK-0000-000001",
            "agency": "dkk",
            "owner": "00000000-0000-0000-0000-000000000001",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    request = CivilRequest.objects.get(uuid=response.json()["uuid"])
    assert request.state == "draft"
    assert request.tracking_number != "DUK-0000-000001"
    assert request.owner_id == citizen_a.pk


COMPLAINT = {
    "text": "Jalan berlubang besar di depan sekolah",
    "latitude": "-1.265000",
    "longitude": "116.831000",
    "category": "jalan_rusak",
}


@pytest.mark.django_db
def test_complaint_state_agency_reporter_and_number_are_the_systems(citizen_a, citizen_b):
    from complaints.models import Complaint
    from tests.complaints.conftest import seed_all

    seed_all()
    response = api(citizen_a).post(
        "/api/v1/pengaduan/complaints/",
        {
            **COMPLAINT,
            "state": "resolved",
            "status": "resolved",
            "agency": "diskominfo",
            "reporter": str(citizen_b.uuid),
            "tracking_number": "ADU-0000-000001",
            "created_at": (dt.datetime(2020, 1, 1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get(uuid=response.json()["uuid"])
    assert complaint.state not in ("resolved", "closed")
    assert complaint.agency.code == "dpu"  # the category's agency, not the one sent
    assert complaint.reporter_id == citizen_a.pk
    assert complaint.tracking_number != "ADU-0000-000001"
    assert complaint.created_at.year >= 2026


@pytest.mark.django_db
@pytest.mark.parametrize("channel", ["whatsapp", "mpp", "open311"])
def test_a_citizen_cannot_claim_another_intake_channel(citizen_a, channel):
    """``channel`` is the system's fact about the intake path: a citizen filing through the API
    cannot claim to have come by WhatsApp, an MPP counter or an Open311 partner (it was
    writable until the suite found it; the API now records "app")."""
    from complaints.models import Complaint
    from tests.complaints.conftest import seed_all

    seed_all()
    response = api(citizen_a).post(
        "/api/v1/pengaduan/complaints/", {**COMPLAINT, "channel": channel}, format="json"
    )
    if response.status_code == 201:
        complaint = Complaint.objects.get(uuid=response.json()["uuid"])
        assert complaint.channel in ("app", "web"), (
            f"a citizen set channel={channel!r} through the API"
        )
    else:
        assert response.status_code == 400, response.content

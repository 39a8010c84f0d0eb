"""Delete my account: nothing of the person remains in any text column of any table, while the
records the law keeps (payments, issued documents, complaints) stay without the link."""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.db import models
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Delegation, HouseholdMember, User
from civil_registry import services as civil
from civil_registry.demo import demo_pdf
from civil_registry.models import CivilRequest
from complaints.models import Complaint
from health.models import Ticket
from payments.models import Bill, Payment
from privacy.models import ErasureRecord
from services.uploads.models import Document
from tests.civil_registry.conftest import birth_request, upload
from tests.factories import PASSWORD, DelegationFactory, HouseholdFactory, HouseholdMemberFactory
from tests.privacy.conftest import BASE, NIK_A, api, codes
from tests.security.registry import World, make_complaint, make_health_ticket

pytestmark = pytest.mark.django_db

# Text columns that may still hold the person's name after erasure, and why (docs/privacy.md):
# the tax register's taxpayer name on a bill and a tax object comes from SISMIOP, not from the
# account, and the bill is a financial record kept ten years.
RETAINED_NAME_COLUMNS = {
    ("payments", "bill", "payer_name"),
    ("payments", "taxobject", "taxpayer_name"),
}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces(needles: dict[str, str]) -> set[tuple[str, str, str, str]]:
    """Every (app, model, column, needle name) whose text holds one of ``needles`` — over every
    concrete model of every installed app, JSON columns as text."""
    found = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            queryset = model._base_manager.all()
            column = field.name
            if isinstance(field, models.JSONField):
                queryset = queryset.annotate(_as_text=Cast(field.name, TextField()))
                column = "_as_text"
            for name, needle in needles.items():
                if needle and queryset.filter(**{f"{column}__icontains": needle}).exists():
                    found.add((model._meta.app_label, model._meta.model_name, field.name, name))
    return found


@pytest.fixture
def world(citizen, stranger, officer, disdukcapil, django_capture_on_commit_callbacks):
    """The citizen with something in every module."""
    from channels.models import Conversation, Message
    from services.notifications.services import device_register
    from tests.payments.factories import midtrans_payment

    household = HouseholdFactory(recorded_by=citizen)
    HouseholdMemberFactory(
        household=household,
        user=citizen,
        full_name=citizen.full_name,
        relationship=HouseholdMember.Relationship.HEAD,
        birth_date=dt.date(1999, 7, 1),
        nik=NIK_A,
    )
    HouseholdMemberFactory(household=household, full_name="Anak Purbaningrum")
    DelegationFactory(grantor=citizen, grantee=stranger)
    DelegationFactory(grantor=stranger, grantee=citizen)
    draft = birth_request(citizen, data=None)
    with django_capture_on_commit_callbacks(execute=True):
        issued = birth_request(citizen, submit=True)
        civil.request_start_review(actor=officer, request=issued)
        civil.request_approve(actor=officer, request=issued)
        civil.request_issue(actor=officer, request=issued, pdf=demo_pdf())
    loose = upload(citizen, "lepas.png")
    w = World(citizen, stranger, officer)
    complaint = Complaint.objects.get(uuid=make_complaint(w).kwargs["uuid"])
    # Citizens sign their reports: the public views hide the name only while they know whose it
    # is, so erasure must take it out of the text itself.
    Complaint.objects.filter(pk=complaint.pk).update(
        contact_phone=citizen.phone,
        text=f"Saya {citizen.full_name.upper()}, jalan di depan rumah saya berlubang.",
    )
    ticket = Ticket.objects.get(uuid=make_health_ticket(w).kwargs["uuid"])
    # The other citizen, in the same household, booked a ticket for the citizen.
    HouseholdMemberFactory(household=household, user=stranger, full_name=stranger.full_name)
    theirs = Ticket.objects.get(
        uuid=make_health_ticket(World(stranger, citizen, officer)).kwargs["uuid"]
    )
    Ticket.objects.filter(pk=theirs.pk).update(
        patient_member=HouseholdMember.objects.get(user=citizen), patient_name=citizen.full_name
    )
    payment = midtrans_payment(citizen)
    Payment.objects.filter(pk=payment.pk).update(state="paid", paid_at=timezone.now())
    Bill.objects.filter(pk=payment.bill_id).update(payer=citizen, payer_name=citizen.full_name)
    device_register(actor=citizen, platform="fcm", token="t" * 40)
    conversation = Conversation.objects.create(
        phone=citizen.phone,
        wa_id=citizen.phone.lstrip("+"),
        profile_name=citizen.full_name,
        user=citizen,
    )
    Message.objects.create(
        conversation=conversation,
        direction="in",
        text=f"Halo, saya {citizen.full_name}",
        status="processed",
    )
    with django_capture_on_commit_callbacks(execute=True):
        api(citizen).post(f"{BASE}exports/")
    api(citizen).post(
        f"{BASE}corrections/",
        {"field": "full_name", "value": "Sulis P", "reason": "x"},
        format="json",
    )
    return {
        "draft": draft,
        "issued": issued,
        "loose": loose,
        "complaint": complaint,
        "ticket": ticket,
        "theirs": theirs,
        "payment": payment,
        "needles": {
            "email": citizen.email,
            "phone": citizen.phone,
            "phone_digits": citizen.phone.lstrip("+"),
            "name": citizen.full_name,
            "nik": NIK_A,
            "nik_digest": citizen.nik_digest,
            "uuid": str(citizen.uuid),
        },
    }


def _erase(client, django_capture_on_commit_callbacks, password=PASSWORD):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            f"{BASE}erase/",
            {"password": password, "confirm": True},
            content_type="application/json",
        )


def test_nothing_of_the_person_remains(
    client, citizen, stranger, world, django_capture_on_commit_callbacks
):
    needles = world["needles"]
    before = traces(needles)
    assert {
        ("accounts", "user", "email", "email"),
        ("channels", "message", "text", "name"),
    } <= before

    client.force_login(citizen)
    other_device = type(client)()
    other_device.force_login(citizen)
    assert other_device.get("/api/v1/me/").status_code == 200

    response = _erase(client, django_capture_on_commit_callbacks)
    assert response.status_code == 204, response.content

    left = traces(needles)
    unexpected = {t for t in left if not (t[:3] in RETAINED_NAME_COLUMNS and t[3] == "name")}
    assert unexpected == set()
    # The other citizen is untouched.
    assert traces({"email": stranger.email}) == {("accounts", "user", "email", "email")}

    # Signed out here and on the other device; no way back in.
    assert client.get("/api/v1/me/").status_code in (401, 403)
    assert other_device.get("/api/v1/me/").status_code in (401, 403)
    assert authenticate(email=needles["email"], password=PASSWORD) is None
    assert not client.login(email=needles["email"], password=PASSWORD)
    login = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": needles["email"], "password": PASSWORD},
        content_type="application/json",
    )
    assert login.status_code in (400, 401)
    tombstone = User.objects.get(pk=citizen.pk)
    assert not tombstone.is_active
    assert not tombstone.has_usable_password()
    assert ErasureRecord.objects.filter(account_id=citizen.pk).exists()


def test_law_kept_records_stay_without_the_link(
    client, citizen, world, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    assert _erase(client, django_capture_on_commit_callbacks).status_code == 204

    payment = Payment.objects.get(pk=world["payment"].pk)
    assert payment.state == "paid"
    assert payment.payer_id == citizen.pk  # the emptied account: no name, no contact, no NIK
    assert Bill.objects.get(pk=payment.bill_id).payer is None

    issued = CivilRequest.objects.get(pk=world["issued"].pk)
    assert issued.state == "issued"
    assert issued.subject_data == {} and issued.subject_name == ""
    assert not issued.documents.exists()  # supporting scans gone
    assert issued.issued_document.owner is None  # the issued document stays with Disdukcapil
    assert not CivilRequest.objects.filter(pk=world["draft"].pk).exists()
    assert not Document.objects.filter(pk=world["loose"].pk).exists()

    complaint = Complaint.objects.get(pk=world["complaint"].pk)
    assert complaint.reporter is None and complaint.is_anonymous and complaint.contact_phone == ""
    ticket = Ticket.objects.get(pk=world["ticket"].pk)
    assert ticket.owner is None and ticket.patient_name == ""
    assert ticket.state == "cancelled"  # the booked place is freed
    theirs = Ticket.objects.get(pk=world["theirs"].pk)
    assert theirs.owner is not None and theirs.patient_member is None and theirs.patient_name == ""
    # The household is shared with another account: it stays, without the citizen's row.
    assert HouseholdMember.objects.filter(household__members__user__isnull=False).exists()
    assert not HouseholdMember.objects.filter(full_name=world["needles"]["name"]).exists()
    assert not Delegation.objects.exists()


def test_open_request_blocks_erasure(client, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        birth_request(citizen, submit=True)
    client.force_login(citizen)
    response = _erase(client, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert codes(response) == {"open_requests"}
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.email


def test_wrong_password_erases_nothing(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    response = _erase(client, django_capture_on_commit_callbacks, password="salah")
    assert response.status_code == 400
    assert codes(response) == {"password_incorrect"}
    citizen.refresh_from_db()
    assert citizen.is_active and citizen.email
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [{}, {"password": PASSWORD}, {"password": PASSWORD, "confirm": False}, {"confirm": "ya"}, [1]],
)
def test_bad_input_is_400(client, citizen, payload):
    client.force_login(citizen)
    response = client.post(f"{BASE}erase/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    citizen.refresh_from_db()
    assert citizen.is_active


def test_staff_accounts_are_not_erased_here(client, officer, django_capture_on_commit_callbacks):
    client.force_login(officer)
    response = _erase(client, django_capture_on_commit_callbacks)
    assert response.status_code == 409
    assert codes(response) == {"staff_account"}


def test_portal_erasure(client, citizen):
    client.force_login(citizen)
    assert client.get("/profil/hapus-akun/").status_code == 200
    wrong = client.post("/profil/hapus-akun/", {"password": "salah", "confirm": "on"})
    assert wrong.status_code == 400
    done = client.post("/profil/hapus-akun/", {"password": PASSWORD, "confirm": "on"})
    assert done.status_code == 302
    citizen.refresh_from_db()
    assert not citizen.is_active and citizen.email is None


def test_a_household_recorded_alone_goes_with_its_members(citizen, stranger):
    from accounts.models import Household
    from privacy import services

    own = HouseholdFactory(recorded_by=citizen)
    HouseholdMemberFactory(household=own, user=citizen, relationship="kepala_keluarga")
    HouseholdMemberFactory(household=own, full_name="Anak Satu")
    shared = HouseholdFactory(recorded_by=stranger, kk_number="6471052003150012")
    HouseholdMemberFactory(household=shared, user=stranger, relationship="kepala_keluarga")
    HouseholdMemberFactory(household=shared, user=citizen, relationship="istri", sex="P")
    services.account_erase(user=citizen)
    assert not Household.objects.filter(pk=own.pk).exists()
    assert list(shared.members.values_list("user", flat=True)) == [stranger.pk]

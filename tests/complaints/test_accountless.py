"""Complaints without an account (WhatsApp, MPP walk-in, Open311: ``actor=None``), attached files
without an owner, the link to the citizen who later verifies the phone, and a location given as
a kelurahan with a description instead of a point."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from accounts.adapter import AccountAdapter
from accounts.models import PersonalDataAccess
from complaints import exceptions, services
from complaints.models import Complaint
from complaints.workflow import State
from services.activity.models import ActivityItem
from services.models import Kelurahan
from services.notifications.models import Notification
from services.uploads.exceptions import DocumentRejected
from services.uploads.models import Document
from services.uploads.selectors import document_get_for
from services.uploads.services import document_open
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, client_for, jpeg, point
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/pengaduan/complaints/"
PHONE = "+6281255501234"


def _file(name="wa.jpg"):
    upload = jpeg(name)
    return ContentFile(upload.read(), name=name)


def _system(**kwargs):
    values = {"actor": None, "text": "Sampah menumpuk dan bau di TPS", "channel": "whatsapp"}
    values.update(kwargs)
    return services.complaint_create(**values)


@pytest.mark.parametrize("phone", ["", "abc", "12345"])
def test_a_system_channel_needs_a_valid_contact_phone(seeded, phone):
    with pytest.raises(exceptions.ContactPhoneRequired):
        _system(contact_phone=phone, **point(INSIDE))
    assert Complaint.objects.count() == 0
    assert StatusHistory.objects.count() == 0


def test_without_a_verified_account_the_complaint_is_kept_with_the_phone(seeded):
    UserFactory(phone=PHONE, phone_verified=False)  # someone typed it, never verified it
    complaint = _system(contact_phone="0812-5550-1234", photo_files=[_file()], **point(INSIDE))
    assert complaint.reporter is None
    assert complaint.contact_phone == PHONE  # E.164
    assert complaint.state == State.ASSIGNED  # "sampah … bau … menumpuk" is confident enough
    assert ActivityItem.objects.count() == 0
    assert Notification.objects.count() == 0
    document = Document.objects.get()
    assert document.owner is None
    assert document.object_id == complaint.pk
    assert document.agency.code == "dlh"
    # staff of the handling agency walk it through without an owner to notify
    from tests.complaints.conftest import _staff

    officer = _staff("dlh")
    services.complaint_start(actor=officer, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS


def test_the_agency_can_open_an_ownerless_photo_without_an_access_log(seeded, dlh_officer):
    complaint = _system(contact_phone=PHONE, photo_files=[_file()], **point(INSIDE))
    document = document_get_for(user=dlh_officer, uuid=Document.objects.get().uuid)
    assert document is not None and complaint.agency.code == "dlh"
    with document_open(actor=dlh_officer, document=document, channel="admin") as handle:
        assert handle.read(2) == b"\xff\xd8"
    assert PersonalDataAccess.objects.count() == 0  # no person's data behind it


def test_a_verified_phone_makes_its_account_the_reporter(seeded):
    citizen = UserFactory(phone=PHONE, phone_verified=True)
    complaint = _system(contact_phone=PHONE, photo_files=[_file()], **point(INSIDE))
    assert complaint.reporter == citizen
    assert Document.objects.get().owner == citizen
    assert ActivityItem.objects.filter(owner=citizen, tracking_number=complaint.tracking_number)
    assert client_for(citizen).get(f"{URL}{complaint.uuid}/").status_code == 200


def test_verifying_the_phone_later_links_every_reporterless_complaint(
    seeded, django_capture_on_commit_callbacks
):
    first = _system(contact_phone=PHONE, photo_files=[_file()], **point(INSIDE))
    second = _system(contact_phone=PHONE, text="Lampu jalan mati dan gelap", **point(INSIDE))
    other = _system(contact_phone="+6281299990000", **point(INSIDE))
    citizen = UserFactory(phone=PHONE, phone_verified=False)
    assert client_for(citizen).get(f"{URL}{first.uuid}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter().set_phone_verified(citizen, PHONE)  # what allauth's flow calls

    first.refresh_from_db()
    second.refresh_from_db()
    other.refresh_from_db()
    assert first.reporter == citizen and second.reporter == citizen
    assert other.reporter is None
    assert Document.objects.get().owner == citizen
    listed = client_for(citizen).get(URL).json()["results"]
    assert {row["tracking_number"] for row in listed} == {
        first.tracking_number,
        second.tracking_number,
    }
    feed = set(ActivityItem.objects.filter(owner=citizen).values_list("tracking_number", flat=True))
    assert feed == {first.tracking_number, second.tracking_number}


def test_an_unrelated_save_of_a_verified_user_links_nothing(
    seeded, django_capture_on_commit_callbacks
):
    citizen = UserFactory(phone="+6281211112222", phone_verified=False)
    complaint = _system(contact_phone=PHONE, **point(INSIDE))
    citizen.phone = PHONE  # an unverified change of number must not claim the complaint
    with django_capture_on_commit_callbacks(execute=True):
        citizen.save(update_fields=["phone"])
    complaint.refresh_from_db()
    assert complaint.reporter is None


def test_a_kelurahan_with_a_description_is_enough(seeded, citizen):
    kelurahan = Kelurahan.objects.get(name="Prapatan")
    complaint = services.complaint_create(
        actor=citizen,
        text="Saluran got tersumbat dan mampet",
        kelurahan=kelurahan,
        address="Gang Mawar, belakang masjid",
    )
    assert complaint.latitude is None and complaint.longitude is None
    assert complaint.kelurahan == kelurahan
    assert complaint.category.code == "drainase"
    body = client_for().get(f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/")
    assert body.json()["latitude"] is None
    assert body.json()["kelurahan"] == "Prapatan"


@pytest.mark.parametrize(
    "payload",
    [
        {},  # nothing
        {"kelurahan": "64.71.03.1001"},  # a kelurahan without a description
        {"address": "depan pasar"},  # a description without a kelurahan
        {"latitude": "-1.265000", "address": "depan pasar"},  # half a point
    ],
)
def test_without_a_location_the_api_answers_location_required(seeded, citizen, payload):
    response = client_for(citizen).post(URL, {"text": "Jalan rusak", **payload}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "location_required"
    assert Complaint.objects.count() == 0


def test_the_api_takes_a_kelurahan_code_and_refuses_an_unknown_one(seeded, citizen):
    client = client_for(citizen)
    ok = client.post(
        URL,
        {"text": "Jalan berlubang", "kelurahan": "64.71.03.1001", "address": "Jl. Mulawarman"},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["latitude"] is None
    bad = client.post(URL, {"text": "Jalan", "kelurahan": "99.99", "address": "x"}, format="json")
    assert bad.json()["errors"][0]["code"] == "kelurahan_not_found"


def test_too_many_files_and_a_pdf_are_refused_and_nothing_is_stored(seeded):
    with pytest.raises(exceptions.TooManyPhotos):
        _system(contact_phone=PHONE, photo_files=[_file() for _ in range(6)], **point(INSIDE))
    pdf = ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="x.pdf")
    with pytest.raises((DocumentRejected, exceptions.PhotoNotFound)):  # not a photo, or invalid
        _system(contact_phone=PHONE, photo_files=[pdf], **point(INSIDE))
    assert Complaint.objects.count() == 0
    assert Document.objects.count() == 0


def test_a_supporter_merge_skips_a_missing_reporter(seeded, citizen, command_centre):
    original = services.complaint_create(actor=citizen, text="Sampah bau menumpuk", **point(INSIDE))
    duplicate = _system(contact_phone=PHONE, **point(INSIDE))
    from tests.complaints.conftest import _staff

    services.complaint_merge(actor=_staff("dlh"), complaint=duplicate, into=original)
    assert original.supporters.count() == 0
    assert Decimal(duplicate.latitude) == Decimal(INSIDE["latitude"])

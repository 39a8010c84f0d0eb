import pytest
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from civil_registry.demo import demo_png
from services.uploads.services import document_upload
from tests.factories import AgencyFactory, KelurahanFactory, StaffFactory, UserFactory

NIK_SITI = "6471054107990042"  # test-vectors §5, valid
NIK_BUDI = "6471051508900001"
NIK_OTHER = "3578080102030001"
KK = "6471052003150004"  # test-vectors §6, valid

BIRTH = {
    "child_name": "Aisyah Putri",
    "child_sex": "P",
    "birth_date": "2026-10-02",
    "birth_place": "RSUD Beriman",
    "father_name": "Andi Saputra",
    "mother_name": "Siti Rahmawati",
    "birth_attendant": "midwife",
    "parents_kk_number": KK,
}
BIRTH_DOCS = ("birth_letter", "parents_kk", "marriage_certificate")
BASE = "/api/v1/pencatatan-sipil/requests/"


@pytest.fixture
def agency(db):
    return AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")


@pytest.fixture
def kelurahan(db):
    return KelurahanFactory()


@pytest.fixture
def citizen(agency, kelurahan):
    return UserFactory(full_name="Siti Rahmawati", nik=NIK_SITI, home_kelurahan=kelurahan)


@pytest.fixture
def stranger(agency):
    return UserFactory(full_name="Budi Calo", nik=NIK_BUDI)


@pytest.fixture
def officer(agency):
    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=agency)


@pytest.fixture
def other_staff(db):
    return StaffFactory(
        role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=AgencyFactory(code="dkk")
    )


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def upload(owner, name="scan.png"):
    return document_upload(owner=owner, file=demo_png(name), purpose="test")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def birth_request(owner, *, submit=False, data=None):
    from civil_registry import services

    request = services.request_create(
        actor=owner, request_type="akta_kelahiran", subject_data=data or BIRTH
    )
    for code in BIRTH_DOCS:
        services.request_document_attach(
            actor=owner, request=request, requirement=code, document_uuid=upload(owner).uuid
        )
    if submit:
        services.request_submit(actor=owner, request=request)
    return request

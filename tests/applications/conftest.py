import pytest
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from applications import services
from civil_registry.demo import demo_png
from services.catalog.models import Category, Service
from services.uploads.services import document_upload
from tests.factories import AgencyFactory, KelurahanFactory, StaffFactory, UserFactory

NIK_SITI = "6471054107990042"  # test-vectors §5, valid
NIK_BUDI = "6471051508900001"
NOP = "64.71.050.002.003-0045.0"
BASE = "/api/v1/permohonan/"

# One field of every type, with conditions (yes/no, choice and multiple choice sources).
ALL_FIELDS = [
    {"key": "name", "field_type": "text", "label_id": "Nama", "label_en": "Name",
     "min_length": 2, "max_length": 20, "pattern": "^[A-Za-z ]+$"},
    {"key": "story", "field_type": "long_text", "label_id": "Cerita", "label_en": "Story",
     "is_required": False, "max_length": 50},
    {"key": "count", "field_type": "number", "label_id": "Jumlah", "label_en": "Count",
     "is_integer": True, "min_value": "1", "max_value": "10"},
    {"key": "size", "field_type": "number", "label_id": "Ukuran", "label_en": "Size",
     "is_required": False, "min_value": "0.5", "max_value": "2.5"},
    {"key": "day", "field_type": "date", "label_id": "Tanggal", "label_en": "Day"},
    {"key": "kind", "field_type": "choice", "label_id": "Jenis", "label_en": "Kind",
     "choices": "a|Satu|One\nb|Dua|Two\nother|Lain|Other"},
    {"key": "kind_other", "field_type": "text", "label_id": "Sebutkan", "label_en": "Which",
     "show_when_field": "kind", "show_when_value": "other"},
    {"key": "tags", "field_type": "multiple_choice", "label_id": "Label", "label_en": "Tags",
     "choices": "x|X|X\ny|Y|Y\nz|Z|Z", "max_length": 2},
    {"key": "tag_note", "field_type": "text", "label_id": "Catatan Z", "label_en": "Z note",
     "is_required": False, "show_when_field": "tags", "show_when_value": "z"},
    {"key": "agree", "field_type": "yes_no", "label_id": "Setuju", "label_en": "Agree"},
    {"key": "reason", "field_type": "long_text", "label_id": "Alasan", "label_en": "Reason",
     "show_when_field": "agree", "show_when_value": "no"},
    {"key": "nik", "field_type": "nik", "label_id": "NIK", "label_en": "NIK"},
    {"key": "nop", "field_type": "nop", "label_id": "NOP", "label_en": "NOP", "is_required": False},
    {"key": "phone", "field_type": "phone", "label_id": "HP", "label_en": "Phone"},
    {"key": "email", "field_type": "email", "label_id": "Email", "label_en": "Email",
     "is_required": False},
    {"key": "address", "field_type": "address", "label_id": "Alamat", "label_en": "Address"},
    {"key": "spot", "field_type": "location", "label_id": "Lokasi", "label_en": "Location",
     "is_required": False},
    {"key": "permit", "field_type": "file", "label_id": "Izin lama", "label_en": "Old permit",
     "requirement_code": "old_permit", "show_when_field": "agree", "show_when_value": "yes"},
]  # fmt: skip
ALL_REQUIREMENTS = [
    {"code": "ktp", "label_id": "KTP-el", "label_en": "e-KTP"},
    {"code": "old_permit", "label_id": "Izin lama", "label_en": "Old permit", "is_required": False},
]
GOOD = {
    "name": "Siti Rahma",
    "count": 3,
    "day": "2026-11-02",
    "kind": "a",
    "tags": ["x"],
    "agree": False,
    "reason": "Belum perlu",
    "nik": NIK_SITI,
    "phone": "081234567890",
    "address": {"street": "Jl. Mulawarman No. 5 RT 12", "kelurahan": "64.71.05.1002"},
}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def kelurahan(db):
    return KelurahanFactory()


@pytest.fixture
def agency(db):
    return AgencyFactory(code="dpmptsp", name="DPMPTSP", short_name="DPMPTSP")


@pytest.fixture
def other_agency(db):
    return AgencyFactory(code="dkk", name="Dinas Kesehatan", short_name="DKK")


@pytest.fixture
def category(db):
    return Category.objects.create(slug="perizinan", name_id="Perizinan", name_en="Permits")


def make_service(agency, category, code="izin_uji", name="Izin uji"):
    return Service.objects.create(
        code=code,
        slug=code.replace("_", "-"),
        agency=agency,
        category=category,
        name_id=name,
        name_en=f"{name} (en)",
        description_id="-",
        description_en="-",
        module_slug="permohonan",
    )


def make_form(
    agency, category, *, code="izin_uji", fields=None, requirements=None, publish=True, **values
):
    service = make_service(agency, category, code=code)
    form = services.form_create(actor=None, service=service, working_days=3, **values)
    services.form_set_definition(
        actor=None,
        form=form,
        fields=ALL_FIELDS if fields is None else fields,
        requirements=ALL_REQUIREMENTS if requirements is None else requirements,
    )
    if publish:
        services.form_publish(actor=None, form=form)
        form.refresh_from_db()
    return form


@pytest.fixture
def form(agency, category, kelurahan):
    return make_form(agency, category)


@pytest.fixture
def citizen(kelurahan):
    return UserFactory(full_name="Siti Rahmawati", nik=NIK_SITI, home_kelurahan=kelurahan)


@pytest.fixture
def stranger(db):
    return UserFactory(full_name="Budi Calo", nik=NIK_BUDI)


@pytest.fixture
def officer(agency):
    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=agency)


@pytest.fixture
def agency_admin(agency):
    return StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=agency)


@pytest.fixture
def other_staff(other_agency):
    return StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=other_agency)


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def upload(owner, name="scan.png"):
    return document_upload(owner=owner, file=demo_png(name), purpose="test")


def filed(owner, form, *, answers=None, submit=True, documents=("ktp",)):
    application = services.application_create(
        actor=owner, form=form, answers=GOOD if answers is None else answers
    )
    for code in documents:
        services.application_document_attach(
            actor=owner, application=application, requirement=code, document_uuid=upload(owner).uuid
        )
    if submit:
        services.application_submit(actor=owner, application=application)
    return application

"""Fixtures of the complaints tests: the agencies, kelurahan and categories seeded as in
production, the APPROXIMATE city boundary, a citizen, staff of two agencies and the command
centre."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from complaints.seeding import seed_approximate_boundary, seed_categories
from services.data.agencies import AGENCIES
from services.data.regions import KECAMATAN
from services.models import Agency, Kecamatan, Kelurahan
from tests.factories import StaffFactory, UserFactory

# A point in Balikpapan Kota (Klandasan) and one in the sea south of the city.
INSIDE = {"latitude": "-1.265000", "longitude": "116.831000"}
OUTSIDE = {"latitude": "-1.400000", "longitude": "116.900000"}


@pytest.fixture
def seeded(db):
    seed_all()


def seed_all():
    """Agencies, regions, categories and the APPROXIMATE boundary, as ``seed_demo`` loads them."""
    for code, name, short_name, kind, _confirmed in AGENCIES:
        Agency.objects.get_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "kind": kind}
        )
    for code, name, villages in KECAMATAN:
        kecamatan, _ = Kecamatan.objects.get_or_create(code=code, defaults={"name": name})
        for suffix, village, postal in villages:
            Kelurahan.objects.get_or_create(
                code=f"{code}.{suffix}",
                defaults={"kecamatan": kecamatan, "name": village, "postal_code": postal},
            )
    seed_categories()
    seed_approximate_boundary()


@pytest.fixture
def citizen(seeded):
    return UserFactory(full_name="Siti Rahmawati")


@pytest.fixture
def other_citizen(seeded):
    return UserFactory(full_name="Ahmad Fauzi")


def _staff(code, role=AgencyMembership.Role.COUNTER_OFFICER):
    return StaffFactory(role=role, role__agency=Agency.objects.get(code=code))


@pytest.fixture
def dpu_officer(seeded):
    return _staff("dpu")


@pytest.fixture
def dpu_admin(seeded):
    return _staff("dpu", AgencyMembership.Role.AGENCY_ADMIN)


@pytest.fixture
def dlh_officer(seeded):
    return _staff("dlh")


@pytest.fixture
def command_centre(seeded):
    return _staff("diskominfo", AgencyMembership.Role.COMMAND_CENTRE)


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def jpeg(name="foto.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 90, 60)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def point(values):
    return {k: Decimal(v) for k, v in values.items()}

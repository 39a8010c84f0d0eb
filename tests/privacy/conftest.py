import pytest
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from tests.civil_registry.conftest import english, private_root  # noqa: F401  (autouse)
from tests.factories import AgencyFactory, KelurahanFactory, StaffFactory, UserFactory

NIK_A = "6471054107990042"
NIK_B = "6471051508900001"
NIK_NEW = "6471065503020012"
BASE = "/api/v1/me/privacy/"


@pytest.fixture
def disdukcapil(db):
    return AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")


@pytest.fixture
def kelurahan(db):
    return KelurahanFactory()


@pytest.fixture
def citizen(disdukcapil, kelurahan):
    return UserFactory(
        full_name="Sulistyowati Purbaningrum",
        email="sulis.purba@example.test",
        phone="+6281399887766",
        nik=NIK_A,
        home_kelurahan=kelurahan,
    )


@pytest.fixture
def stranger(db):
    return UserFactory(full_name="Budi Calo", email="budi.calo@example.test", nik=NIK_B)


@pytest.fixture
def officer(disdukcapil):
    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=disdukcapil)


@pytest.fixture
def other_staff(db):
    return StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=AgencyFactory(code="dkk")
    )


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def codes(response) -> set:
    body = response.json()
    assert body["type"] in ("client_error", "validation_error")
    return {e["code"] for e in body["errors"]}


def staff_login(client, user):
    """Sign a staff member in to the admin (past the staff MFA step, where it applies)."""
    client.force_login(user)
    try:
        from tests.factories import mark_mfa_passed
    except ImportError:  # pragma: no cover - before staff MFA
        return client
    mark_mfa_passed(client, user)
    return client

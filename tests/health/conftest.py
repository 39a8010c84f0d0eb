import pytest
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.health.factories import SessionFactory


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def dkk():
    return AgencyFactory(code="dkk", name="Dinas Kesehatan", short_name="DKK")


@pytest.fixture
def session(dkk):
    return SessionFactory(service_point__facility__agency=dkk)


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti Rahmawati")


@pytest.fixture
def officer(dkk):
    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=dkk)


@pytest.fixture
def other_officer():
    """Staff of another agency (Disdukcapil)."""
    return StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER,
        role__agency=AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Dukcapil"),
    )


def errors(response):
    return [e["code"] for e in response.json()["errors"]]

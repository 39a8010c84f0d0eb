import pytest
from rest_framework.test import APIClient

from tests.payments.factories import UserFactory, bppdrd


@pytest.fixture(autouse=True)
def _payments_settings(settings, db):
    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.PAYMENTS_MIDTRANS_SERVER_KEY = "SB-Mid-server-TESTKEYNOTREAL"
    bppdrd()


@pytest.fixture
def citizen():
    return UserFactory()


@pytest.fixture
def api(citizen):
    client = APIClient()
    client.force_authenticate(citizen)
    return client

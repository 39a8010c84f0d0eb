"""Query counts do not grow with the number of rows: the list endpoints and the export."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from privacy import services
from privacy.models import CorrectionRequest, ExportRequest
from tests.civil_registry.conftest import birth_request, upload
from tests.privacy.conftest import BASE, api

pytestmark = pytest.mark.django_db


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _corrections(user, n):
    for i in range(n):
        services.correction_create(user=user, field="full_name", value=f"Nama {i}", reason="ejaan")
        CorrectionRequest.objects.filter(user=user).update(state="rejected")


@pytest.mark.parametrize("path", ["exports/", "corrections/"])
def test_list_queries_do_not_grow(citizen, stranger, path):
    client_a, client_b = api(citizen), api(stranger)
    for user, n in ((citizen, 1), (stranger, 6)):
        _corrections(user, n)
        ExportRequest.objects.bulk_create(
            [ExportRequest(user=user, state="expired") for _ in range(n)]
        )
    one = _count(lambda: client_a.get(f"{BASE}{path}"))
    many = _count(lambda: client_b.get(f"{BASE}{path}"))
    assert len(client_b.get(f"{BASE}{path}").json()["results"]) == 6
    assert many == one
    assert many <= 8


def test_export_queries_do_not_grow(citizen, stranger):
    birth_request(citizen)
    upload(citizen)
    for _ in range(4):
        birth_request(stranger)
        upload(stranger)
    one = _count(lambda: services.export_collect(user=citizen))
    many = _count(lambda: services.export_collect(user=stranger))
    assert many == one
    assert many <= 40

"""A backing service that is down for a moment: 503 + Retry-After in the shared error shape (or the
Indonesian HTML page on the portal), nothing half-written, never a 500; a broker that is down
when a task is published: the request succeeds and the durable row is sent later."""

import socket
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection
from django.test import override_settings
from rest_framework.test import APIClient

from complaints.models import Complaint
from services.notifications import services as notification_services
from services.notifications.models import Delivery
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, citizen, client_for, seeded  # noqa: F401

URL = "/api/v1/pengaduan/complaints/"
PAYLOAD = {"text": "Jalan berlubang di depan sekolah", **INSIDE}
pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_down(*, writes_only=False):
    """Every statement (or every write) fails as when PostgreSQL has gone away."""

    def fail(execute, sql, params, many, context):
        if not writes_only or sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def _client(user=None):
    """Like a server, not a test: an exception that escapes is answered, not re-raised."""
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


def _assert_api_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["type"] == "server_error"
    assert body["errors"] == [
        {"code": "service_unavailable", "detail": body["errors"][0]["detail"], "attr": None}
    ]
    assert body["errors"][0]["detail"]


def test_database_down_on_create_is_503_and_writes_nothing(citizen):  # noqa: F811
    with database_down(writes_only=True):
        response = client_for(citizen).post(URL, PAYLOAD, format="json")
    _assert_api_503(response)
    assert Complaint.objects.count() == 0
    assert StatusHistory.objects.count() == 0
    # and once it is back, the same request works
    assert client_for(citizen).post(URL, PAYLOAD, format="json").status_code == 201


def test_database_down_in_a_middleware_is_503_not_500(citizen):  # noqa: F811
    """The idempotency middleware reads its records before the view: handler500's branch."""
    with database_down():
        response = _client(citizen).post(
            URL, PAYLOAD, format="json", HTTP_IDEMPOTENCY_KEY="outage-test-key-0001"
        )
    _assert_api_503(response)
    assert Complaint.objects.count() == 0


def test_database_down_on_a_portal_page_is_the_indonesian_503_page(seeded):  # noqa: F811
    with database_down():
        response = _client().get("/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Layanan sedang tidak tersedia sebentar" in html


def test_outage_retry_after_is_configurable(citizen, settings):  # noqa: F811
    settings.OUTAGE_RETRY_AFTER = 120
    with database_down(writes_only=True):
        response = client_for(citizen).post(URL, PAYLOAD, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "120"


def test_cache_down_never_500(citizen):  # noqa: F811
    port = _closed_port()
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    with override_settings(CACHES=caches):
        responses = [
            _client().get("/api/v1/catalog/services/"),
            _client(citizen).get("/api/v1/catalog/home/"),
            _client(citizen).post(URL, PAYLOAD, format="json"),
            _client().get("/"),
        ]
    for response in responses:
        assert response.status_code in (200, 201, 503), response.status_code
        if response.status_code == 503:
            assert response["Retry-After"]
    api_503 = [r for r in responses[:3] if r.status_code == 503]
    for response in api_503:
        _assert_api_503(response)
    # A complaint is either fully there or not at all.
    if responses[2].status_code == 503:
        assert Complaint.objects.count() == 0


@pytest.fixture
def broker_down():
    """This process publishes to a closed port (the suite otherwise runs tasks eagerly)."""
    from balikpapan_untuk_warga.celery import app

    url = f"redis://127.0.0.1:{_closed_port()}/0"
    keys = ("task_always_eager", "broker_write_url", "broker_read_url")
    saved = {key: app.conf.get(key) for key in keys}
    app.conf.update(task_always_eager=False, broker_write_url=url, broker_read_url=url)
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)  # on_commit runs for real
def test_broker_down_at_publish_succeeds_and_delivers_later(
    citizen,  # noqa: F811
    broker_down,
    settings,
    mailoutbox,
):
    settings.NOTIFICATION_SWEEP_GRACE = 0
    from services.notifications import notify

    notify(
        recipient=citizen,
        event="status_changed",
        key="outage:1",
        context={"title": "KTP", "tracking_number": "DUK-2026-000001", "state_label": "Selesai"},
        topic="transactional",
    )
    response = client_for(citizen).post(URL, PAYLOAD, format="json")
    assert response.status_code == 201  # the citizen's work is done; queuing is ours
    assert Complaint.objects.count() == 1
    waiting = Delivery.objects.filter(status=Delivery.Status.QUEUED)
    assert waiting.count() >= 1

    # The broker is back (eager here); beat's sweeper sends what waited.
    from balikpapan_untuk_warga.celery import app

    app.conf.update(task_always_eager=True)
    notification_services.deliveries_sweep()
    assert not Delivery.objects.filter(status=Delivery.Status.QUEUED).exists()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() >= 1
    assert len(mailoutbox) >= 1

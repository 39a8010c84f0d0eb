"""X-Request-ID: accepted when sane, else generated; echoed; on every log line of the request
(including Django's own "Not Found" after the middleware) and of the tasks it queued; the JSON
and text formats."""

import json
import logging
from types import SimpleNamespace

import pytest

from balikpapan_untuk_warga import request_id as rid
from balikpapan_untuk_warga.logging import (
    JsonFormatter,
    RedactPersonalData,
    RequestIdFilter,
    TextFormatter,
)

pytestmark = pytest.mark.django_db


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records = []
        self.addFilter(RequestIdFilter())
        self.addFilter(RedactPersonalData())

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def collected():
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)


def test_a_response_carries_a_generated_id(client):
    response = client.get("/healthz")
    assert len(response["X-Request-ID"]) == 32
    assert client.get("/healthz")["X-Request-ID"] != response["X-Request-ID"]


@pytest.mark.parametrize("incoming", ["abc12345-lb-7f", "3f2a9c0e-8d1b-4e55-9a7c-0c1d2e3f4a5b"])
def test_a_sane_incoming_id_is_kept(client, incoming):
    assert client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming", ["short", "x" * 65, "has space in it", "nik=6471051508900001\nfake line", ""]
)
def test_an_odd_incoming_id_is_replaced(client, incoming):
    answered = client.get("/healthz", HTTP_X_REQUEST_ID=incoming)["X-Request-ID"]
    assert answered != incoming
    assert len(answered) == 32


def test_every_log_line_of_the_request_names_it(client, collected):
    response = client.get("/api/v1/does-not-exist/", HTTP_X_REQUEST_ID="req-test-000001")
    assert response.status_code == 404
    mine = [r for r in collected.records if r.name == "django.request"]
    assert mine, "Django logs the 404 after the middleware chain returned"
    assert {r.request_id for r in mine} == {"req-test-000001"}
    # and the id is gone once the request finished
    logging.getLogger("x").warning("after")
    assert collected.records[-1].request_id == "-"


def test_a_task_logs_with_the_id_of_the_request_that_queued_it():
    """The publisher puts the id in a message header; the worker sets it around the task."""
    headers = {}
    token = rid._current.set("req-queued-00042")
    try:
        rid._add_request_id_header(headers=headers)
    finally:
        rid._current.reset(token)
    assert headers == {rid.TASK_HEADER: "req-queued-00042"}
    assert rid.get_request_id() is None

    # In the worker, Celery exposes custom headers as attributes of task.request.
    task = SimpleNamespace(request=SimpleNamespace(**headers))
    rid._set_task_request_id(task_id="t1", task=task)
    assert rid.get_request_id() == "req-queued-00042"
    rid._reset_task_request_id(task_id="t1")
    assert rid.get_request_id() is None


def test_a_task_without_a_request_logs_without_an_id():
    rid._set_task_request_id(task_id="t2", task=SimpleNamespace(request=SimpleNamespace()))
    assert rid.get_request_id() is None
    rid._reset_task_request_id(task_id="t2")


def _record(message, *args, exc_info=None, **extra):
    record = logging.LogRecord("buw.test", logging.WARNING, __file__, 1, message, args, exc_info)
    record.__dict__.update(extra)
    RequestIdFilter().filter(record)
    RedactPersonalData().filter(record)
    return record


def test_the_json_format_is_one_redacted_object_per_line():
    token = rid._current.set("req-json-000001")
    try:
        try:
            raise ValueError("bad nik 6471051508900001 from budi@example.test")
        except ValueError:
            import sys

            record = _record(
                "login %s", "+62 812-3456-7890", exc_info=sys.exc_info(), code="ABC123"
            )
    finally:
        rid._current.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["request_id"] == "req-json-000001"
    assert data["level"] == "WARNING"
    assert data["logger"] == "buw.test"
    assert data["message"] == "login [phone]"
    assert "6471051508900001" not in line and "budi@example.test" not in line
    assert "ABC123" not in line
    assert "ValueError" in data["exc_info"]


def test_the_text_format_names_the_request():
    token = rid._current.set("req-text-000001")
    try:
        record = _record("mail to %s", "siti@example.test")
    finally:
        rid._current.reset(token)
    line = TextFormatter().format(record)
    assert "[req-text-000001]" in line
    assert line.endswith("mail to [email]")


def test_log_format_setting_picks_the_formatter(settings):
    assert settings.LOGGING["handlers"]["console"]["formatter"] in ("json", "text")
    assert set(settings.LOGGING["formatters"]) == {"json", "text"}

"""The national population system: the fake, the HTTP adapter against recorded request/response
pairs (``fixtures/national_http.json``, served by ``responses``), the tasks and their retries,
and the flow: NIK check on submission, push on approval, periodic status pull. No NIK is logged.
"""

import json
import logging
from pathlib import Path

import pytest
import requests
import responses
from responses import matchers

from civil_registry import services, tasks
from civil_registry.apps import check_config
from civil_registry.models import CivilRequest
from civil_registry.national import (
    FakeNationalSystem,
    HttpNationalSystem,
    NationalStatus,
    NationalSystemError,
    NationalSystemUnavailable,
    NikCheck,
    PushedRequest,
    national_system,
)
from tests.civil_registry.conftest import NIK_SITI, api, birth_request

pytestmark = pytest.mark.django_db

BASE_URL = "https://siak.example.test/api"
TOKEN = "test-token-123"
HTTP = "civil_registry.national.HttpNationalSystem"
RECORDED = json.loads((Path(__file__).parent / "fixtures" / "national_http.json").read_text())
PUSHED = PushedRequest(
    tracking_number="DUK-2026-000001", request_type="akta_kelahiran", subject_name="Aisyah Putri"
)


@pytest.fixture
def http(settings):
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = HTTP
    settings.CIVIL_REGISTRY_NATIONAL_URL = BASE_URL
    settings.CIVIL_REGISTRY_NATIONAL_TOKEN = TOKEN
    settings.CIVIL_REGISTRY_NATIONAL_TIMEOUT = 4
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def replay(mock, name):
    """Serve the recorded answer of ``name``, matching the recorded request exactly."""
    recorded = RECORDED[name]
    request, response = recorded["request"], recorded["response"]
    match = [matchers.header_matcher({"Authorization": f"Bearer {TOKEN}"})]
    if "json" in request:
        match.append(matchers.json_params_matcher(request["json"]))
    if "headers" in request:
        match.append(matchers.header_matcher(request["headers"]))
    mock.add(
        request["method"],
        f"{BASE_URL}{request['path']}",
        json=response["json"],
        status=response["status"],
        match=match,
    )


# --- the adapters -----------------------------------------------------------------------------


def test_the_fake_is_deterministic():
    fake = FakeNationalSystem()
    assert fake.push_request(request=PUSHED) == fake.push_request(request=PUSHED)
    assert fake.push_request(request=PUSHED).startswith("SIAK-")
    assert fake.check_nik(nik=NIK_SITI, full_name="Siti") == NikCheck.MATCH
    assert fake.check_nik(nik=NIK_SITI, full_name=" ") == NikCheck.NAME_MISMATCH
    assert fake.check_nik(nik="6471054107999999", full_name="Siti") == NikCheck.NOT_FOUND
    assert fake.pull_status(reference="SIAK-X") == NationalStatus.RECEIVED


def test_the_adapter_is_chosen_by_setting(settings, agency):
    assert isinstance(national_system(), FakeNationalSystem)
    assert check_config() == []
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = HTTP
    assert isinstance(national_system(), HttpNationalSystem)
    assert check_config() == [
        "CIVIL_REGISTRY_NATIONAL_URL is not set.",
        "CIVIL_REGISTRY_NATIONAL_TOKEN is not set.",
    ]
    settings.CIVIL_REGISTRY_NATIONAL_URL = "http://plain.example.test"
    settings.CIVIL_REGISTRY_NATIONAL_TOKEN = TOKEN
    assert check_config() == ["CIVIL_REGISTRY_NATIONAL_URL must use https."]
    settings.CIVIL_REGISTRY_NATIONAL_URL = BASE_URL + "/"
    assert check_config() == []
    assert national_system().base_url == BASE_URL
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = "civil_registry.national.Nope"
    assert check_config()[0].startswith("CIVIL_REGISTRY_NATIONAL_ADAPTER cannot be imported")


@pytest.mark.parametrize(
    "name, nik, full_name, expected",
    [
        ("check_nik_match", NIK_SITI, "Siti Rahmawati", NikCheck.MATCH),
        ("check_nik_mismatch", NIK_SITI, "Budi", NikCheck.NAME_MISMATCH),
        ("check_nik_not_found", "6471054107999999", "Siti Rahmawati", NikCheck.NOT_FOUND),
    ],
)
def test_http_check_nik(http, name, nik, full_name, expected):
    replay(http, name)
    assert HttpNationalSystem().check_nik(nik=nik, full_name=full_name) == expected
    sent = http.calls[0].request
    assert NIK_SITI[:6] not in sent.url  # the NIK travels in the body only
    assert sent.headers["Accept"] == "application/json"


def test_http_push_and_pull(http):
    replay(http, "push_request")
    replay(http, "pull_status_processing")
    adapter = HttpNationalSystem()
    assert adapter.push_request(request=PUSHED) == "SIAK-6471-2026-000123"
    assert adapter.pull_status(reference="SIAK-6471-2026-000123") == NationalStatus.PROCESSING


@pytest.mark.parametrize(
    "name, call, error",
    [
        ("error_unauthorised", "check", NationalSystemError),
        ("error_unavailable", "push", NationalSystemUnavailable),
        ("error_rate_limited", "pull", NationalSystemUnavailable),
        ("error_unknown_status", "pull", NationalSystemError),
    ],
)
def test_http_error_answers(http, name, call, error):
    replay(http, name)
    adapter = HttpNationalSystem()
    calls = {
        "check": lambda: adapter.check_nik(nik=NIK_SITI, full_name="Siti Rahmawati"),
        "push": lambda: adapter.push_request(request=PUSHED),
        "pull": lambda: adapter.pull_status(reference="SIAK-6471-2026-000123"),
    }
    with pytest.raises(error) as raised:
        calls[call]()
    assert NIK_SITI not in str(raised.value) and TOKEN not in str(raised.value)


@pytest.mark.parametrize(
    "body, error",
    [
        (requests.exceptions.ConnectTimeout("slow"), NationalSystemUnavailable),
        (requests.exceptions.ReadTimeout("slow"), NationalSystemUnavailable),
        (requests.exceptions.ConnectionError(f"refused for {NIK_SITI}"), NationalSystemUnavailable),
    ],
)
def test_http_timeouts_and_connection_errors_are_temporary(http, body, error):
    http.add(responses.POST, f"{BASE_URL}/v1/nik/verify", body=body)
    with pytest.raises(error) as raised:
        HttpNationalSystem().check_nik(nik=NIK_SITI, full_name="Siti")
    assert NIK_SITI not in str(raised.value)


def test_http_garbage_answers_are_errors(http):
    http.add(responses.POST, f"{BASE_URL}/v1/nik/verify", body="<html>proxy</html>", status=200)
    http.add(responses.POST, f"{BASE_URL}/v1/requests", json={"reference": ""}, status=201)
    adapter = HttpNationalSystem()
    with pytest.raises(NationalSystemError):
        adapter.check_nik(nik=NIK_SITI, full_name="Siti")
    with pytest.raises(NationalSystemError):
        adapter.push_request(request=PUSHED)


def test_http_sends_the_configured_timeout(settings):
    settings.CIVIL_REGISTRY_NATIONAL_URL = BASE_URL
    settings.CIVIL_REGISTRY_NATIONAL_TOKEN = TOKEN
    settings.CIVIL_REGISTRY_NATIONAL_TIMEOUT = 2.5
    seen = {}

    class Session(requests.Session):
        def request(self, method, url, **kwargs):
            seen.update(kwargs)
            raise requests.exceptions.ReadTimeout()

    with pytest.raises(NationalSystemUnavailable):
        HttpNationalSystem(session=Session()).pull_status(reference="R-1")
    assert seen["timeout"] == 2.5


def test_an_unconfigured_http_adapter_is_temporarily_unavailable(settings):
    settings.CIVIL_REGISTRY_NATIONAL_URL = ""
    with pytest.raises(NationalSystemUnavailable):
        HttpNationalSystem().check_nik(nik=NIK_SITI, full_name="Siti")


# --- the flow ---------------------------------------------------------------------------------


def test_submission_checks_the_nik_in_a_task_and_never_blocks(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = HTTP  # not configured: every call fails
    obj = birth_request(citizen)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_submit(actor=citizen, request=obj)
    obj.refresh_from_db()
    assert obj.state == "submitted"  # the citizen's request is done before any outside call
    assert len(callbacks) >= 1
    with pytest.raises(NationalSystemUnavailable):  # called directly, the retry re-raises
        tasks.request_check_nik.run(obj.pk)
    obj.refresh_from_db()
    assert (obj.nik_check, obj.nik_checked_at) == ("", None)
    for task in (tasks.request_check_nik, tasks.request_push_to_national):
        assert task.autoretry_for == (NationalSystemUnavailable, ConnectionError, TimeoutError)
        assert task.max_retries == 8 and task.retry_backoff == 30
    assert tasks.request_check_nik.run(10**9) == ""


def test_the_nik_check_is_recorded_for_staff(
    http, citizen, caplog, django_capture_on_commit_callbacks
):
    replay(http, "check_nik_match")
    obj = birth_request(citizen)
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_submit(actor=citizen, request=obj)
    obj.refresh_from_db()
    assert obj.nik_check == NikCheck.MATCH and obj.nik_checked_at is not None
    assert obj.national_reference == ""  # not pushed before approval
    assert NIK_SITI not in caplog.text and obj.tracking_number in caplog.text


def test_the_nik_of_a_deceased_person_is_the_one_checked(citizen, monkeypatch):
    asked = []

    def check(self, *, nik, full_name):
        asked.append((nik, full_name))
        return NikCheck.NOT_FOUND

    monkeypatch.setattr(FakeNationalSystem, "check_nik", check)
    obj = services.request_create(
        actor=citizen,
        request_type="akta_kematian",
        subject_data={
            "deceased_nik": "6471051508900001",
            "deceased_name": "Budi Santoso",
            "date_of_death": "2026-01-05",
            "place_of_death": "RSUD",
            "cause_category": "illness",
        },
    )
    assert tasks.request_check_nik.run(obj.pk) == "not_found"
    assert asked == [("6471051508900001", "Budi Santoso")]
    obj.refresh_from_db()
    assert obj.nik_check == "not_found"


def test_approval_pushes_and_the_periodic_task_pulls(
    http, citizen, officer, django_capture_on_commit_callbacks
):
    replay(http, "check_nik_match")
    obj = birth_request(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_submit(actor=citizen, request=obj)
    services.request_start_review(actor=officer, request=obj)
    # the recorded push is for DUK-2026-000001
    assert obj.tracking_number == "DUK-2026-000001"
    CivilRequest.objects.filter(pk=obj.pk).update(subject_name="Aisyah Putri")
    replay(http, "push_request")
    replay(http, "pull_status_processing")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_approve(actor=officer, request=obj)
    obj.refresh_from_db()
    assert (obj.national_reference, obj.national_status) == ("SIAK-6471-2026-000123", "processing")

    replay(http, "pull_status_done")
    assert tasks.requests_pull_national_statuses.run() == 1
    obj.refresh_from_db()
    assert obj.national_status == "done"
    assert tasks.requests_pull_national_statuses.run() == 0  # final: not asked again


def test_the_periodic_pull_stops_on_an_outage_and_skips_closed_requests(
    citizen, officer, settings, monkeypatch, django_assert_max_num_queries
):
    rows = []
    for _index in range(3):
        obj = birth_request(citizen, submit=True)
        services.request_start_review(actor=officer, request=obj)
        services.request_approve(actor=officer, request=obj)
        rows.append(obj)
    for obj in rows:
        services.request_national_record(
            request_id=obj.pk, reference=f"R-{obj.pk}", status="received"
        )
    calls = []

    def pull(self, *, reference):
        calls.append(reference)
        if len(calls) == 2:
            raise NationalSystemUnavailable("down")
        return NationalStatus.PROCESSING

    monkeypatch.setattr(FakeNationalSystem, "pull_status", pull)
    assert tasks.requests_pull_national_statuses.run() == 1
    assert len(calls) == 2
    # 1 the batch of ids and references; then per pulled row 1 lock + 1 update
    calls.clear()
    monkeypatch.setattr(FakeNationalSystem, "pull_status", lambda self, *, reference: "processing")
    with django_assert_max_num_queries(1 + 3 * 2 + 6):  # + savepoints of the atomic records
        assert tasks.requests_pull_national_statuses.run() == 3
    CivilRequest.objects.filter(pk=rows[0].pk).update(state="completed")
    assert tasks.requests_pull_national_statuses.run() == 2


def test_the_admin_shows_the_nik_check(citizen, officer):
    from django.test import Client

    obj = birth_request(citizen, submit=True)
    services.request_nik_check_record(request_id=obj.pk, result=NikCheck.NAME_MISMATCH)
    client = Client()
    client.force_login(officer)
    page = client.get(f"/admin/civil_registry/civilrequest/{obj.pk}/change/").content.decode()
    assert "NIK found, name does not match" in page or "nama tidak cocok" in page
    listing = client.get("/admin/civil_registry/civilrequest/", {"nik_check__exact": "match"})
    assert obj.tracking_number not in listing.content.decode()


def test_an_outage_never_fails_the_citizens_or_the_officers_action(
    citizen, officer, settings, django_capture_on_commit_callbacks, caplog
):
    """Without a broker tasks run eagerly after the commit: their failure is logged only."""
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = HTTP  # not configured: every call fails
    obj = birth_request(citizen)
    client = api(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/pencatatan-sipil/requests/{obj.uuid}/submit/")
    assert response.status_code == 200
    services.request_start_review(actor=officer, request=obj)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_approve(actor=officer, request=obj)
    obj.refresh_from_db()
    assert obj.state == "approved"
    assert (obj.nik_check, obj.national_reference) == ("", "")
    assert "Could not run request_check_nik" in caplog.text
    assert "Could not run request_push_to_national" in caplog.text
    assert NIK_SITI not in caplog.text

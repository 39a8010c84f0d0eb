"""The national population system adapter: the fake, the setting, the task and its retries."""

import pytest

from civil_registry import tasks
from civil_registry.apps import check_config
from civil_registry.national import (
    FakeNationalSystem,
    HttpNationalSystem,
    NationalSystemUnavailable,
    PushedRequest,
    national_system,
)
from tests.civil_registry.conftest import birth_request

pytestmark = pytest.mark.django_db


def test_the_fake_is_deterministic():
    fake = FakeNationalSystem()
    pushed = PushedRequest(tracking_number="DUK-2026-000001", request_type="kk", subject_name="A")
    assert fake.push_request(request=pushed) == fake.push_request(request=pushed)
    assert fake.push_request(request=pushed).startswith("SIAK-")
    assert fake.check_nik(nik="6471054107990042", full_name="Siti") is True
    assert fake.check_nik(nik="6471054107999999", full_name="Siti") is False
    assert fake.pull_status(reference="SIAK-X") == "received"


def test_the_adapter_is_chosen_by_setting(settings, agency):
    assert isinstance(national_system(), FakeNationalSystem)
    assert check_config() == []
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = "civil_registry.national.HttpNationalSystem"
    assert isinstance(national_system(), HttpNationalSystem)
    assert check_config() == [
        "CIVIL_REGISTRY_NATIONAL_URL is not set.",
        "CIVIL_REGISTRY_NATIONAL_TOKEN is not set.",
    ]
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = "civil_registry.national.Nope"
    assert check_config()[0].startswith("CIVIL_REGISTRY_NATIONAL_ADAPTER cannot be imported")


def test_the_task_is_idempotent_and_an_outage_does_not_block_submission(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = "civil_registry.national.HttpNationalSystem"
    obj = birth_request(citizen)
    from civil_registry import services

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.request_submit(actor=citizen, request=obj)
    obj.refresh_from_db()
    assert obj.state == "submitted"  # the citizen's request is done before any outside call
    assert len(callbacks) >= 1
    with pytest.raises(NationalSystemUnavailable):  # called directly, the retry re-raises
        tasks.request_push_to_national.run(obj.pk)
    obj.refresh_from_db()
    assert (obj.national_reference, obj.national_status) == ("", "")
    assert tasks.request_push_to_national.autoretry_for == (
        NationalSystemUnavailable,
        ConnectionError,
        TimeoutError,
    )
    assert tasks.request_push_to_national.max_retries == 8

    settings.CIVIL_REGISTRY_NATIONAL_ADAPTER = "civil_registry.national.FakeNationalSystem"
    first = tasks.request_push_to_national.run(obj.pk)
    second = tasks.request_push_to_national.run(obj.pk)
    obj.refresh_from_db()
    assert first == second == obj.national_reference
    assert obj.national_status == "received"
    assert tasks.request_push_to_national.run(10**9) == ""

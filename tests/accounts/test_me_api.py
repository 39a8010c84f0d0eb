"""``/api/v1/me/``: the profile, the NIK rules, and who sees a NIK in full."""

import pytest
from django.utils import timezone

from accounts.models import AgencyMembership, PersonalDataAccess, User
from accounts.selectors import nik_for_viewer
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NIK = "6471051508900001"
OTHER_NIK = "6471065503020012"


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti", nik=NIK)


@pytest.fixture
def api(client, citizen):
    client.force_login(citizen)
    return client


def error(response):
    body = response.json()
    assert body["type"] in ("client_error", "validation_error")
    return {(e["code"], e["attr"]) for e in body["errors"]}


def test_anonymous_gets_401_in_the_shared_shape(client):
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "not_authenticated",
                "detail": response.json()["errors"][0]["detail"],
                "attr": None,
            }
        ],
    }
    assert response["WWW-Authenticate"].startswith("X-Session-Token")


def test_owner_sees_the_full_nik(api, citizen):
    body = api.get("/api/v1/me/").json()
    assert body["nik"] == NIK
    assert body["nik_masked"] == "6471********0001"
    assert body["is_nik_verified"] is False
    assert body["memberships"] == []
    assert "id" not in body and body["uuid"] == str(citizen.uuid)


def test_patch_profile(api, citizen):
    from tests.factories import KelurahanFactory

    KelurahanFactory()
    response = api.patch(
        "/api/v1/me/",
        {
            "full_name": "  Siti   Rahma ",
            "preferred_language": "en",
            "home_kelurahan": "64.71.05.1002",
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.preferred_language, citizen.home_kelurahan.code) == (
        "Siti Rahma",
        "en",
        "64.71.05.1002",
    )


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"nik": "6471053208900001"}, ("nik_birth_date", "nik")),
        ({"nik": "64710515089"}, ("nik_format", "nik")),
        ({"nik": "6471051508900000"}, ("nik_serial", "nik")),
        ({"nik_verified_at": "2026-01-01T00:00:00Z"}, ("read_only", "nik_verified_at")),
        ({"phone_verified": True}, ("read_only", "phone_verified")),
        ({"is_staff": True}, ("read_only", "is_staff")),
        ({"preferred_language": "fr"}, ("invalid_choice", "preferred_language")),
        ({"home_kelurahan": "99.99"}, ("does_not_exist", "home_kelurahan")),
        ({"full_name": "\x07"}, ("invalid", "full_name")),
    ],
)
def test_bad_patches_are_400_and_change_nothing(api, citizen, payload, expected):
    before = User.objects.filter(pk=citizen.pk).values().get()
    response = api.patch("/api/v1/me/", payload, content_type="application/json")
    assert response.status_code == 400
    assert expected in error(response)
    assert User.objects.filter(pk=citizen.pk).values().get() == before


def test_malformed_json_is_a_400(api):
    response = api.generic("PATCH", "/api/v1/me/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "parse_error"


def test_form_encoded_body_is_415(api):
    response = api.patch(
        "/api/v1/me/", "full_name=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_a_verified_nik_is_locked_for_the_citizen(api, citizen):
    User.objects.filter(pk=citizen.pk).update(nik_verified_at=timezone.now())
    response = api.patch("/api/v1/me/", {"nik": OTHER_NIK}, content_type="application/json")
    assert response.status_code == 409
    assert error(response) == {("nik_locked", None)}
    citizen.refresh_from_db()
    assert citizen.nik == NIK


def test_a_nik_is_unique_across_accounts(api, citizen):
    UserFactory(nik=OTHER_NIK)
    response = api.patch("/api/v1/me/", {"nik": OTHER_NIK}, content_type="application/json")
    assert response.status_code == 409
    assert error(response) == {("nik_taken", None)}
    citizen.refresh_from_db()
    assert citizen.nik == NIK


def test_the_nik_is_not_stored_in_clear(citizen):
    row = User.objects.filter(pk=citizen.pk).values().get()
    assert NIK not in repr(row)


def test_staff_see_their_memberships(client):
    agency = AgencyFactory(code="disdukcapil", short_name="Disdukcapil")
    staff = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=agency)
    client.force_login(staff)
    body = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["memberships"] == [
        {
            "agency_code": "disdukcapil",
            "agency_name": agency.name,
            "agency_short_name": "Disdukcapil",
            "role": "counter_officer",
            "role_label": "Counter officer",
        }
    ]


def test_who_sees_a_nik(citizen):
    other = UserFactory()
    assert nik_for_viewer(viewer=other, subject=citizen, channel="api") == "6471********0001"
    assert not PersonalDataAccess.objects.exists()

    plain_staff = StaffFactory()
    assert nik_for_viewer(viewer=plain_staff, subject=citizen, channel="api") == "6471********0001"

    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER)
    assert nik_for_viewer(viewer=officer, subject=citizen, channel="admin") == NIK
    access = PersonalDataAccess.objects.get()
    assert (access.accessor, access.subject, access.field, access.channel) == (
        officer,
        citizen,
        "nik",
        "admin",
    )


def test_error_messages_follow_accept_language(client):
    english = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["errors"][0]["detail"]
    indonesian = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="id").json()["errors"][0]["detail"]
    assert english == "Authentication credentials were not provided."
    assert indonesian != english

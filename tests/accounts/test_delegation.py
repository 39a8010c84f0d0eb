"""Delegations and acting for someone: ``may_act_for`` (THE question modules ask), the proxy-action
record both people see, ``/api/v1/me/delegations/``, ``me/on-behalf/``, ``me/can-act-for/`` and the
admin."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import households
from accounts.exceptions import NotAllowed
from accounts.models import Delegation, ProxyAction
from tests.accounts.test_households import (
    CHILD_NIK,
    HEAD_NIK,
    OTHER_KK,
    WIFE_NIK,
    family,
    years_ago,
)
from tests.factories import (
    DelegationFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARENT_NIK = "6471054107590001"  # a woman born 1959-07-01
NOW = dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 WITA
URL = "/api/v1/me/delegations/"


@pytest.fixture
def parent():
    """An elderly mother who lets her grown son act for her."""
    return UserFactory(full_name="Ibu Sari", email="sari@example.test", nik=PARENT_NIK)


@pytest.fixture
def son():
    return UserFactory(
        full_name="Budi Santoso", email="budi@example.test", phone="+6281234567890", nik=HEAD_NIK
    )


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def as_user(api, user):
    api.force_authenticate(user)
    return api


def errors(response):
    return [(e["code"], e["attr"]) for e in response.json()["errors"]]


def grant_body(**overrides):
    body = {
        "grantee_contact": "Budi@Example.test",
        "service_codes": ["kia", "health.clinic"],
        "valid_until": "2026-03-31T10:00:00+08:00",
        "consent": True,
    }
    body.update(overrides)
    return body


def frozen(moment=NOW):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def delegations():
    return list(Delegation.objects.order_by("pk").values())


# --- Granting ----------------------------------------------------------------------------------


def test_an_adult_grants_a_delegation_with_consent(api, parent, son):
    with frozen():
        response = as_user(api, parent).post(URL, grant_body(), format="json")

    assert response.status_code == 201
    delegation = Delegation.objects.get()
    statement = (
        "Saya memberi kuasa kepada pemilik akun Budi@Example.test untuk bertindak atas nama saya "
        "untuk layanan kia, health.clinic, mulai 2026-03-01 10:00 sampai 2026-03-31 10:00 WITA. "
        "Saya dapat mencabut kuasa ini kapan saja, dan setiap tindakan atas nama saya dicatat dan "
        "dapat saya lihat.\n\n"
        "I authorise the holder of the account Budi@Example.test to act on my behalf for the "
        "services kia, health.clinic, from 2026-03-01 10:00 until 2026-03-31 10:00 WITA. I can "
        "revoke this at any time, and every action taken on my behalf is recorded and visible to "
        "me."
    )
    assert response.json() == {
        "uuid": str(delegation.uuid),
        "direction": "given",
        "grantor": {"uuid": str(parent.uuid), "full_name": "Ibu Sari"},
        "grantee": {"uuid": str(son.uuid), "full_name": "Budi Santoso"},
        "service_codes": ["kia", "health.clinic"],
        "valid_from": "2026-03-01T10:00:00+08:00",
        "valid_until": "2026-03-31T10:00:00+08:00",
        "is_active": True,
        "consent_text": statement,
        "consented_at": "2026-03-01T10:00:00+08:00",
        "revoked_at": None,
        "created_at": "2026-03-01T10:00:00+08:00",
    }
    assert (delegation.grantor, delegation.grantee, delegation.consent_text) == (
        parent,
        son,
        statement,
    )
    assert (delegation.valid_from, delegation.consented_at) == (NOW, NOW)


def test_the_grantee_can_be_named_by_phone_and_star_means_every_service(api, parent, son):
    with frozen():
        response = as_user(api, parent).post(
            URL,
            grant_body(grantee_contact="0812-3456-7890", service_codes=["*"]),
            format="json",
        )

    assert response.status_code == 201
    delegation = Delegation.objects.get()
    assert (delegation.grantee, delegation.service_codes) == (son, ["*"])
    assert "semua layanan" in delegation.consent_text and "all services" in delegation.consent_text


def test_a_delegation_may_last_exactly_one_year(api, parent, son):
    with frozen():
        response = as_user(api, parent).post(
            URL, grant_body(valid_until="2027-03-01T10:00:00+08:00"), format="json"
        )

    assert response.status_code == 201


def _inactive(son):
    son.is_active = False
    son.save(update_fields=["is_active"])


def _no_nik(son):
    son.set_nik(None)
    son.save(update_fields=["nik_sealed", "nik_digest"])


def _minor(son):
    son.set_nik(CHILD_NIK)
    son.save(update_fields=["nik_sealed", "nik_digest"])


@pytest.mark.parametrize(
    ("overrides", "prepare", "code", "attr"),
    [
        ({"consent": False}, None, "delegation_consent_required", None),
        ({"consent": None}, None, "null", "consent"),
        ({"valid_until": "2026-03-01T09:59:59+08:00"}, None, "delegation_valid_until", None),
        ({"valid_until": "2027-03-01T10:00:01+08:00"}, None, "delegation_valid_until", None),
        ({"valid_until": "tomorrow"}, None, "invalid", "valid_until"),
        ({"service_codes": []}, None, "empty", "service_codes"),
        ({"service_codes": ["KIA"]}, None, "invalid", "service_codes.0"),
        ({"service_codes": ["kia kartu"]}, None, "invalid", "service_codes.0"),
        ({"service_codes": ["*", "kia"]}, None, "delegation_service_codes", None),
        ({"service_codes": "kia"}, None, "not_a_list", "service_codes"),
        ({"grantee_contact": "nobody@example.test"}, None, "grantee_not_found", None),
        ({"grantee_contact": "0813-0000-0000"}, None, "grantee_not_found", None),
        ({"grantee_contact": "budi"}, None, "grantee_not_found", None),
        ({}, _inactive, "grantee_not_found", None),
        ({"grantee_contact": "sari@example.test"}, None, "delegation_self", None),
        ({}, _no_nik, "grantee_nik_required", None),
        ({}, _minor, "grantee_minor", None),
    ],
)
def test_bad_grants_are_refused_and_nothing_is_written(
    api, parent, son, overrides, prepare, code, attr
):
    if prepare:
        prepare(son)

    with frozen():
        response = as_user(api, parent).post(URL, grant_body(**overrides), format="json")

    assert response.status_code == 400
    assert errors(response) == [(code, attr)]
    assert delegations() == []


@pytest.mark.parametrize(
    ("nik", "code"),
    [(None, "nik_required"), (CHILD_NIK, "grantor_minor")],
)
def test_only_an_adult_with_a_nik_may_grant(api, son, nik, code):
    grantor = UserFactory(nik=nik)

    with frozen():
        response = as_user(api, grantor).post(URL, grant_body(), format="json")

    assert response.status_code == 400
    assert errors(response) == [(code, None)]
    assert delegations() == []


def test_anonymous_cannot_list_or_grant(api, son):
    assert api.get(URL).status_code == 401
    assert api.post(URL, grant_body(), format="json").status_code == 401
    assert delegations() == []


# --- Listing -----------------------------------------------------------------------------------


def test_the_list_shows_given_and_received_newest_first_with_filters(api, parent, son):
    stranger = UserFactory(nik=WIFE_NIK)
    now = timezone.now()
    given = DelegationFactory(grantor=parent, grantee=son)
    received = DelegationFactory(grantor=stranger, grantee=parent, service_codes=["pbb"])
    revoked = DelegationFactory(grantor=parent, grantee=stranger, revoked_at=now, revoked_by=parent)
    expired = DelegationFactory(
        grantor=parent,
        grantee=son,
        valid_from=now - dt.timedelta(days=40),
        valid_until=now - dt.timedelta(days=10),
    )
    DelegationFactory(grantor=son, grantee=stranger)  # not hers
    client = as_user(api, parent)

    def uuids(query=""):
        response = client.get(f"{URL}{query}")
        assert response.status_code == 200
        return [item["uuid"] for item in response.json()["results"]]

    everything = [str(d.uuid) for d in (expired, revoked, received, given)]
    assert uuids() == everything
    assert uuids("?direction=given") == [str(d.uuid) for d in (expired, revoked, given)]
    assert uuids("?direction=received") == [str(received.uuid)]
    assert uuids("?active=true") == [str(d.uuid) for d in (received, given)]
    assert uuids("?active=false") == [str(d.uuid) for d in (expired, revoked)]
    assert uuids("?direction=given&active=true") == [str(given.uuid)]
    assert uuids("?ordering=valid_until")[0] == str(expired.uuid)
    body = client.get(f"{URL}?direction=received").json()
    assert body["count"] == 1
    assert body["results"][0]["direction"] == "received"
    assert body["results"][0]["grantor"] == {
        "uuid": str(stranger.uuid),
        "full_name": stranger.full_name,
    }


@pytest.mark.parametrize(
    ("query", "attr"),
    [("?active=yes", "active"), ("?direction=sideways", "direction")],
)
def test_a_bad_filter_is_a_400(api, parent, query, attr):
    response = as_user(api, parent).get(f"{URL}{query}")

    assert response.status_code == 400
    assert errors(response) == [("invalid_choice", attr)]


def test_another_citizen_never_sees_my_delegations(api, parent, son):
    DelegationFactory(grantor=parent, grantee=son)
    other = UserFactory(nik=WIFE_NIK)

    response = as_user(api, other).get(URL)

    assert response.json()["count"] == 0
    assert list(households.delegation_list_for(user=other)) == []


@pytest.mark.parametrize("size", [1, 15])
def test_list_query_count_does_not_grow(api, parent, size, django_assert_num_queries):
    for _ in range(size):
        DelegationFactory(grantor=parent)
        DelegationFactory(grantee=parent)
    client = as_user(api, parent)

    # 1. COUNT of the delegations she gave or received (pagination)
    # 2. the page of delegations JOIN grantor JOIN grantee
    with django_assert_num_queries(2):
        response = client.get(URL)

    assert response.json()["count"] == 2 * size


# --- Revoking ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["grantor", "grantee"])
def test_either_party_revokes_and_revoking_twice_changes_nothing(api, parent, son, who):
    delegation = DelegationFactory(grantor=parent, grantee=son)
    actor = parent if who == "grantor" else son
    client = as_user(api, actor)
    url = f"{URL}{delegation.uuid}/revoke/"

    with frozen(timezone.now()):
        response = client.post(url)

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    delegation.refresh_from_db()
    assert delegation.revoked_by == actor
    first = delegation.revoked_at
    assert response.json()["revoked_at"] == timezone.localtime(first).isoformat()

    again = client.post(url)

    assert again.status_code == 200
    delegation.refresh_from_db()
    assert (delegation.revoked_at, delegation.revoked_by) == (first, actor)
    assert households.may_act_for(actor=son, subject=parent, service_code="kia") is False


def test_another_citizen_cannot_revoke_my_delegation(api, parent, son):
    delegation = DelegationFactory(grantor=parent, grantee=son)
    before = delegations()
    other = UserFactory(nik=WIFE_NIK)

    response = as_user(api, other).post(f"{URL}{delegation.uuid}/revoke/")
    unknown = api.post(f"{URL}00000000-0000-4000-8000-000000000000/revoke/")

    assert (response.status_code, unknown.status_code) == (404, 404)
    assert errors(response) == errors(unknown) == [("not_found", None)]
    assert delegations() == before
    with pytest.raises(NotAllowed):
        households.delegation_revoke(actor=other, delegation=delegation)
    assert delegations() == before


def test_staff_with_the_permission_may_revoke_any_delegation(parent, son):
    delegation = DelegationFactory(grantor=parent, grantee=son)
    admin = StaffFactory(is_superuser=True)

    households.delegation_revoke(actor=admin, delegation=delegation)

    delegation.refresh_from_db()
    assert delegation.revoked_by == admin


# --- may_act_for: THE question -----------------------------------------------------------------


def test_everyone_may_act_for_themselves(parent):
    household = HouseholdFactory(recorded_by=parent)
    me = HouseholdMemberFactory(household=household, user=parent, relationship="kepala_keluarga")

    for subject in (parent, me):
        assert households.acting_basis(actor=parent, subject=subject, service_code="kia") == (
            households.SELF
        )


def test_a_verified_head_of_a_confirmed_household_acts_for_a_minor_child(son):
    child = family(son).child

    basis = households.acting_basis(actor=son, subject=child, service_code="kia")

    assert basis == households.ActingBasis("guardian")
    assert households.may_act_for(actor=son, subject=child, service_code="health.clinic")


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ({"confirmed": False}, "the household is not confirmed at the counter"),
        ({"verified": False}, "the head's NIK is not verified"),
        ({"child_birth_date": years_ago(17)}, "the child turned 17 today"),
        ({"child_birth_date": years_ago(30)}, "the member is an adult"),
    ],
)
def test_no_guardian_basis_when(son, setup, reason):
    child = family(son, **setup).child

    assert households.acting_basis(actor=son, subject=child, service_code="kia") is None, reason


def test_a_child_who_turns_17_tomorrow_is_still_a_minor(son):
    child = family(son, child_birth_date=years_ago(17, days=-1)).child

    assert households.may_act_for(actor=son, subject=child, service_code="kia") is True


def test_only_the_head_is_a_guardian(son):
    kin = family(son)
    wife_account = UserFactory(nik=WIFE_NIK, nik_verified_at=timezone.now())
    kin.wife.user = wife_account
    kin.wife.save(update_fields=["user"])

    assert (
        households.may_act_for(actor=wife_account, subject=kin.child, service_code="kia") is False
    )
    assert (
        households.may_act_for(actor=UserFactory(), subject=kin.child, service_code="kia") is False
    )


def test_the_heads_row_must_carry_the_verified_nik_of_the_account(son):
    child = family(son).child
    son.set_nik(PARENT_NIK.replace("4107", "1507"))  # another (verified) NIK than on the KK
    son.save(update_fields=["nik_sealed", "nik_digest"])

    assert households.may_act_for(actor=son, subject=child, service_code="kia") is False


def test_a_delegation_allows_its_services_only(parent, son):
    delegation = DelegationFactory(grantor=parent, grantee=son, service_codes=["kia", "pbb"])

    assert households.acting_basis(actor=son, subject=parent, service_code="pbb") == (
        households.ActingBasis("delegation", delegation)
    )
    assert households.may_act_for(actor=son, subject=parent, service_code="health.clinic") is False
    assert households.may_act_for(actor=parent, subject=son, service_code="kia") is False  # one way


def test_star_allows_every_service(parent, son):
    DelegationFactory(grantor=parent, grantee=son, service_codes=["*"])

    assert households.may_act_for(actor=son, subject=parent, service_code="health.clinic") is True
    assert households.may_act_for(actor=son, subject=parent, service_code="pbb") is True


def test_a_delegation_also_covers_the_grantors_household_member_row(parent, son):
    household = HouseholdFactory(recorded_by=parent)
    her_row = HouseholdMemberFactory(
        household=household,
        user=parent,
        relationship="kepala_keluarga",
        birth_date=dt.date(1959, 7, 1),
    )
    delegation = DelegationFactory(grantor=parent, grantee=son, service_codes=["kia"])

    assert households.acting_basis(actor=son, subject=her_row, service_code="kia") == (
        households.ActingBasis("delegation", delegation)
    )


def _revoked(now):
    return {"revoked_at": now - dt.timedelta(minutes=1)}


def _expired(now):
    return {"valid_from": now - dt.timedelta(days=30), "valid_until": now - dt.timedelta(seconds=1)}


def _not_started(now):
    return {"valid_from": now + dt.timedelta(days=1), "valid_until": now + dt.timedelta(days=30)}


@pytest.mark.parametrize("state", [_revoked, _expired, _not_started])
def test_an_inactive_delegation_allows_nothing(parent, son, state):
    DelegationFactory(grantor=parent, grantee=son, **state(timezone.now()))

    assert households.may_act_for(actor=son, subject=parent, service_code="kia") is False


def test_a_delegation_ends_at_valid_until(parent, son):
    start = timezone.now()
    DelegationFactory(
        grantor=parent, grantee=son, valid_from=start, valid_until=start + dt.timedelta(days=7)
    )

    with frozen(start + dt.timedelta(days=7) - dt.timedelta(seconds=1)):
        assert households.may_act_for(actor=son, subject=parent, service_code="kia") is True
    with frozen(start + dt.timedelta(days=7)):
        assert households.may_act_for(actor=son, subject=parent, service_code="kia") is False


def test_a_deactivated_grantor_delegates_nothing(parent, son):
    DelegationFactory(grantor=parent, grantee=son)
    parent.is_active = False
    parent.save(update_fields=["is_active"])

    assert households.may_act_for(actor=son, subject=parent, service_code="kia") is False


def test_a_malformed_service_code_is_a_programming_error(parent, son):
    with pytest.raises(ValueError):
        households.may_act_for(actor=son, subject=parent, service_code="KIA ")


# --- /me/can-act-for/ --------------------------------------------------------------------------


def test_can_act_for_answers_with_the_basis(api, parent, son):
    child = family(son).child
    DelegationFactory(grantor=parent, grantee=son, service_codes=["kia"])
    client = as_user(api, son)

    def ask(query):
        response = client.get(f"/api/v1/me/can-act-for/{query}")
        assert response.status_code == 200
        return response.json()

    assert ask(f"?member={child.uuid}&service=kia") == {"allowed": True, "basis": "guardian"}
    assert ask(f"?user={parent.uuid}&service=kia") == {"allowed": True, "basis": "delegation"}
    assert ask(f"?user={parent.uuid}&service=pbb") == {"allowed": False, "basis": None}
    assert ask(f"?user={son.uuid}&service=pbb") == {"allowed": True, "basis": "self"}


def test_can_act_for_does_not_tell_whether_a_uuid_exists(api, son):
    strangers_child = HouseholdMemberFactory(
        household=HouseholdFactory(kk_number=OTHER_KK), birth_date=years_ago(5)
    )
    client = as_user(api, son)
    refused = {"allowed": False, "basis": None}

    for query in (
        f"?member={strangers_child.uuid}&service=kia",
        "?member=00000000-0000-4000-8000-000000000000&service=kia",
        f"?user={strangers_child.household.recorded_by.uuid}&service=kia",
        "?user=00000000-0000-4000-8000-000000000000&service=kia",
    ):
        response = client.get(f"/api/v1/me/can-act-for/{query}")
        assert (response.status_code, response.json()) == (200, refused)


@pytest.mark.parametrize(
    ("query", "code", "attr"),
    [
        ("?service=kia", "subject_required", "non_field_errors"),
        (
            "?member=00000000-0000-4000-8000-000000000000"
            "&user=00000000-0000-4000-8000-000000000000&service=kia",
            "subject_required",
            "non_field_errors",
        ),
        ("?user=00000000-0000-4000-8000-000000000000&service=KIA", "invalid", "service"),
        ("?user=00000000-0000-4000-8000-000000000000", "required", "service"),
        ("?user=nope&service=kia", "invalid", "user"),
    ],
)
def test_can_act_for_bad_queries(api, son, query, code, attr):
    response = as_user(api, son).get(f"/api/v1/me/can-act-for/{query}")

    assert response.status_code == 400
    assert errors(response) == [(code, attr)]


# --- Recording what was done on someone's behalf -----------------------------------------------


def test_a_guardian_action_is_recorded(son):
    child = family(son).child

    action = households.proxy_action_record(
        actor=son, subject=child, service_code="kia", description="Pengajuan  KIA untuk Citra"
    )

    assert ProxyAction.objects.get() == action
    assert (
        action.actor,
        action.subject_user,
        action.subject_member,
        action.subject_name,
        action.basis,
        action.delegation,
        action.service_code,
        action.description,
    ) == (son, None, child, "Citra Santoso", "guardian", None, "kia", "Pengajuan KIA untuk Citra")


def test_a_delegated_action_is_recorded_with_its_delegation(parent, son):
    delegation = DelegationFactory(grantor=parent, grantee=son, service_codes=["pbb"])

    action = households.proxy_action_record(
        actor=son, subject=parent, service_code="pbb", description="Bayar PBB 2026"
    )

    assert (action.subject_user, action.subject_member, action.basis, action.delegation) == (
        parent,
        None,
        "delegation",
        delegation,
    )
    assert action.subject_name == "Ibu Sari"


def test_acting_for_oneself_records_nothing(parent):
    assert (
        households.proxy_action_record(
            actor=parent, subject=parent, service_code="pbb", description="Bayar PBB"
        )
        is None
    )
    assert ProxyAction.objects.count() == 0


def test_an_action_without_a_basis_is_refused_and_not_recorded(parent, son):
    other = UserFactory(nik=WIFE_NIK)
    DelegationFactory(grantor=parent, grantee=other, service_codes=["pbb"])  # not to the son
    wrong = DelegationFactory(grantor=other, grantee=son, service_codes=["pbb"])
    DelegationFactory(grantor=parent, grantee=son, service_codes=["pbb"])

    with pytest.raises(NotAllowed):
        households.proxy_action_record(
            actor=other, subject=son, service_code="pbb", description="Bayar PBB"
        )
    with pytest.raises(NotAllowed):  # a delegation that is not the one that allows it
        households.proxy_action_record(
            actor=son, subject=parent, service_code="pbb", description="Bayar PBB", delegation=wrong
        )
    with pytest.raises(ValueError):
        households.proxy_action_record(
            actor=son, subject=parent, service_code="pbb", description=" "
        )
    assert ProxyAction.objects.count() == 0


# --- /me/on-behalf/ ----------------------------------------------------------------------------


def test_both_people_see_what_was_done_and_who_did_it(api, parent, son):
    kin = family(son)
    mother_of_child = UserFactory(nik=WIFE_NIK)  # the wife's own account, linked to her row
    kin.wife.user = mother_of_child
    kin.wife.save(update_fields=["user"])
    delegation = DelegationFactory(
        grantor=parent,
        grantee=son,
        service_codes=["pbb"],
        valid_from=NOW - dt.timedelta(days=1),
        valid_until=NOW + dt.timedelta(days=30),
    )
    with frozen(NOW):
        for_child = households.proxy_action_record(
            actor=son, subject=kin.child, service_code="kia", description="Pengajuan KIA"
        )
    with frozen(NOW + dt.timedelta(hours=1)):
        for_parent = households.proxy_action_record(
            actor=son, subject=parent, service_code="pbb", description="Bayar PBB"
        )
    stranger = UserFactory()

    def listed(user, query=""):
        response = as_user(api, user).get(f"/api/v1/me/on-behalf/{query}")
        assert response.status_code == 200
        return response.json()["results"]

    assert [a["uuid"] for a in listed(son)] == [str(for_parent.uuid), str(for_child.uuid)]
    assert listed(parent) == [
        {
            "uuid": str(for_parent.uuid),
            "direction": "for_me",
            "actor": {"uuid": str(son.uuid), "full_name": "Budi Santoso"},
            "subject": {"kind": "account", "uuid": str(parent.uuid), "full_name": "Ibu Sari"},
            "basis": "delegation",
            "delegation": str(delegation.uuid),
            "service_code": "pbb",
            "description": "Bayar PBB",
            "at": "2026-03-01T11:00:00+08:00",
        }
    ]
    assert listed(mother_of_child) == [  # a minor of her household
        {
            "uuid": str(for_child.uuid),
            "direction": "for_me",
            "actor": {"uuid": str(son.uuid), "full_name": "Budi Santoso"},
            "subject": {
                "kind": "household_member",
                "uuid": str(kin.child.uuid),
                "full_name": "Citra Santoso",
            },
            "basis": "guardian",
            "delegation": None,
            "service_code": "kia",
            "description": "Pengajuan KIA",
            "at": "2026-03-01T10:00:00+08:00",
        }
    ]
    assert listed(stranger) == []
    assert [a["direction"] for a in listed(son, "?direction=by_me")] == ["by_me", "by_me"]
    assert listed(son, "?direction=for_me") == []


@pytest.mark.parametrize("size", [1, 12])
def test_on_behalf_query_count_does_not_grow(api, parent, son, size, django_assert_num_queries):
    kin = family(son)
    DelegationFactory(grantor=parent, grantee=son)
    for n in range(size):
        households.proxy_action_record(
            actor=son, subject=kin.child, service_code="kia", description=f"KIA {n}"
        )
        households.proxy_action_record(
            actor=son, subject=parent, service_code="pbb", description=f"PBB {n}"
        )
    client = as_user(api, son)

    # 1. COUNT of the actions by or for him (one query with the minors of his household as a
    #    subquery)
    # 2. the page: actions JOIN actor, account, household member and delegation
    with django_assert_num_queries(2):
        response = client.get("/api/v1/me/on-behalf/")

    assert response.json()["count"] == 2 * size


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    client.user = admin
    return client


def test_admin_revoke_action_calls_the_service(superuser_client, parent, son):
    active = DelegationFactory(grantor=parent, grantee=son)

    response = superuser_client.post(
        "/admin/accounts/delegation/",
        {"action": "revoke", "_selected_action": [active.pk]},
        follow=True,
    )

    active.refresh_from_db()
    assert active.revoked_by == superuser_client.user
    # The admin speaks the default language, Indonesian ("1 delegation(s) revoked.").
    assert "1 kuasa berhasil dicabut." in [str(m) for m in response.context["messages"]]


def test_admin_delegation_filters(superuser_client, parent, son):
    now = timezone.now()
    active = DelegationFactory(grantor=parent, grantee=son)
    revoked = DelegationFactory(grantor=parent, grantee=son, revoked_at=now)
    expired = DelegationFactory(
        grantor=parent,
        grantee=son,
        valid_from=now - dt.timedelta(days=9),
        valid_until=now - dt.timedelta(days=1),
    )

    def listed(query):
        response = superuser_client.get(f"/admin/accounts/delegation/{query}")
        return set(response.context["cl"].result_list)

    assert listed("?active=yes") == {active}
    assert listed("?active=no") == {revoked, expired}
    assert listed("?revoked=yes") == {revoked}
    assert listed("?revoked=no") == {active, expired}


def test_admin_proxy_actions_are_read_only(superuser_client, son):
    child = family(son).child
    action = households.proxy_action_record(
        actor=son, subject=child, service_code="kia", description="Pengajuan KIA"
    )

    assert superuser_client.get("/admin/accounts/proxyaction/add/").status_code == 403
    page = superuser_client.get(f"/admin/accounts/proxyaction/{action.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    delete = superuser_client.post(
        f"/admin/accounts/proxyaction/{action.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    assert ProxyAction.objects.count() == 1


@pytest.mark.parametrize("size", [1, 10])
def test_admin_delegation_changelist_query_count(superuser_client, size, django_assert_num_queries):
    for _ in range(size):
        DelegationFactory()
    superuser_client.get("/admin/accounts/delegation/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. count of the filtered list  9. count of all
    # 10. the page: delegations JOIN grantor JOIN grantee
    # 11–12. date hierarchy: first and last valid_from, then the distinct dates to link
    # 13. the user's agency roles (read once per request for every module's sidebar check)
    # 14. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(14):
        response = superuser_client.get("/admin/accounts/delegation/")

    assert response.context["cl"].result_count == size


@pytest.mark.parametrize("size", [1, 10])
def test_admin_proxy_action_changelist_query_count(
    superuser_client, son, size, django_assert_num_queries
):
    child = family(son).child
    for n in range(size):
        households.proxy_action_record(
            actor=son, subject=child, service_code="kia", description=f"KIA {n}"
        )
    superuser_client.get("/admin/accounts/proxyaction/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. count of the filtered list  9. count of all
    # 10. the page: actions JOIN actor, account, household member
    # 11–12. date hierarchy: first and last ``at``, then the distinct dates to link
    # 13. the distinct service codes for the list filter  14. the user's agency roles
    # 15. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(15):
        response = superuser_client.get("/admin/accounts/proxyaction/")

    assert response.context["cl"].result_count == size

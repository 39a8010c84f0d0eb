"""Households (KK): recording, replacing and confirming a KK; ``/api/v1/me/household/``; the admin."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import households
from accounts.api.household_serializers import HouseholdSerializer
from accounts.exceptions import HouseholdInvalid, KkTaken, NotAllowed
from accounts.models import (
    AgencyMembership,
    Household,
    HouseholdMember,
    ProxyAction,
)
from tests.factories import (
    KK,
    HouseholdFactory,
    HouseholdMemberFactory,
    KelurahanFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OTHER_KK = "6471051201200001"  # recorded 2020-01-12
HEAD_NIK = "6471051508900001"  # a man born 1990-08-15
WIFE_NIK = "6471054107990042"  # a woman born 1999-07-01 (day + 40)
CHILD_NIK = "6471050101150001"  # a boy born 2015-01-01
OTHER_NIK = "6471065503020012"  # a woman born 2002-03-15
URL = "/api/v1/me/household/"


def years_ago(years: int, days: int = 0) -> dt.date:
    today = households.today_wita()
    return today.replace(year=today.year - years) - dt.timedelta(days=days)


@dataclass
class Family:
    household: Household
    wife: HouseholdMember
    child: HouseholdMember


def family(head, *, confirmed=True, verified=True, child_birth_date=None, kk_number=KK):
    """A KK recorded by ``head`` (kepala keluarga, linked), his wife and a minor child."""
    if verified:
        head.nik_verified_at = timezone.now()
        head.save(update_fields=["nik_verified_at"])
    household = HouseholdFactory(recorded_by=head, kk_number=kk_number)
    if confirmed:
        household.confirmed_at = timezone.now()
        household.confirmed_by = StaffFactory()
        household.save(update_fields=["confirmed_at", "confirmed_by"])
    HouseholdMemberFactory(
        household=household,
        user=head,
        full_name=head.full_name,
        relationship=HouseholdMember.Relationship.HEAD,
        birth_date=head.birth_date,
        nik=head.nik,
    )
    wife = HouseholdMemberFactory(
        household=household,
        full_name="Ani Lestari",
        relationship=HouseholdMember.Relationship.WIFE,
        sex=HouseholdMember.Sex.FEMALE,
        birth_date=dt.date(1999, 7, 1),
        nik=WIFE_NIK,
    )
    child = HouseholdMemberFactory(
        household=household,
        full_name="Citra Santoso",
        relationship=HouseholdMember.Relationship.CHILD,
        sex=HouseholdMember.Sex.FEMALE,
        birth_date=child_birth_date or years_ago(10),
    )
    return Family(household, wife, child)


# --- Helpers -----------------------------------------------------------------------------------


@pytest.fixture
def kelurahan():
    return KelurahanFactory()


@pytest.fixture
def citizen():
    return UserFactory(full_name="Budi Santoso", nik=HEAD_NIK)


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


@pytest.fixture
def citizen_api(api, citizen):
    api.force_authenticate(citizen)
    return api


def payload(**overrides):
    body = {
        "kk_number": KK,
        "address": "Jl. Jenderal  Sudirman No. 1",
        "kelurahan": "64.71.05.1002",
        "members": [
            {
                "full_name": "Budi Santoso",
                "relationship": "kepala_keluarga",
                "sex": "L",
                "birth_date": "1990-08-15",
                "is_self": True,
            },
            {
                "full_name": "Ani  Lestari",
                "relationship": "istri",
                "sex": "P",
                "birth_date": "1999-07-01",
                "nik": WIFE_NIK,
            },
            {
                "full_name": "Citra Santoso",
                "relationship": "anak",
                "sex": "P",
                "birth_date": "2015-01-01",
            },
        ],
    }
    body.update(overrides)
    return body


def errors(response):
    return [(e["code"], e["attr"]) for e in response.json()["errors"]]


def snapshot():
    """Every household and member row, to show that a refused request wrote nothing."""
    return (
        list(Household.objects.order_by("pk").values()),
        list(HouseholdMember.objects.order_by("pk").values()),
    )


def put(client, body):
    return client.put(URL, body, format="json")


# --- Recording a KK ----------------------------------------------------------------------------


def test_a_citizen_records_their_kk(citizen_api, citizen, kelurahan):
    response = put(citizen_api, payload())

    assert response.status_code == 201
    household = Household.objects.get()
    budi, ani, citra = household.members.order_by("birth_date")
    assert response.json() == {
        "uuid": str(household.uuid),
        "kk_number": KK,  # in full: it is the recorder's own KK
        "kk_masked": "6471********0004",
        "address": "Jl. Jenderal Sudirman No. 1",
        "kelurahan": "64.71.05.1002",
        "kelurahan_name": "Sepinggan",
        "is_confirmed": False,
        "confirmed_at": None,
        "is_recorded_by_me": True,
        "members": [
            {
                "uuid": str(budi.uuid),
                "full_name": "Budi Santoso",
                "relationship": "kepala_keluarga",
                "relationship_label": "Head of household",
                "sex": "L",
                "birth_date": "1990-08-15",
                "is_minor": False,
                "nik": HEAD_NIK,  # taken from the account: the member marked as me
                "is_self": True,
            },
            {
                "uuid": str(ani.uuid),
                "full_name": "Ani Lestari",
                "relationship": "istri",
                "relationship_label": "Wife",
                "sex": "P",
                "birth_date": "1999-07-01",
                "is_minor": False,
                "nik": WIFE_NIK,
                "is_self": False,
            },
            {
                "uuid": str(citra.uuid),
                "full_name": "Citra Santoso",
                "relationship": "anak",
                "relationship_label": "Child",
                "sex": "P",
                "birth_date": "2015-01-01",
                "is_minor": True,
                "nik": "",
                "is_self": False,
            },
        ],
        "updated_at": response.json()["updated_at"],
    }
    assert household.recorded_by == citizen
    assert household.kk_digest == households.identifiers.digest(KK)
    assert KK not in household.kk_sealed  # sealed at rest
    assert (budi.user, ani.user, citra.user) == (citizen, None, None)
    assert (budi.nik_digest, citra.nik_digest) == (citizen.nik_digest, None)


def test_get_returns_the_recorded_household(citizen_api, kelurahan):
    created = put(citizen_api, payload()).json()

    response = citizen_api.get(URL)

    assert response.status_code == 200
    assert response.json() == created


def test_get_without_a_household_is_404(citizen_api):
    response = citizen_api.get(URL)

    assert response.status_code == 404
    assert errors(response) == [("not_found", None)]


def test_anonymous_gets_401(api):
    assert api.get(URL).status_code == 401
    assert put(api, payload()).status_code == 401
    assert Household.objects.count() == 0


def test_without_a_nik_on_the_account_the_marked_member_is_the_recorder(api, kelurahan):
    newcomer = UserFactory(full_name="Budi Santoso")  # no NIK yet
    api.force_authenticate(newcomer)
    body = payload()
    body["members"][0]["nik"] = HEAD_NIK

    response = put(api, body)

    assert response.status_code == 201
    head = HouseholdMember.objects.get(relationship="kepala_keluarga")
    assert (head.user, head.nik) == (newcomer, HEAD_NIK)
    newcomer.refresh_from_db()
    assert newcomer.nik == ""  # the account itself is not changed


def test_the_member_with_my_nik_is_me_when_none_is_marked(citizen_api, citizen, kelurahan):
    body = payload()
    body["members"][0].pop("is_self")
    body["members"][0]["nik"] = HEAD_NIK

    assert put(citizen_api, body).status_code == 201
    assert HouseholdMember.objects.get(user=citizen).full_name == "Budi Santoso"


def test_the_same_kk_again_changes_nothing_and_keeps_the_confirmation(
    citizen_api, citizen, kelurahan
):
    put(citizen_api, payload())
    household = Household.objects.get()
    households.household_confirm(actor=StaffFactory(role="counter_officer"), household=household)
    before = snapshot()

    response = put(citizen_api, payload())

    assert response.status_code == 200
    assert response.json()["is_confirmed"] is True
    assert snapshot() == before


def test_changing_a_confirmed_household_withdraws_the_confirmation(citizen_api, kelurahan):
    first = put(citizen_api, payload()).json()
    household = Household.objects.get()
    households.household_confirm(actor=StaffFactory(role="counter_officer"), household=household)
    body = payload()
    body["members"].append(
        {
            "full_name": "Dodi Santoso",
            "relationship": "anak",
            "sex": "L",
            "birth_date": "2020-02-02",
        }
    )

    response = put(citizen_api, body)

    assert response.status_code == 200
    household.refresh_from_db()
    assert (household.confirmed_at, household.confirmed_by) == (None, None)
    assert response.json()["is_confirmed"] is False
    # existing members keep their identity (their records elsewhere point at them)
    old_uuids = [m["uuid"] for m in first["members"]]
    assert [m["uuid"] for m in response.json()["members"]][:3] == old_uuids
    assert [m["full_name"] for m in response.json()["members"]] == [
        "Budi Santoso",
        "Ani Lestari",
        "Citra Santoso",
        "Dodi Santoso",
    ]


def test_members_are_matched_by_uuid_and_the_head_can_move(citizen_api, citizen, kelurahan):
    first = put(citizen_api, payload()).json()
    budi, ani, citra = first["members"]
    body = payload()
    # Ani becomes the head (e.g. a new KK after a divorce is not this; a correction is)
    body["members"][0].update(uuid=budi["uuid"], relationship="suami")
    body["members"][1].update(uuid=ani["uuid"], relationship="kepala_keluarga", full_name="Ani L.")

    response = put(citizen_api, body)

    assert response.status_code == 200
    members = {m["uuid"]: m for m in response.json()["members"]}
    assert members.keys() == {budi["uuid"], ani["uuid"], citra["uuid"]}
    assert members[ani["uuid"]]["relationship"] == "kepala_keluarga"
    assert members[ani["uuid"]]["full_name"] == "Ani L."
    assert members[budi["uuid"]]["relationship"] == "suami"
    assert members[budi["uuid"]]["is_self"] is True
    assert HouseholdMember.objects.get(user=citizen).uuid.hex == budi["uuid"].replace("-", "")


def test_a_new_kk_number_replaces_the_old_one(citizen_api, kelurahan):
    put(citizen_api, payload())

    response = put(citizen_api, payload(kk_number=OTHER_KK))

    assert response.status_code == 200
    assert response.json()["kk_number"] == OTHER_KK
    assert Household.objects.get().kk_digest == households.identifiers.digest(OTHER_KK)


def test_a_removed_member_keeps_the_record_of_what_was_done_for_them(citizen_api, citizen):
    kin = family(citizen)
    household, child = kin.household, kin.child
    action = ProxyAction.objects.create(
        actor=citizen,
        subject_member=child,
        subject_name=child.full_name,
        basis=ProxyAction.Basis.GUARDIAN,
        service_code="kia",
        description="Pengajuan KIA",
    )
    body = payload(kelurahan=household.kelurahan.code)
    body["members"] = body["members"][:2]  # Citra has left the KK

    response = put(citizen_api, body)

    assert response.status_code == 200
    assert not HouseholdMember.objects.filter(pk=child.pk).exists()
    action.refresh_from_db()
    assert (action.subject_member, action.subject_name, action.actor) == (
        None,
        "Citra Santoso",
        citizen,
    )


def test_removing_a_member_used_elsewhere_is_refused(citizen_api, citizen, monkeypatch):
    household = family(citizen).household
    before = snapshot()

    def protected(self, *args, **kwargs):
        # stands in for a service module's PROTECT foreign key to the member (e.g. a KIA request)
        raise ProtectedError("used by a KIA application", set())

    monkeypatch.setattr("django.db.models.query.QuerySet.delete", protected)
    body = payload(kelurahan=household.kelurahan.code)
    body["members"] = body["members"][:2]

    response = put(citizen_api, body)

    assert response.status_code == 409
    assert errors(response) == [("household_member_in_use", None)]
    assert snapshot() == before


# --- Refusals: nothing is written --------------------------------------------------------------


def _member(index, **changes):
    def change(body):
        body["members"][index].update(changes)

    return change


def _set(**changes):
    def change(body):
        body.update(changes)

    return change


def _drop_self(body):
    body["members"][0]["is_self"] = False


def _two_selves(body):
    body["members"][1]["is_self"] = True


def _two_heads(body):
    body["members"][1]["relationship"] = "kepala_keluarga"


def _no_head(body):
    body["members"][0]["relationship"] = "suami"


def _too_many(body):
    body["members"] += [
        {"full_name": f"Anak {n}", "relationship": "anak", "sex": "L", "birth_date": "2010-01-01"}
        for n in range(households.MAX_MEMBERS)
    ]


def _future_birth(body):
    body["members"][2]["birth_date"] = (households.today_wita() + dt.timedelta(days=1)).isoformat()


def _unknown_member(body):
    body["members"][2]["uuid"] = "00000000-0000-4000-8000-000000000000"


def _same_member_twice(body):
    body["members"][1]["uuid"] = body["members"][2]["uuid"] = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("change", "status", "code", "attr"),
    [
        (_set(kk_number="647105200315000"), 400, "kk_format", "kk_number"),
        (_set(kk_number="6471053002150004"), 400, "kk_date", "kk_number"),
        (_set(kk_number="6471054003150004"), 400, "kk_date", "kk_number"),
        (_set(kk_number="6471052003150000"), 400, "kk_serial", "kk_number"),
        (_set(kk_number="0071052003150004"), 400, "kk_province", "kk_number"),
        (_set(kelurahan="64.71.99.9999"), 400, "does_not_exist", "kelurahan"),
        (_set(members=[]), 400, "empty", "members.non_field_errors"),
        (_too_many, 400, "max_length", "members.non_field_errors"),
        (_member(1, nik="6471053208900001"), 400, "nik_birth_date", "members.1.nik"),
        (_member(1, relationship="pacar"), 400, "invalid_choice", "members.1.relationship"),
        (_member(1, sex="X"), 400, "invalid_choice", "members.1.sex"),
        (_member(1, full_name="   "), 400, "blank", "members.1.full_name"),
        (_member(1, birth_date="15-08-1990"), 400, "invalid", "members.1.birth_date"),
        (_future_birth, 400, "household_member_birth_date", None),
        (_no_head, 400, "household_head", None),
        (_two_heads, 400, "household_head", None),
        (_drop_self, 400, "household_self", None),
        (_two_selves, 400, "household_self", None),
        (_member(0, nik=OTHER_NIK), 400, "household_self_nik", None),
        (_member(1, nik=HEAD_NIK), 400, "household_member_nik_duplicate", None),
        (_unknown_member, 400, "household_member_unknown", None),
        (_same_member_twice, 400, "household_member_duplicate", None),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    citizen_api, kelurahan, change, status, code, attr
):
    body = payload()
    change(body)

    response = put(citizen_api, body)

    assert response.status_code == status
    assert errors(response) == [(code, attr)]
    assert snapshot() == ([], [])


def test_a_refused_change_leaves_the_recorded_household_as_it_was(citizen_api, kelurahan):
    put(citizen_api, payload())
    household = Household.objects.get()
    households.household_confirm(actor=StaffFactory(role="counter_officer"), household=household)
    before = snapshot()
    body = payload(address="Jl. Baru")
    body["members"][1]["nik"] = HEAD_NIK  # a duplicate, found after the address changed

    response = put(citizen_api, body)

    assert response.status_code == 400
    assert errors(response) == [("household_member_nik_duplicate", None)]
    assert snapshot() == before


def test_a_kk_recorded_by_someone_else_is_taken_and_who_is_not_told(citizen_api, kelurahan):
    someone = UserFactory(full_name="Rahmat Hidayat", email="rahmat@example.test", nik=OTHER_NIK)
    HouseholdFactory(recorded_by=someone, kk_number=KK)
    before = snapshot()

    response = put(citizen_api, payload())

    assert response.status_code == 409
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "kk_taken",
                "detail": "This KK number has already been recorded by another account.",
                "attr": None,
            }
        ],
    }
    assert snapshot() == before


def test_changing_to_a_kk_recorded_by_someone_else_is_refused(citizen_api, kelurahan):
    put(citizen_api, payload())
    HouseholdFactory(recorded_by=UserFactory(), kk_number=OTHER_KK)
    before = snapshot()

    response = put(citizen_api, payload(kk_number=OTHER_KK))

    assert response.status_code == 409
    assert errors(response) == [("kk_taken", None)]
    assert snapshot() == before


def test_the_service_checks_the_rules_for_every_caller(citizen, kelurahan):
    """Admin, portal and WhatsApp call the service without a serializer in front."""
    members = [
        {
            "full_name": "Budi Santoso",
            "relationship": "kepala_keluarga",
            "sex": "L",
            "birth_date": dt.date(1990, 8, 15),
            "is_self": True,
        }
    ]
    with pytest.raises(HouseholdInvalid) as bad_kk:
        households.household_record(
            actor=citizen, kk_number="1234", address="", kelurahan=None, members=members
        )
    with pytest.raises(HouseholdInvalid) as bad_nik:
        households.household_record(
            actor=citizen,
            kk_number=KK,
            address="",
            kelurahan=None,
            members=[*members, {**members[0], "is_self": False, "nik": "6471050000000000"}],
        )
    with pytest.raises(HouseholdInvalid) as bad_choice:
        households.household_record(
            actor=citizen,
            kk_number=KK,
            address="",
            kelurahan=None,
            members=[{**members[0], "sex": "X"}],
        )
    HouseholdFactory(recorded_by=UserFactory(), kk_number=OTHER_KK)
    with pytest.raises(KkTaken):
        households.household_record(
            actor=citizen, kk_number=OTHER_KK, address="", kelurahan=None, members=members
        )
    assert (bad_kk.value.get_codes(), bad_nik.value.get_codes()) == ("kk_format", "nik_birth_date")
    assert bad_choice.value.get_codes() == "household_invalid"
    assert HouseholdMember.objects.count() == 0


# --- Who sees what -----------------------------------------------------------------------------


def test_another_citizen_never_sees_my_household(api, citizen, kelurahan):
    family(citizen)
    other = UserFactory(nik=OTHER_NIK)
    api.force_authenticate(other)

    response = api.get(URL)

    assert response.status_code == 404
    assert households.household_for(user=other) is None
    assert list(households.household_members_for(user=other)) == []


def test_numbers_are_masked_for_anyone_but_the_recorder(citizen, rf):
    family(citizen)
    staff = StaffFactory(role="counter_officer")
    request = rf.get(URL)
    request.user = staff

    data = HouseholdSerializer(
        households.household_for(user=citizen), context={"request": request}
    ).data

    assert data["kk_number"] == "6471********0004"
    assert [m["nik"] for m in data["members"]] == ["6471********0001", "6471********0042", ""]
    assert data["is_recorded_by_me"] is False


def test_selectors_return_the_users_household_and_members(citizen):
    household = family(citizen).household
    HouseholdFactory(recorded_by=UserFactory(), kk_number=OTHER_KK)  # someone else's

    assert households.household_for(user=citizen) == household
    assert households.household_exists_for(user=citizen) is True
    assert [m.full_name for m in households.household_members_for(user=citizen)] == [
        "Budi Santoso",
        "Ani Lestari",
        "Citra Santoso",
    ]


# --- Confirmation at the counter ---------------------------------------------------------------


def test_a_counter_officer_confirms_a_household(citizen):
    household = family(citizen, confirmed=False).household
    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER)

    confirmed = households.household_confirm(actor=officer, household=household)

    household.refresh_from_db()
    assert confirmed.is_confirmed and household.confirmed_by == officer
    assert household.confirmed_at is not None
    first_time = household.confirmed_at
    households.household_confirm(actor=StaffFactory(role="counter_officer"), household=household)
    household.refresh_from_db()
    assert (household.confirmed_at, household.confirmed_by) == (first_time, officer)  # idempotent


@pytest.mark.parametrize(
    "make_actor",
    [
        lambda citizen: citizen,  # the citizen themselves
        lambda citizen: UserFactory(),  # another citizen
        lambda citizen: StaffFactory(role=AgencyMembership.Role.COMMAND_CENTRE),  # staff, no perm
    ],
)
def test_only_counter_staff_may_confirm(citizen, make_actor):
    household = family(citizen, confirmed=False).household
    before = snapshot()

    with pytest.raises(NotAllowed) as exc:
        households.household_confirm(actor=make_actor(citizen), household=household)

    assert (exc.value.status_code, exc.value.get_codes()) == (403, "not_allowed")
    assert snapshot() == before


def test_staff_cannot_confirm_their_own_household():
    officer = StaffFactory(role="counter_officer", full_name="Budi Santoso", nik=HEAD_NIK)
    household = family(officer, confirmed=False).household

    with pytest.raises(NotAllowed):
        households.household_confirm(actor=officer, household=household)

    household.refresh_from_db()
    assert household.confirmed_at is None


# --- Query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("children", [1, 12])
def test_household_get_query_count_does_not_grow_with_members(
    citizen_api, citizen, children, django_assert_num_queries
):
    household = family(citizen).household
    for n in range(children):
        HouseholdMemberFactory(household=household, full_name=f"Anak {n}", nik=None)

    # 1. the household the user is a member of, with its kelurahan (JOIN)
    # 2. its members (prefetch)
    with django_assert_num_queries(2):
        response = citizen_api.get(URL)

    assert len(response.json()["members"]) == 3 + children


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def officer_client(client):
    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER)
    client.force_login(officer)
    client.officer = officer
    return client


def test_admin_finds_a_household_by_its_kk_number(officer_client, citizen):
    household = family(citizen).household
    HouseholdFactory(recorded_by=UserFactory(), kk_number=OTHER_KK)

    response = officer_client.get("/admin/accounts/household/", {"q": "6471 0520 0315 0004"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [household]
    assert KK not in response.content.decode()  # shown masked
    assert "6471********0004" in response.content.decode()


def test_admin_household_page_is_read_only_with_masked_niks(officer_client, citizen):
    household = family(citizen).household

    response = officer_client.get(f"/admin/accounts/household/{household.pk}/change/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "6471********0042" in page and WIFE_NIK not in page
    assert HEAD_NIK not in page and KK not in page
    assert 'name="_save"' not in page


def test_admin_confirm_action_calls_the_service_and_reports(officer_client, citizen):
    household = family(citizen, confirmed=False).household
    officer = officer_client.officer
    officer.set_nik(OTHER_NIK)
    officer.save(update_fields=["nik_sealed", "nik_digest"])
    own = family(
        officer, confirmed=False, kk_number=OTHER_KK
    ).household  # staff cannot confirm their own

    response = officer_client.post(
        "/admin/accounts/household/",
        {"action": "confirm", "_selected_action": [household.pk, own.pk]},
        follow=True,
    )

    household.refresh_from_db()
    own.refresh_from_db()
    assert household.confirmed_by == officer_client.officer
    assert own.confirmed_at is None
    messages = [str(m) for m in response.context["messages"]]
    # The admin speaks the default language, Indonesian: "1 household(s) confirmed." and
    # "Staff cannot confirm their own household; ask a colleague."
    assert "1 KK berhasil dikonfirmasi." in messages
    assert any("tidak dapat mengonfirmasi KK miliknya sendiri" in m for m in messages)


def test_admin_confirm_action_is_not_offered_without_the_permission(client, citizen):
    family(citizen, confirmed=False)
    viewer = StaffFactory()  # may look at households, may not confirm them
    viewer.user_permissions.add(Permission.objects.get(codename="view_household"))
    client.force_login(viewer)

    response = client.get("/admin/accounts/household/")

    assert response.status_code == 200
    assert response.context["action_form"] is None  # no actions at all: confirming needs the perm


@pytest.mark.parametrize("size", [1, 8])
def test_admin_household_changelist_query_count(officer_client, size, django_assert_num_queries):
    for n in range(size):
        HouseholdFactory(recorded_by=UserFactory(), kk_number=f"64710520031{5000 + n + 1:05d}")
    officer_client.get("/admin/accounts/household/")  # warm the session

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8–9. permissions of the user and of their groups (ModelBackend)
    # 10. the officer's agency roles (AgencyRoleBackend)  11. kelurahan for the list filter
    # 12. count of the filtered list  13. count of all  14. the page: households JOIN kelurahan
    # JOIN recorder (list_select_related)  15. the officer's authenticator app (accounts.mfa)
    with django_assert_num_queries(15):
        response = officer_client.get("/admin/accounts/household/")

    assert response.context["cl"].result_count == size

"""The staff admin for accounts: NIK verification in person, the recorded NIK view, scoping."""

import pytest
from django.urls import reverse

from accounts.models import AgencyMembership, PersonalDataAccess, User
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NIK = "6471051508900001"


@pytest.fixture
def officer(client):
    staff = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER)
    client.force_login(staff)
    return staff


def test_counter_officer_verifies_a_nik_with_the_admin_action(client, officer):
    citizen = UserFactory(nik=NIK)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "verify_nik", "_selected_action": [citizen.pk]},
        follow=True,
    )
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.nik_verified_by == officer
    assert citizen.nik_verified_at is not None


def test_verify_action_reports_accounts_without_a_nik_and_changes_nothing(client, officer):
    citizen = UserFactory()
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "verify_nik", "_selected_action": [citizen.pk]},
        follow=True,
    )
    assert any("NIK" in str(m) for m in response.context["messages"])
    citizen.refresh_from_db()
    assert citizen.nik_verified_at is None


def test_staff_without_the_role_cannot_verify(client):
    plain = StaffFactory()
    client.force_login(plain)
    citizen = UserFactory(nik=NIK)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "verify_nik", "_selected_action": [citizen.pk]},
    )
    assert response.status_code == 403
    citizen.refresh_from_db()
    assert citizen.nik_verified_at is None


def test_changelist_shows_only_masked_niks(client, officer):
    UserFactory(nik=NIK, full_name="Siti Rahmawati")
    content = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Siti Rahmawati" in content
    assert NIK not in content and "6471********0001" in content


def test_find_by_nik_is_a_post_and_opens_the_citizen(client, officer):
    citizen = UserFactory(nik=NIK)
    url = reverse("admin:accounts_user_find_by_nik")
    assert client.get(url).status_code == 200
    response = client.post(url, {"nik": NIK})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:accounts_user_change", args=[citizen.pk])
    missing = client.post(url, {"nik": "6471065503020012"})
    assert missing.status_code == 200
    assert missing.context["form"].errors["nik"]
    invalid = client.post(url, {"nik": "6471053208900001"})
    assert invalid.context["form"].errors["nik"]


def test_revealing_a_nik_is_recorded(client, officer):
    citizen = UserFactory(nik=NIK)
    response = client.get(reverse("admin:accounts_user_nik", args=[citizen.pk]))
    assert response.status_code == 200
    assert NIK in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.accessor, access.subject, access.channel) == (officer, citizen, "admin")


def test_revealing_needs_the_permission(client):
    client.force_login(StaffFactory())
    citizen = UserFactory(nik=NIK)
    response = client.get(reverse("admin:accounts_user_nik", args=[citizen.pk]))
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_counter_officer_changes_a_verified_nik_and_it_needs_verifying_again(client, officer):
    citizen = UserFactory(nik=NIK, email="siti@example.test")
    User.objects.filter(pk=citizen.pk).update(nik_verified_at="2026-01-01T00:00:00Z")
    response = client.post(
        reverse("admin:accounts_user_change", args=[citizen.pk]),
        {
            "full_name": citizen.full_name,
            "email": "siti@example.test",
            "phone": citizen.phone,
            "preferred_language": "id",
            "home_kelurahan": "",
            "new_nik": "6471065503020012",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    citizen.refresh_from_db()
    assert citizen.nik == "6471065503020012"
    assert citizen.nik_verified_at is None


def test_agency_admin_sees_only_their_agency_memberships(client):
    mine, other = AgencyFactory(), AgencyFactory()
    admin_user = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    colleague = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=mine)
    stranger = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=other)
    client.force_login(admin_user)
    response = client.get(reverse("admin:accounts_agencymembership_changelist"))
    shown = {m.user for m in response.context["cl"].result_list}
    assert colleague in shown and admin_user in shown and stranger not in shown


@pytest.mark.parametrize("rows", [1, 20])
def test_user_changelist_query_count_does_not_grow(
    client, officer, django_assert_num_queries, rows
):
    for _ in range(rows):
        UserFactory(nik=None)
    # 1 session, 2 user, 3–6 allauth's user-session tracking (select, savepoint, insert, release),
    # 7 user permissions, 8 group permissions, 9 agency roles (AgencyRoleBackend),
    # 10 kecamatan for the list filter, 11 filtered count, 12 total count, 13 the page of users,
    # 14–15 the session save (savepoint pair), 16 the officer's authenticator app (accounts.mfa)
    # — the same at 1 and 20 rows.
    with django_assert_num_queries(16):
        response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200

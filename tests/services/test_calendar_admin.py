"""The working calendar in the staff admin: lists in constant queries, scoping to the staff
member's agencies, and saves that go through the service (moving the deadlines they affect)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import AgencyMembership
from services.workflow.admin import StatusHistoryInline
from services.workflow.models import Deadline, Holiday, TrackingCounter, WorkingHours
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

Role = AgencyMembership.Role


@pytest.fixture
def superuser(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def holidays(count, **fields):
    return Holiday.objects.bulk_create(
        Holiday(
            date=dt.date(2026, 1, 5) + dt.timedelta(days=n),
            kind=fields.get("kind", Holiday.Kind.NATIONAL),
            agency=fields.get("agency"),
            name_id=f"Libur {n}",
            name_en=f"Holiday {n}",
        )
        for n in range(count)
    )


def staff_with(agency, *codenames):
    user = StaffFactory(role=Role.COUNTER_OFFICER, role__agency=agency)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="workflow", codename__in=codenames)
    )
    return user


# --- lists in constant queries ------------------------------------------------------------------

# A first request: 1 session, 2 user, 3–8 allauth's user-session tracking (savepoint, select,
# savepoint, insert, release, release), 9 the user's agency roles (read once per request for every
# module's sidebar check), 10 the user's authenticator app (staff need 2FA, accounts.mfa); then
# the changelist's own queries (below).
BASE = 10


@pytest.mark.parametrize("rows", [1, 20])
def test_holiday_changelist_query_count_does_not_grow(
    client, superuser, rows, django_assert_num_queries
):
    holidays(rows, agency=AgencyFactory(), kind=Holiday.Kind.LOCAL)
    # + the years of the year filter, the agencies of the agency filter, the filtered count,
    # the total count, the page of holidays (with their agency).
    with django_assert_num_queries(BASE + 5):
        response = client.get(reverse("admin:workflow_holiday_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_working_hours_changelist_query_count_does_not_grow(
    client, superuser, rows, django_assert_num_queries
):
    agency = AgencyFactory()
    WorkingHours.objects.bulk_create(
        WorkingHours(agency=agency, weekday=n % 7, opens_at=dt.time(n % 12), closes_at=dt.time(13))
        for n in range(rows)
    )
    # + the agencies of the agency filter, the filtered count, the total count, the page (with
    # the agency).
    with django_assert_num_queries(BASE + 4):
        response = client.get(reverse("admin:workflow_workinghours_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_deadline_and_counter_changelists_query_count_does_not_grow(
    client, superuser, rows, django_assert_num_queries
):
    agency = AgencyFactory()
    now = dt.datetime(2026, 4, 6, 8, tzinfo=dt.UTC)
    for n in range(rows):
        user = UserFactory()
        Deadline.objects.create(
            content_type=ContentType.objects.get_for_model(user),
            object_id=user.pk,
            agency=agency,
            started_at=now,
            due_at=now,
        )
        TrackingCounter.objects.create(prefix="DUK", year=2000 + n, last_number=n)
    # + the agencies of the agency filter, the filtered count, the total count, the page (with
    # agency and content type).
    with django_assert_num_queries(BASE + 4):
        assert client.get(reverse("admin:workflow_deadline_changelist")).status_code == 200
    # A second request: 1 session, 2 user, 3–7 allauth's user-session update (savepoint, select,
    # user, update, release), 8 agency roles, 9 the authenticator app; + the filtered count, the
    # total count, the page, the years of the year filter.
    with django_assert_num_queries(9 + 4):
        assert client.get(reverse("admin:workflow_trackingcounter_changelist")).status_code == 200


def test_the_holiday_list_filters_by_year_and_kind_and_searches(client, superuser):
    Holiday.objects.create(date=dt.date(2026, 3, 20), kind="cuti_bersama", name_id="Cuti bersama Idul Fitri", name_en="Collective leave")  # fmt: skip
    Holiday.objects.create(date=dt.date(2027, 3, 10), kind="national", name_id="Idul Fitri", name_en="Eid al-Fitr")  # fmt: skip
    url = reverse("admin:workflow_holiday_changelist")

    def names(query):
        return [h.name_id for h in client.get(url, query).context["cl"].result_list]

    assert names({"year": "2027"}) == ["Idul Fitri"]
    assert names({"kind__exact": "cuti_bersama"}) == ["Cuti bersama Idul Fitri"]
    assert names({"q": "fitri"}) == ["Cuti bersama Idul Fitri", "Idul Fitri"]


# --- scoping ------------------------------------------------------------------------------------


def test_staff_see_the_city_calendar_and_their_own_agencys_closures_only(client):
    mine, other = AgencyFactory(), AgencyFactory()
    national = Holiday.objects.create(date=dt.date(2026, 4, 3), kind="national", name_id="A", name_en="A")  # fmt: skip
    own = Holiday.objects.create(date=dt.date(2026, 4, 7), kind="local", agency=mine, name_id="B", name_en="B")  # fmt: skip
    Holiday.objects.create(date=dt.date(2026, 4, 8), kind="local", agency=other, name_id="C", name_en="C")  # fmt: skip
    WorkingHours.objects.create(agency=other, weekday=0, opens_at=dt.time(8), closes_at=dt.time(9))
    client.force_login(staff_with(mine, "view_holiday", "change_holiday", "view_workinghours"))

    listed = client.get(reverse("admin:workflow_holiday_changelist")).context["cl"].result_list
    assert list(listed) == [national, own]
    hours = client.get(reverse("admin:workflow_workinghours_changelist")).context["cl"]
    assert list(hours.result_list) == []

    # The national holiday is read-only for them: a post is refused and changes nothing.
    url = reverse("admin:workflow_holiday_change", args=[national.pk])
    response = client.post(url, {"date": "2026-04-04", "kind": "national", "name_id": "X", "name_en": "X"})  # fmt: skip
    assert response.status_code == 403
    national.refresh_from_db()
    assert (national.date, national.name_id) == (dt.date(2026, 4, 3), "A")


def test_saving_a_closure_in_the_admin_moves_the_deadlines_it_affects(
    client, django_capture_on_commit_callbacks
):
    agency = AgencyFactory()
    user = staff_with(agency, "view_holiday", "add_holiday")
    client.force_login(user)
    start = dt.datetime(2026, 4, 6, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    from services.workflow import deadline_start

    deadline = deadline_start(obj=UserFactory(), agency=agency, days=1, now=start)
    assert deadline.due_at == start + dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:workflow_holiday_add"),
            {
                "date": "2026-04-07",
                "kind": "local",
                "agency": agency.pk,
                "name_id": "Pindah kantor",
                "name_en": "Office move",
                "source": "Surat edaran kepala dinas",
                "is_active": "on",
            },
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    deadline.refresh_from_db()
    assert deadline.due_at == start + dt.timedelta(days=2)
    assert deadline.changes.last().reason_en.endswith("because of Office move.")


def test_without_the_national_permission_only_local_closures_can_be_added(client):
    agency = AgencyFactory()
    client.force_login(staff_with(agency, "view_holiday", "add_holiday"))
    response = client.post(
        reverse("admin:workflow_holiday_add"),
        {
            "date": "2026-04-07",
            "kind": "national",
            "name_id": "X",
            "name_en": "X",
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with errors
    assert set(response.context["adminform"].form.errors) == {"kind", "agency"}
    assert not Holiday.objects.exists()


def test_the_history_inline_is_read_only():
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    inline = StatusHistoryInline(Holiday, admin.site)
    assert not inline.has_add_permission(request)
    assert not inline.has_change_permission(request)
    assert not inline.has_delete_permission(request)

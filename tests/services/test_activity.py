"""The activity feed: ``activity_record`` (what modules call), the selectors, ``/api/v1/activity/``
and the admin."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from services import registry
from services.activity import (
    activity_done_service_codes_for,
    activity_list_for,
    activity_record,
)
from services.activity.models import ActivityItem
from tests.factories import AgencyFactory, DelegationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/activity/"
T0 = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 WITA


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def record(owner, obj, *, moment=T0, **overrides):
    """activity_record() with a module's usual values, at ``moment``."""
    values = {
        "module": "civil-registry",
        "tracking_number": f"DUK-2026-{obj.pk or 0:06d}",
        "title": "KTP-el",
        "state": "submitted",
        "state_label": "Submitted",
        "is_open": True,
        "service_code": "ktp-el",
    }
    values.update(overrides)
    with at(moment):
        return activity_record(owner=owner, obj=obj, **values)


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti Rahma")


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def as_user(api, user):
    api.force_authenticate(user)
    return api


def objects(count):
    """Saved objects for the items to be about (any model will do: the feed is generic)."""
    return [AgencyFactory() for _ in range(count)]


def errors(response):
    return [(e["code"], e["attr"]) for e in response.json()["errors"]]


# --- activity_record ---------------------------------------------------------------------------


def test_record_creates_the_row_with_every_value(citizen):
    obj = AgencyFactory()
    due = T0 + dt.timedelta(days=3)

    item = record(
        citizen,
        obj,
        title=_("English"),
        state_label=_("Verified"),
        due_at=due,
        app_link="buw://civil-registry/requests/1",
        portal_link="/layanan/kependudukan/1/",
    )

    item = ActivityItem.objects.get(pk=item.pk)
    assert item.owner == citizen
    assert item.acted_by is None
    assert item.content_type == ContentType.objects.get_for_model(obj)
    assert item.object_id == str(obj.pk)
    assert item.module == "civil-registry"
    assert item.tracking_number == f"DUK-2026-{obj.pk:06d}"
    assert item.service_code == "ktp-el"
    # Lazy translations are stored rendered in both languages.
    assert item.title == {"id": "Bahasa Inggris", "en": "English"}
    assert item.state_label == {"id": "Terverifikasi", "en": "Verified"}
    assert item.state == "submitted"
    assert item.is_open is True
    assert item.due_at == due
    assert item.app_link == "buw://civil-registry/requests/1"
    assert item.portal_link == "/layanan/kependudukan/1/"
    assert item.created_at == T0
    assert item.last_changed_at == T0


def test_record_again_updates_the_same_row_and_moves_last_change(citizen):
    obj = AgencyFactory()
    first = record(citizen, obj)
    later = T0 + dt.timedelta(hours=2)

    second = record(citizen, obj, moment=later, state="verified", state_label="Verified")

    assert second.pk == first.pk
    assert ActivityItem.objects.count() == 1
    item = ActivityItem.objects.get()
    assert (item.state, item.state_label["en"]) == ("verified", "Verified")
    assert (item.created_at, item.last_changed_at) == (T0, later)


def test_record_with_nothing_new_writes_nothing(citizen, django_assert_num_queries):
    obj = AgencyFactory()
    record(citizen, obj)

    # 1. SAVEPOINT  2. SELECT … FOR UPDATE the row  3. RELEASE SAVEPOINT — and no UPDATE
    with django_assert_num_queries(3):
        record(citizen, obj, moment=T0 + dt.timedelta(hours=5))

    assert ActivityItem.objects.get().last_changed_at == T0


def test_the_same_object_has_one_row_per_owner(citizen):
    spouse = UserFactory()
    obj = AgencyFactory()

    record(citizen, obj)
    record(spouse, obj)

    assert sorted(ActivityItem.objects.values_list("owner_id", flat=True)) == sorted(
        [citizen.pk, spouse.pk]
    )


def test_the_database_refuses_a_second_row_for_the_same_object_and_owner(citizen):
    from django.db import IntegrityError, transaction

    item = record(citizen, AgencyFactory())
    duplicate = ActivityItem(
        owner=citizen,
        content_type=item.content_type,
        object_id=item.object_id,
        module="x",
        tracking_number="X",
        title={},
        state="s",
        state_label={},
        is_open=True,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_acted_by_is_kept_when_a_later_update_names_nobody(citizen):
    son = UserFactory()
    obj = AgencyFactory()
    record(citizen, obj, acted_by=son)

    record(citizen, obj, moment=T0 + dt.timedelta(hours=1), state="verified")

    assert ActivityItem.objects.get().acted_by == son


def test_acting_for_oneself_is_not_acting_on_behalf(citizen):
    item = record(citizen, AgencyFactory(), acted_by=citizen)

    assert item.acted_by is None


def test_a_bad_value_is_refused_and_nothing_is_written(citizen):
    with pytest.raises(ValidationError) as excinfo:
        record(citizen, AgencyFactory(), tracking_number="")

    assert "tracking_number" in excinfo.value.message_dict
    assert ActivityItem.objects.count() == 0


def test_an_unsaved_object_is_a_programming_error(citizen):
    from services.models import Agency

    with pytest.raises(ValueError, match="saved object"):
        record(citizen, Agency(code="x"), tracking_number="DUK-1")


# --- Selectors ---------------------------------------------------------------------------------


def test_list_for_holds_own_items_and_those_acted_on_for_others(citizen):
    mother, stranger = UserFactory(), UserFactory()
    mine, for_mother, strangers = objects(3)
    record(citizen, mine)
    record(mother, for_mother, acted_by=citizen)
    record(stranger, strangers)

    assert {item.object_id for item in activity_list_for(user=citizen)} == {
        str(mine.pk),
        str(for_mother.pk),
    }
    assert {item.object_id for item in activity_list_for(user=mother)} == {str(for_mother.pk)}


def test_done_service_codes_are_the_owners_successfully_closed_items(citizen):
    mother = UserFactory()
    done, open_, rejected, acted, blank, other = objects(6)
    record(citizen, done, service_code="akta-lahir", is_open=False, state="completed")
    record(citizen, open_, service_code="kia", is_open=True)
    record(citizen, rejected, service_code="pindah", is_open=False, state="rejected")
    record(mother, acted, service_code="pbb", is_open=False, state="paid", acted_by=citizen)
    record(citizen, blank, service_code="", is_open=False, state="completed")
    record(UserFactory(), other, service_code="kk", is_open=False, state="completed")

    assert activity_done_service_codes_for(user=citizen) == {"akta-lahir"}
    assert activity_done_service_codes_for(user=mother) == {"pbb"}


# --- GET /api/v1/activity/ ---------------------------------------------------------------------


def test_anonymous_is_refused(api):
    response = api.get(URL)

    assert response.status_code == 401
    assert errors(response) == [("not_authenticated", None)]


def test_feed_item_shape_in_the_requests_language(api, citizen):
    obj = AgencyFactory()
    due = T0 + dt.timedelta(days=3)
    item = record(
        citizen,
        obj,
        title=_("English"),
        state_label=_("Verified"),
        due_at=due,
        app_link="buw://x/1",
        portal_link="/x/1/",
    )
    client = as_user(api, citizen)

    body = client.get(URL).json()

    assert body["previous"] is None and body["next"] is None
    assert body["results"] == [
        {
            "uuid": str(item.uuid),
            "module": "civil-registry",
            "service_code": "ktp-el",
            "tracking_number": f"DUK-2026-{obj.pk or 0:06d}",
            "title": "English",
            "state": "submitted",
            "state_label": "Verified",
            "is_open": True,
            "due_at": "2026-03-05T09:00:00+08:00",
            "app_link": "buw://x/1",
            "portal_link": "/x/1/",
            "on_behalf": None,
            "created_at": "2026-03-02T09:00:00+08:00",
            "last_changed_at": "2026-03-02T09:00:00+08:00",
        }
    ]
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    indonesian = client.get(URL).json()["results"][0]
    assert (indonesian["title"], indonesian["state_label"]) == ("Bahasa Inggris", "Terverifikasi")


def test_an_item_done_on_behalf_appears_for_both_with_the_other_persons_name(api, citizen):
    son = UserFactory(full_name="Budi Santoso")
    DelegationFactory(grantor=citizen, grantee=son)
    item = record(citizen, AgencyFactory(), acted_by=son)

    mine = as_user(api, citizen).get(URL).json()["results"]
    his = as_user(api, son).get(URL).json()["results"]

    assert [(r["uuid"], r["on_behalf"]) for r in mine] == [
        (str(item.uuid), {"direction": "for_me", "name": "Budi Santoso"})
    ]
    assert [(r["uuid"], r["on_behalf"]) for r in his] == [
        (str(item.uuid), {"direction": "by_me", "name": "Siti Rahma"})
    ]


def test_someone_elses_items_never_appear(api, citizen):
    record(UserFactory(), AgencyFactory())

    assert as_user(api, citizen).get(URL).json()["results"] == []


def test_newest_change_first_and_cursor_paging_visits_every_item_once(api, citizen):
    objs = objects(5)
    for n, obj in enumerate(objs):
        record(citizen, obj, moment=T0 + dt.timedelta(minutes=n))
    # The oldest one changes last: it moves to the top.
    record(citizen, objs[0], moment=T0 + dt.timedelta(hours=1), state="verified")
    client = as_user(api, citizen)

    seen, url = [], f"{URL}?page_size=2"
    while url:
        body = client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [r["tracking_number"] for r in body["results"]]
        url = body["next"]

    expected = [f"DUK-2026-{o.pk:06d}" for o in [objs[0], objs[4], objs[3], objs[2], objs[1]]]
    assert seen == expected


def test_items_with_the_same_last_change_are_all_paged(api, citizen):
    objs = objects(5)
    for obj in objs:
        record(citizen, obj)  # all at T0
    client = as_user(api, citizen)

    seen, url = [], f"{URL}?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [r["tracking_number"] for r in body["results"]]
        url = body["next"]

    assert seen == [f"DUK-2026-{o.pk:06d}" for o in reversed(objs)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("module=payments", ["b"]),
        ("state=verified", ["c"]),
        ("is_open=false", ["b"]),
        ("is_open=true", ["c", "a"]),
        ("module=civil-registry&is_open=true&state=submitted", ["a"]),
    ],
)
def test_filters(api, citizen, query, expected):
    a, b, c = objects(3)
    record(citizen, a, tracking_number="a")
    record(
        citizen, b, moment=T0 + dt.timedelta(minutes=1), tracking_number="b", module="payments",
        is_open=False, state="paid",
    )  # fmt: skip
    record(citizen, c, moment=T0 + dt.timedelta(minutes=2), tracking_number="c", state="verified")

    body = as_user(api, citizen).get(f"{URL}?{query}").json()

    assert [r["tracking_number"] for r in body["results"]] == expected


def test_since_returns_only_what_changed_after_it(api, citizen):
    a, b, c = objects(3)
    record(citizen, a, tracking_number="a")
    record(citizen, b, moment=T0 + dt.timedelta(minutes=10), tracking_number="b")
    record(citizen, c, moment=T0 + dt.timedelta(minutes=20), tracking_number="c")
    client = as_user(api, citizen)
    synced = client.get(URL).json()["results"][0]["last_changed_at"]  # c, 09:20 WITA

    assert client.get(URL, {"since": synced}).json()["results"] == []

    record(citizen, a, moment=T0 + dt.timedelta(minutes=30), tracking_number="a", state="verified")
    changed = client.get(URL, {"since": synced}).json()["results"]
    assert [(r["tracking_number"], r["state"]) for r in changed] == [("a", "verified")]

    # Any ISO 8601 offset is understood; "b" changed exactly at 09:10 WITA, so it is not after.
    at_b = client.get(URL, {"since": "2026-03-02T01:10:00Z"}).json()["results"]
    assert [r["tracking_number"] for r in at_b] == ["a", "c"]


@pytest.mark.parametrize(
    ("query", "status", "attr"),
    [
        ("since=yesterday", 400, "since"),
        ("since=2026-13-01T00:00:00Z", 400, "since"),
        ("is_open=maybe", 400, "is_open"),
        ("page_size=0", 400, "page_size"),
        ("cursor=junk", 400, "cursor"),  # a cursor the API did not issue: not DRF's 404
    ],
)
def test_junk_query_is_refused_in_the_shared_shape(api, citizen, query, status, attr):
    record(citizen, AgencyFactory())

    response = as_user(api, citizen).get(f"{URL}?{query}")

    assert response.status_code == status
    body = response.json()
    assert body["type"] == ("validation_error" if status == 400 else "client_error")
    assert [e["attr"] for e in body["errors"]] == [attr]


def _cursor(query: str) -> str:
    import base64

    return base64.b64encode(query.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "junk",
        _cursor("o=x&r=0"),  # offset not a number
        _cursor("o=0&r=0&p=junk"),  # a forged position that is no date (was a 500)
        _cursor("o=0&r=0&p=2026-13-45 99:00:00"),
    ],
)
def test_a_bad_cursor_is_a_400_on_cursor_in_the_shared_shape(api, citizen, cursor):
    record(citizen, AgencyFactory())

    response = as_user(api, citizen).get(URL, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "invalid",
                "detail": "This cursor is not valid: start again from the first page.",
                "attr": "cursor",
            }
        ],
    }


def test_paging_back_with_previous_returns_the_same_pages(api, citizen):
    for n, obj in enumerate(objects(5)):
        record(citizen, obj, moment=T0 + dt.timedelta(minutes=n))
    client = as_user(api, citizen)
    first = client.get(URL, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    back = client.get(second["previous"]).json()

    assert back["results"] == first["results"]
    assert back["previous"] is None


def test_own_items_and_those_done_for_others_merge_into_one_order_both_ways(api, citizen):
    """The feed reads its two branches (own items; items done for others) separately and
    merges them: pages forward and back interleave them in one order, ties included."""
    mother = UserFactory(full_name="Ibu")
    made = []
    for n, obj in enumerate(objects(8)):
        moment = T0 + dt.timedelta(minutes=min(n, 6))  # the last three tie
        if n % 2:
            made.append(record(mother, obj, acted_by=citizen, moment=moment))
        else:
            made.append(record(citizen, obj, moment=moment))
    client = as_user(api, citizen)

    pages, url = [], f"{URL}?page_size=3"
    while url:
        body = client.get(url).json()
        pages.append([r["uuid"] for r in body["results"]])
        last, url = body, body["next"]
    expected = [str(i.uuid) for i in sorted(made, key=lambda i: (i.last_changed_at, i.pk))][::-1]
    assert [uuid for page in pages for uuid in page] == expected
    assert [len(page) for page in pages] == [3, 3, 2]

    back, url = [], last["previous"]
    while url:
        body = client.get(url).json()
        back.insert(0, [r["uuid"] for r in body["results"]])
        url = body["previous"]
    assert back == pages[:-1]


def test_paging_with_filters_visits_every_matching_item_once_and_no_one_elses(api, citizen):
    mother, stranger = UserFactory(full_name="Ibu"), UserFactory()
    mine = [
        record(citizen, o, moment=T0 + dt.timedelta(minutes=n)) for n, o in enumerate(objects(4))
    ]
    for_mother = record(mother, AgencyFactory(), acted_by=citizen, moment=T0)
    record(citizen, AgencyFactory(), is_open=False, moment=T0 + dt.timedelta(hours=1))
    for obj in objects(3):
        record(stranger, obj, moment=T0 + dt.timedelta(hours=2))
    client = as_user(api, citizen)

    seen, url = [], f"{URL}?page_size=2&is_open=true"
    while url:
        body = client.get(url).json()
        seen += [r["uuid"] for r in body["results"]]
        url = body["next"]

    # newest change first; at T0 the two items tie and the later-made one (higher id) leads
    expected = [mine[3], mine[2], mine[1], for_mother, mine[0]]
    assert seen == [str(item.uuid) for item in expected]


def test_feed_rows_match_the_schemas_description(api, citizen):
    """The rows are plain dicts (services.activity.presenters); the schema's ActivityItem must
    describe them: every kind of row (on behalf either way, with and without a due date)."""
    import jsonschema
    from drf_spectacular.generators import SchemaGenerator

    from tests.services.test_catalog_schema import _json_schema

    son = UserFactory(full_name="Budi")
    record(citizen, AgencyFactory(), due_at=T0)
    record(citizen, AgencyFactory(), acted_by=son)
    record(UserFactory(full_name="Ibu"), AgencyFactory(), acted_by=citizen)
    components = _json_schema(SchemaGenerator().get_schema(request=None, public=True)["components"])

    body = as_user(api, citizen).get(URL).json()

    assert len(body["results"]) == 3
    reference = {"$ref": "#/components/schemas/PaginatedActivityItemList", "components": components}
    jsonschema.validate(body, reference)
    described = set(components["schemas"]["ActivityItem"]["properties"])
    assert [set(row) for row in body["results"]] == [described] * 3


@pytest.mark.parametrize("zone", ["Asia/Makassar", "UTC", "Asia/Jakarta"])
def test_feed_timestamps_read_like_drfs_in_any_time_zone(api, citizen, settings, zone):
    from rest_framework.fields import DateTimeField

    settings.TIME_ZONE = zone
    item = record(citizen, AgencyFactory(), due_at=T0 + dt.timedelta(microseconds=5))

    row = as_user(api, citizen).get(URL).json()["results"][0]

    drf = DateTimeField()
    with timezone.override(zone):
        expected = [drf.to_representation(v) for v in (item.due_at, item.created_at)]
    assert [row["due_at"], row["created_at"]] == expected


def test_no_database_ids_in_the_payload(api, citizen):
    obj = AgencyFactory()
    record(citizen, obj, acted_by=UserFactory())

    result = as_user(api, citizen).get(URL).json()["results"][0]

    assert not {"id", "pk", "owner", "acted_by", "object_id", "content_type"} & set(result)


@pytest.mark.parametrize("size", [1, 10])
def test_feed_query_count_does_not_grow(api, citizen, size, django_assert_num_queries):
    mother = UserFactory()
    for obj in objects(size):
        record(citizen, obj)
    for obj in objects(size):
        record(mother, obj, acted_by=citizen)
    client = as_user(api, citizen)
    client.get(URL)  # warms the per-process caches (content types, switched-off modules)

    # 1. the page: items (hers or acted by her) with the other person's name (a subquery on
    #    the page's rows), ordered, LIMIT
    with django_assert_num_queries(1):
        response = client.get(f"{URL}?page_size=100&is_open=true&since=2026-01-01T00:00:00Z")

    assert len(response.json()["results"]) == 2 * size


# --- Admin -------------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def payments_module():
    agency = AgencyFactory(code="bapenda")
    registry.register(
        registry.ServiceModule(slug="test-payments", name="Pay", agency_code="bapenda")
    )
    yield agency
    registry.unregister("test-payments")


def test_admin_is_read_only_and_shows_staff_only_their_agencys_modules(
    staff_client, citizen, payments_module
):
    officer = StaffFactory()
    AgencyMembership.objects.create(
        user=officer, agency=payments_module, role=AgencyMembership.Role.COUNTER_OFFICER
    )
    a, b = objects(2)
    record(citizen, a, module="test-payments", tracking_number="PAY-1")
    record(citizen, b, module="civil-registry", tracking_number="DUK-1")
    client = staff_client(officer)

    response = client.get("/admin/activity/activityitem/")

    assert response.status_code == 200
    assert [item.tracking_number for item in response.context["cl"].result_list] == ["PAY-1"]
    assert client.get("/admin/activity/activityitem/add/").status_code == 403
    item = ActivityItem.objects.get(tracking_number="DUK-1")
    assert client.get(f"/admin/activity/activityitem/{item.pk}/change/").status_code == 302


def test_admin_is_closed_to_citizens(staff_client, citizen):
    assert staff_client(citizen).get("/admin/activity/activityitem/").status_code == 302


@pytest.mark.parametrize("size", [1, 10])
def test_admin_changelist_query_count(staff_client, citizen, size, django_assert_num_queries):
    admin_user = StaffFactory(is_superuser=True)
    for obj in objects(size):
        record(citizen, obj, acted_by=UserFactory())
    client = staff_client(admin_user)
    client.get("/admin/activity/activityitem/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. count of the filtered list
    # 9. the page: items JOIN owner LEFT JOIN acted_by JOIN content type
    # 10. the distinct modules for the module filter
    # 11. the user's agency roles (read once per request for every module's sidebar check)
    # 12. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(12):
        response = client.get("/admin/activity/activityitem/")

    assert response.context["cl"].result_count == size


# --- Concurrency (PostgreSQL) ------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_records_of_one_object_make_one_row():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    citizen, obj = UserFactory(), AgencyFactory()
    barrier = threading.Barrier(8)

    def record_once(n):
        try:
            barrier.wait()
            return activity_record(
                owner=citizen, obj=obj, module="civil-registry", tracking_number="DUK-1",
                title="KTP-el", state=f"state-{n}", state_label="x", is_open=True,
            ).pk  # fmt: skip
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        pks = list(pool.map(record_once, range(8)))

    assert len(set(pks)) == 1
    assert ActivityItem.objects.count() == 1

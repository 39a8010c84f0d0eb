"""The portal home: catalog search, the citizen's activity and unread notifications."""

import pytest

from services.activity import activity_record
from services.notifications import notify
from tests.factories import UserFactory
from tests.services.test_catalog_factories import seed_everything

pytestmark = pytest.mark.django_db


def _items(owner, count: int) -> None:
    for index in range(count):
        activity_record(
            owner=owner,
            obj=UserFactory(),
            module="pengaduan",
            tracking_number=f"ADU-2026-{index:06d}",
            title=f"Laporan {index}",
            state="open",
            state_label="Terbuka",
            is_open=True,
        )


def test_anonymous_home_offers_search_and_signup(client):
    seed_everything()
    content = client.get("/").content.decode()
    assert 'id="home-search"' in content and 'name="q"' in content
    assert "/accounts/signup/" in content
    assert "activity-title" not in content


def test_citizen_home_shows_own_activity_and_unread_count(
    client, django_capture_on_commit_callbacks
):
    seed_everything()
    citizen, other = UserFactory(), UserFactory()
    _items(citizen, 2)
    _items(other, 1)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipient=citizen,
            event="status_changed",
            key="home-1",
            context={
                "tracking_number": "ADU-2026-000000",
                "title": "Laporan 0",
                "state": "open",
                "state_label": "Terbuka",
                "from_state": "",
            },
        )
    client.force_login(citizen)
    response = client.get("/")
    assert [item.tracking_number for item in response.context["activity"]] == [
        "ADU-2026-000001",
        "ADU-2026-000000",
    ]
    assert response.context["unread_count"] == 1


@pytest.mark.parametrize("rows", [1, 10])
def test_home_query_count_does_not_grow(client, django_assert_num_queries, rows):
    seed_everything()
    citizen = UserFactory()
    _items(citizen, rows)
    client.force_login(citizen)
    client.get("/")  # warm the catalog cache
    # 1 session, 2 user, 3-7 allauth's user-session tracking (savepoint, its session row, the
    # user again, update, release), 8 activity page, 9 notifications page, 10 unread count
    with django_assert_num_queries(10):
        assert client.get("/").status_code == 200

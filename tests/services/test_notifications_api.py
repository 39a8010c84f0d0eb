"""The notification endpoints: the inbox, the unread count, marking read, preferences, push
devices; who may touch what; and the admin."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from services.notifications import notify
from services.notifications.models import ChannelPreference, Delivery, Device, Notification
from tests.factories import StaffFactory, UserFactory
from tests.services import test_notifications as base
from tests.services.test_notifications import MORNING, at, opt_in, reachable_citizen

# The channel settings (autouse) and the failing WhatsApp provider of the notification tests.
channels = base.channels
failing_whatsapp = base.failing_whatsapp

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/notifications/"
PREFERENCES = "/api/v1/notifications/preferences/"
DEVICES = "/api/v1/devices/"
FCM_TOKEN = "dXNlcjEyMzQ1Njc4OTA:APA91bH-example_token.part"


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti Rahma", preferred_language="id")


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def as_user(api, user):
    api.force_authenticate(user)
    return api


def errors(response):
    body = response.json()
    assert body["type"] in ("validation_error", "client_error")
    return [(e["code"], e["attr"]) for e in body["errors"]]


def news(user, n, *, moment=None):
    moment = moment or MORNING + dt.timedelta(minutes=n)
    with at(moment):
        return notify(
            recipient=user,
            event="news",
            key=f"news:{n}",
            topic="news",
            context={"title": f"News {n}", "message": f"Body {n}", "portal_link": f"/news/{n}/"},
        )


# --- The inbox -----------------------------------------------------------------------------------


def test_anonymous_is_refused_everywhere(api):
    for method, url in [
        ("get", INBOX),
        ("get", f"{INBOX}unread-count/"),
        ("post", f"{INBOX}read-all/"),
        ("get", PREFERENCES),
        ("post", DEVICES),
    ]:
        response = getattr(api, method)(url)
        assert response.status_code == 401, url
        assert errors(response) == [("not_authenticated", None)]


def test_inbox_item_shape_in_the_requests_language(api, citizen):
    notification = news(citizen, 1)
    client = as_user(api, citizen)

    body = client.get(INBOX).json()

    assert body == {
        "next": None,
        "previous": None,
        "results": [
            {
                "uuid": str(notification.uuid),
                "event": "news",
                "topic": "news",
                "is_urgent": False,
                "title": "News 1",
                "body": "Body 1",
                "app_link": "",
                "portal_link": "/news/1/",
                "is_read": False,
                "read_at": None,
                "created_at": "2026-03-02T09:13:00+08:00",
            }
        ],
    }
    client.credentials(HTTP_ACCEPT_LANGUAGE="id")
    assert client.get(INBOX).json()["results"][0]["title"] == "News 1"


def test_inbox_is_newest_first_paged_by_cursor_and_holds_only_ones_own(api, citizen):
    for n in range(5):
        news(citizen, n)
    news(UserFactory(), 9)
    client = as_user(api, citizen)

    seen, url = [], f"{INBOX}?page_size=2"
    while url:
        body = client.get(url).json()
        seen += [item["title"] for item in body["results"]]
        url = body["next"]

    assert seen == ["News 4", "News 3", "News 2", "News 1", "News 0"]


def test_unread_filter_and_count(api, citizen):
    for n in range(3):
        news(citizen, n)
    news(UserFactory(), 9)
    Notification.objects.filter(key="news:1").update(read_at=MORNING)
    client = as_user(api, citizen)

    unread = client.get(INBOX, {"unread": "true"}).json()["results"]
    read = client.get(INBOX, {"unread": "false"}).json()["results"]

    assert [item["title"] for item in unread] == ["News 2", "News 0"]
    assert [item["title"] for item in read] == ["News 1"]
    assert client.get(f"{INBOX}unread-count/").json() == {"count": 2}


@pytest.mark.parametrize(
    ("query", "attr"), [("unread=yes", "unread"), ("page_size=abc", "page_size")]
)
def test_junk_inbox_query_is_a_400_in_the_shared_shape(api, citizen, query, attr):
    response = as_user(api, citizen).get(f"{INBOX}?{query}")

    assert response.status_code == 400
    assert [a for _code, a in errors(response)] == [attr]


def test_mark_one_read_keeps_the_first_time(api, citizen):
    notification = news(citizen, 1)
    client = as_user(api, citizen)

    with at(MORNING + dt.timedelta(hours=1)):
        first = client.post(f"{INBOX}{notification.uuid}/read/")
    with at(MORNING + dt.timedelta(hours=2)):
        again = client.post(f"{INBOX}{notification.uuid}/read/")

    assert first.status_code == again.status_code == 200
    assert first.json()["is_read"] is True
    assert first.json()["read_at"] == again.json()["read_at"] == "2026-03-02T10:12:00+08:00"
    notification.refresh_from_db()
    assert notification.read_at == MORNING + dt.timedelta(hours=1)
    assert client.get(f"{INBOX}unread-count/").json() == {"count": 0}


def test_someone_elses_notification_is_a_404_and_stays_unread(api, citizen):
    theirs = news(UserFactory(), 1)

    response = as_user(api, citizen).post(f"{INBOX}{theirs.uuid}/read/")

    assert response.status_code == 404
    assert errors(response) == [("not_found", None)]
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_read_all_marks_only_ones_own(api, citizen):
    for n in range(3):
        news(citizen, n)
    theirs = news(UserFactory(), 9)
    client = as_user(api, citizen)

    response = client.post(f"{INBOX}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert client.post(f"{INBOX}read-all/").json() == {"marked": 0}
    assert Notification.objects.filter(recipient=citizen, read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("size", [1, 10])
def test_inbox_query_count_does_not_grow(api, citizen, size, django_assert_num_queries):
    for n in range(size):
        news(citizen, n)
    client = as_user(api, citizen)
    client.get(INBOX)  # warms the per-process caches (switched-off modules)

    # 1. the page of her notifications, unread, newest first, LIMIT page size + 1
    with django_assert_num_queries(1):
        response = client.get(f"{INBOX}?unread=true&page_size=100")

    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_unread_count_is_one_query(api, citizen, size, django_assert_num_queries):
    for n in range(size):
        news(citizen, n)
    client = as_user(api, citizen)
    client.get(f"{INBOX}unread-count/")

    # 1. COUNT of her unread notifications (the partial index on unread ones)
    with django_assert_num_queries(1):
        assert client.get(f"{INBOX}unread-count/").json() == {"count": size}


# --- Preferences ---------------------------------------------------------------------------------

ALL_OFF = {"status": False, "payment": False, "reminder": False, "news": False}
ALL_ON = {"status": True, "payment": True, "reminder": True, "news": True}


def preferences_body(**overrides):
    body = {
        "email": dict(ALL_OFF),
        "sms": dict(ALL_OFF),
        "whatsapp": dict(ALL_OFF),
        "push": dict(ALL_OFF),
        "email_digest": False,
    }
    body.update(overrides)
    return body


def test_preferences_default_to_the_inbox_alone(api, citizen):
    response = as_user(api, citizen).get(PREFERENCES)

    assert response.status_code == 200
    assert response.json() == {
        "in_app": ALL_ON,
        "email": ALL_OFF,
        "sms": ALL_OFF,
        "whatsapp": ALL_OFF,
        "push": ALL_OFF,
        "email_digest": False,
    }


def test_put_preferences_replaces_the_matrix_and_notify_follows_it(api, citizen, sms_outbox):
    citizen.phone_verified = True
    citizen.save(update_fields=["phone_verified"])
    body = preferences_body(
        email={**ALL_OFF, "payment": True},
        sms={**ALL_OFF, "news": True, "status": True},
        email_digest=True,
        in_app=ALL_ON,
    )

    response = as_user(api, citizen).put(PREFERENCES, body, format="json")

    assert response.status_code == 200
    assert response.json() == body
    assert as_user(api, citizen).get(PREFERENCES).json() == body
    assert sorted(
        ChannelPreference.objects.filter(user=citizen).values_list(
            "channel", "topic_status", "topic_payment", "topic_news", "is_digest"
        )
    ) == [
        ("email", False, True, False, True),
        ("push", False, False, False, False),
        ("sms", True, False, True, False),
        ("whatsapp", False, False, False, False),
    ]
    news(citizen, 1)
    assert [d.channel for d in Delivery.objects.all()] == ["sms"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"in_app": {**ALL_ON, "news": False}}, [("in_app_required", "in_app.non_field_errors")]),
        ({"sms": {"status": True}}, [(code, f"sms.{t}") for code, t in [("required", "payment"), ("required", "reminder"), ("required", "news")]]),
        ({"email": None}, [("null", "email")]),
        ({"push": {**ALL_OFF, "news": "perhaps"}}, [("invalid", "push.news")]),
        ({"email_digest": None}, [("null", "email_digest")]),
    ],
)  # fmt: skip
def test_bad_preferences_are_a_400_and_change_nothing(api, citizen, change, expected):
    opt_in(citizen, "email", "status")
    before = list(ChannelPreference.objects.values())

    response = as_user(api, citizen).put(PREFERENCES, preferences_body(**change), format="json")

    assert response.status_code == 400
    assert errors(response) == expected
    assert list(ChannelPreference.objects.values()) == before


def test_missing_channels_are_a_400(api, citizen):
    response = as_user(api, citizen).put(PREFERENCES, {"email_digest": False}, format="json")

    assert response.status_code == 400
    assert sorted(errors(response)) == [
        ("required", "email"),
        ("required", "push"),
        ("required", "sms"),
        ("required", "whatsapp"),
    ]
    assert ChannelPreference.objects.count() == 0


# --- Devices -------------------------------------------------------------------------------------


def test_register_a_device_then_again_is_the_same_device(api, citizen):
    client = as_user(api, citizen)

    with at(MORNING):
        first = client.post(DEVICES, {"platform": "fcm", "token": FCM_TOKEN}, format="json")
    with at(MORNING + dt.timedelta(days=1)):
        again = client.post(DEVICES, {"platform": "fcm", "token": FCM_TOKEN}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    device = Device.objects.get()
    assert first.json() == {
        "uuid": str(device.uuid),
        "platform": "fcm",
        "created_at": "2026-03-02T09:12:00+08:00",
        "registered_at": "2026-03-02T09:12:00+08:00",
    }
    assert again.json()["uuid"] == str(device.uuid)
    assert again.json()["registered_at"] == "2026-03-03T09:12:00+08:00"
    assert (device.user, device.token) == (citizen, FCM_TOKEN)
    assert "token" not in first.json()


def test_a_token_registered_by_someone_else_moves_to_the_current_user(api, citizen):
    previous_owner = UserFactory()
    old = as_user(api, previous_owner).post(
        DEVICES, {"platform": "fcm", "token": FCM_TOKEN}, format="json"
    )

    moved = as_user(api, citizen).post(
        DEVICES, {"platform": "fcm", "token": FCM_TOKEN}, format="json"
    )

    assert moved.status_code == 200
    device = Device.objects.get()
    assert device.user == citizen
    assert moved.json()["uuid"] != old.json()["uuid"]  # the old owner's uuid now points nowhere
    gone = as_user(api, previous_owner).delete(f"{DEVICES}{old.json()['uuid']}/")
    assert gone.status_code == 404
    assert Device.objects.filter(user=citizen).count() == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"platform": "sms", "token": FCM_TOKEN}, [("invalid_choice", "platform")]),
        ({"platform": "fcm", "token": "short"}, [("min_length", "token")]),
        ({"platform": "fcm", "token": "has space in the token 123"}, [("invalid", "token")]),
        ({"platform": "apns", "token": "x" * 513}, [("max_length", "token")]),
        ({"platform": "fcm"}, [("required", "token")]),
    ],
)
def test_bad_device_input_is_a_400_and_registers_nothing(api, citizen, body, expected):
    response = as_user(api, citizen).post(DEVICES, body, format="json")

    assert response.status_code == 400
    assert errors(response) == expected
    assert Device.objects.count() == 0


def test_delete_own_device(api, citizen):
    device = Device.objects.create(user=citizen, platform="apns", token="a" * 64)

    response = as_user(api, citizen).delete(f"{DEVICES}{device.uuid}/")

    assert response.status_code == 204
    assert Device.objects.count() == 0


def test_someone_elses_device_is_a_404_and_stays(api, citizen):
    theirs = Device.objects.create(user=UserFactory(), platform="apns", token="a" * 64)

    response = as_user(api, citizen).delete(f"{DEVICES}{theirs.uuid}/")

    assert response.status_code == 404
    assert errors(response) == [("not_found", None)]
    assert Device.objects.filter(pk=theirs.pk).exists()


# --- A failing channel never fails the request that caused it ------------------------------------


class CauseSomethingView(APIView):
    """A module's endpoint whose use case notifies the caller (as a submission would)."""

    def post(self, request):
        notification = notify(
            recipient=request.user,
            event="status_changed",
            key="test:submitted",
            context={"title": "KTP-el", "tracking_number": "DUK-1", "state_label": "Submitted"},
            urgent=True,
        )
        return Response({"notified": notification is not None}, status=201)


urlpatterns = [
    path("cause/", CauseSomethingView.as_view()),
    path("api/v1/", include("services.notifications.api.urls")),
]


@pytest.mark.urls(__name__)
def test_a_failing_backend_inside_notify_leaves_the_request_successful(
    api, failing_whatsapp, django_capture_on_commit_callbacks
):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    opt_in(citizen, "email", "status")
    client = as_user(api, citizen)

    with at(MORNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cause/")

    assert response.status_code == 201
    assert response.json() == {"notified": True}
    assert failing_whatsapp.calls == 1
    assert sorted(Delivery.objects.values_list("channel", "status", "failure_reason")) == [
        ("email", "sent", ""),
        ("whatsapp", "queued", "gateway timeout"),  # its retry is queued
    ]


@pytest.mark.urls(__name__)
def test_an_unexpected_backend_crash_leaves_the_request_successful(
    api, failing_whatsapp, django_capture_on_commit_callbacks
):
    failing_whatsapp.error = RuntimeError("provider SDK bug")
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")

    with at(MORNING), django_capture_on_commit_callbacks(execute=True):
        response = as_user(api, citizen).post("/cause/")

    assert response.status_code == 201
    assert Delivery.objects.get().failure_reason == "unexpected error (RuntimeError)"


# --- Admin ---------------------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def test_delivery_admin_filters_by_channel_and_status(superuser_client, failing_whatsapp):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    opt_in(citizen, "email", "status")
    with mock.patch("services.notifications.services.dispatch"):  # nothing is sent
        news(citizen, 1)
        with at(MORNING):
            notify(recipient=citizen, event="news", key="s", topic="status", context={})

    everything = superuser_client.get("/admin/notifications/delivery/")
    whatsapp = superuser_client.get("/admin/notifications/delivery/?channel=whatsapp")
    queued = superuser_client.get("/admin/notifications/delivery/?status=queued&channel=email")

    assert everything.status_code == 200
    assert [d.channel for d in whatsapp.context["cl"].result_list] == ["whatsapp"]
    assert [d.channel for d in queued.context["cl"].result_list] == ["email"]


def test_delivery_admin_sends_failed_ones_again(
    superuser_client, failing_whatsapp, django_capture_on_commit_callbacks
):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    with at(MORNING):
        notify(recipient=citizen, event="news", key="s", topic="status", context={})
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status="failed", failure_reason="x")
    failing_whatsapp.failures = 0

    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(
            "/admin/notifications/delivery/",
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )

    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert failing_whatsapp.calls == 1


def test_the_admin_cannot_edit_or_add_deliveries(superuser_client):
    assert superuser_client.get("/admin/notifications/delivery/add/").status_code == 403
    assert superuser_client.get("/admin/notifications/notification/add/").status_code == 403


@pytest.mark.parametrize("size", [1, 10])
def test_delivery_changelist_query_count(superuser_client, size, django_assert_num_queries):
    with mock.patch("services.notifications.services.dispatch"):
        for n in range(size):
            citizen = reachable_citizen(
                email=f"w{n}@example.test",
                phone=f"+62812000{n:05d}",
                device_token=f"token-{n:012d}",
            )
            opt_in(citizen, "sms", "news")
            news(citizen, n)
    superuser_client.get("/admin/notifications/delivery/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. count of the filtered list
    # 9. the page: deliveries JOIN notification JOIN recipient  10. the user's agency roles
    # 11. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(11):
        response = superuser_client.get("/admin/notifications/delivery/")

    assert response.context["cl"].result_count == size

"""``Idempotency-Key`` on unsafe API requests (balikpapan_untuk_warga.idempotency).

The views are the counting views of ``tests.platform.idempotency_urls``: ``effects(label)`` is
how many times a view really ran.
"""

import hashlib
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from balikpapan_untuk_warga import idempotency
from balikpapan_untuk_warga.idempotency import IdempotencyMiddleware
from balikpapan_untuk_warga.models import IdempotencyRecord
from tests.factories import PASSWORD, UserFactory
from tests.platform import idempotency_urls as views
from tests.platform.idempotency_urls import effects

pytestmark = [pytest.mark.urls("tests.platform.idempotency_urls"), pytest.mark.django_db]

THINGS = "/api/test/things/"
WAIT = 20  # seconds any thread step may take on a loaded machine (the blocked view waits 30)


def send(client, url, data=None, key=None, method="post", **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return getattr(client, method)(
        url, data if data is not None else {}, content_type="application/json", headers=headers
    )


def assert_error(response, status, code):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["type"] == "client_error"
    assert len(body["errors"]) == 1
    error = body["errors"][0]
    assert error["code"] == code
    assert error["attr"] is None
    assert isinstance(error["detail"], str) and error["detail"]


@pytest.fixture
def user():
    return UserFactory()


@pytest.fixture
def api(user):
    client = Client()
    client.force_login(user)
    return client


# --- the first request runs, a retry replays ----------------------------------------------------


def test_first_request_runs_and_a_retry_replays_it_without_a_second_effect(api, user):
    first = send(api, THINGS, {"title": "Lampu jalan mati"}, key="k-1")
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert first.cookies["view_cookie"].value == "from-the-view"
    assert effects("thing") == 1

    retry = send(api, THINGS, {"title": "Lampu jalan mati"}, key="k-1")
    assert retry.status_code == 201
    assert retry.content == first.content
    assert retry.json()["data"] == {"title": "Lampu jalan mati"}
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert effects("thing") == 1

    # Only Content-Type and Location are kept: never the view's cookies or other headers.
    assert "view_cookie" not in retry.cookies
    assert "X-Not-Stored" not in retry

    record = IdempotencyRecord.objects.get()
    assert record.owner == user
    assert record.key == "k-1"
    assert (record.method, record.path) == ("POST", THINGS)
    assert record.state == IdempotencyRecord.State.COMPLETED
    assert record.response_status == 201
    assert record.expires_at > timezone.now() + timedelta(hours=23)


@pytest.mark.parametrize(("method", "status"), [("put", 200), ("patch", 200), ("delete", 204)])
def test_put_patch_and_delete_are_replayed_too(api, method, status):
    first = send(api, THINGS, {"x": 1}, key="k-2", method=method)
    retry = send(api, THINGS, {"x": 1}, key="k-2", method=method)
    assert first.status_code == retry.status_code == status
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert effects("thing") == 1


def test_without_the_header_every_request_runs(api):
    assert send(api, THINGS, {"x": 1}).status_code == 201
    assert send(api, THINGS, {"x": 1}).status_code == 201
    assert effects("thing") == 2
    assert not IdempotencyRecord.objects.exists()


def test_get_ignores_the_header(api):
    first = send(api, THINGS, key="k-get", method="get")
    second = send(api, THINGS, key="k-get", method="get")
    assert first.status_code == second.status_code == 200
    assert "Idempotent-Replayed" not in second
    assert effects("thing") == 2
    assert not IdempotencyRecord.objects.exists()


# --- misuse: another request with the same key, a request still running -------------------------


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", THINGS, {"title": "Jalan berlubang"}),  # another body
        ("post", THINGS + "?draft=1", {"title": "Lampu jalan mati"}),  # another query string
        ("post", "/api/test/reject/", {"title": "Lampu jalan mati"}),  # another path
        ("put", THINGS, {"title": "Lampu jalan mati"}),  # another method
    ],
)
def test_the_same_key_with_another_request_is_a_422(api, method, url, data):
    send(api, THINGS, {"title": "Lampu jalan mati"}, key="k-3")
    response = send(api, url, data, key="k-3", method=method)
    assert_error(response, 422, "idempotency_key_reused")
    assert effects("thing") == 1
    assert effects("reject") == 0


def test_the_body_is_compared_byte_for_byte(api):
    send(api, THINGS, '{"a": 1, "b": 2}', key="k-bytes")
    assert_error(
        send(api, THINGS, '{"b": 2, "a": 1}', key="k-bytes"), 422, "idempotency_key_reused"
    )
    assert send(api, THINGS, '{"a": 1, "b": 2}', key="k-bytes")["Idempotent-Replayed"] == "true"


def test_a_retry_while_the_first_request_runs_is_a_409(api):
    # Freeze the first request "while running" by putting its record back in progress; the
    # real two-thread race is test_concurrent_duplicates_run_the_view_once (PostgreSQL).
    send(api, THINGS, {"x": 1}, key="k-4")
    IdempotencyRecord.objects.update(state=IdempotencyRecord.State.IN_PROGRESS)

    response = send(api, THINGS, {"x": 1}, key="k-4")
    assert_error(response, 409, "idempotency_key_in_use")
    assert response["Retry-After"] == "1"
    # Another body is a 422 even while the first runs: waiting would not make it right.
    assert_error(send(api, THINGS, {"x": 2}, key="k-4"), 422, "idempotency_key_reused")
    assert effects("thing") == 1


def test_keys_belong_to_one_user(api, user):
    other = UserFactory()
    other_client = Client()
    other_client.force_login(other)

    mine = send(api, THINGS, {"x": 1}, key="shared-key")
    theirs = send(other_client, THINGS, {"x": 1}, key="shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert theirs.json()["user"] == other.pk
    assert effects("thing") == 2
    assert IdempotencyRecord.objects.filter(key="shared-key").count() == 2


# --- the key's syntax -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "",
        " ",
        " leading-space",
        "trailing-space ",
        "k" * 256,
        "tab\tinside",
        "del\x7f",
        "kunci-é",  # not ASCII
        "ключ",
    ],
)
def test_a_malformed_key_is_a_400_and_nothing_runs(api, key):
    assert_error(send(api, THINGS, {"x": 1}, key=key), 400, "invalid")
    assert effects("thing") == 0
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize(
    "key", ["k", "k" * 255, "8e03978e-40d5-43e8-bc93-6894a57f9324", "a b", '"quoted"', "!~"]
)
def test_well_formed_keys(api, key):
    assert send(api, THINGS, {"x": 1}, key=key).status_code == 201
    assert send(api, THINGS, {"x": 1}, key=key)["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().key == key


# --- which responses are kept ---------------------------------------------------------------------


def test_a_4xx_of_the_view_is_stored_and_replayed(api):
    # The view's answer to that request: a retry must get the same answer, and the attempt the
    # view recorded must not be recorded twice (a client that wants to change the body needs a
    # new key).
    first = send(api, "/api/test/reject/", {"amount": 500}, key="k-5")
    assert first.status_code == 400
    assert first.json()["errors"][0]["attr"] == "amount"

    retry = send(api, "/api/test/reject/", {"amount": 500}, key="k-5")
    assert retry.status_code == 400
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert effects("reject") == 1


def test_a_refusal_to_admit_the_request_is_not_stored(api, user):
    # 401/403/429 mean the view did not do its work: the client fixes the cause and retries the
    # same operation with the same key.
    refused = send(api, "/api/test/staff-only/", {"x": 1}, key="k-6")
    assert refused.status_code == 403
    assert not IdempotencyRecord.objects.exists()

    user.is_staff = True
    user.save()
    admitted = send(api, "/api/test/staff-only/", {"x": 1}, key="k-6")
    assert admitted.status_code == 201
    assert "Idempotent-Replayed" not in admitted
    assert send(api, "/api/test/staff-only/", {"x": 1}, key="k-6")["Idempotent-Replayed"] == "true"
    assert effects("staff") == 1


def test_a_5xx_is_not_stored_so_the_retry_runs_again(api):
    for _ in range(2):
        response = send(api, "/api/test/unavailable/", {"x": 1}, key="k-7")
        assert response.status_code == 503
        assert "Idempotent-Replayed" not in response
    assert effects("unavailable") == 2
    assert not IdempotencyRecord.objects.exists()


def test_an_exception_releases_the_key(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for _ in range(2):
        assert send(client, "/api/test/crash/", {"x": 1}, key="k-8").status_code == 500
    assert effects("crash") == 2
    assert not IdempotencyRecord.objects.exists()


def test_an_exception_propagating_through_the_middleware_releases_the_key(user):
    states = []

    def get_response(request):
        states.append(IdempotencyRecord.objects.get().state)
        raise SystemExit(1)  # e.g. gunicorn's worker timeout

    request = RequestFactory().post(
        THINGS, b"{}", content_type="application/json", headers={"Idempotency-Key": "k-exit"}
    )
    request.user = user
    with pytest.raises(SystemExit):
        IdempotencyMiddleware(get_response)(request)
    assert states == [IdempotencyRecord.State.IN_PROGRESS]
    assert not IdempotencyRecord.objects.exists()


def test_a_streaming_response_is_not_stored(api):
    for _ in range(2):
        response = send(api, "/api/test/stream/", {"x": 1}, key="k-9")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"chunk-1 chunk-2"
    assert effects("stream") == 2
    assert not IdempotencyRecord.objects.exists()


def test_an_upload_larger_than_the_in_memory_limit_is_fingerprinted_and_reaches_the_view(
    api, settings, monkeypatch
):
    # request.body refuses bodies above DATA_UPLOAD_MAX_MEMORY_SIZE; multipart files stream past
    # it, so the middleware hashes such a body while spooling it for the view.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 256
    photo = bytes(range(256)) * 40  # 10 KiB
    spooled = []
    spool_body = idempotency._spool_body
    monkeypatch.setattr(
        idempotency, "_spool_body", lambda request: spooled.append(1) or spool_body(request)
    )

    def upload(content, note="foto lubang"):
        return api.post(
            "/api/test/upload/",
            {"note": note, "file": SimpleUploadedFile("foto.jpg", content, "image/jpeg")},
            headers={"Idempotency-Key": "k-upload"},
        )

    first = upload(photo)
    assert first.status_code == 201, first.content
    assert first.json()["size"] == len(photo)
    assert first.json()["sha256"] == hashlib.sha256(photo).hexdigest()
    assert first.json()["note"] == "foto lubang"

    retry = upload(photo)
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    assert_error(upload(photo[:-1] + b"x"), 422, "idempotency_key_reused")
    assert effects("upload") == 1
    assert len(spooled) == 3


# --- who owns a key -------------------------------------------------------------------------------


def app_login(user) -> str:
    """Log in like the mobile app (allauth headless ``app`` client); return the session token."""
    response = Client().post(
        "/_allauth/app/v1/auth/login",
        {"email": user.email, "password": PASSWORD},
        content_type="application/json",
        headers={"Idempotency-Key": "not-under-api"},  # outside /api/: ignored
    )
    assert response.status_code == 200, response.content
    return response.json()["meta"]["session_token"]


def test_the_app_session_token_identifies_the_owner(user):
    token = app_login(user)
    assert not IdempotencyRecord.objects.exists()
    app = Client()

    first = send(app, THINGS, {"x": 1}, key="k-10", **{"X-Session-Token": token})
    assert first.status_code == 201
    assert first.json()["user"] == user.pk
    retry = send(app, THINGS, {"x": 1}, key="k-10", **{"X-Session-Token": token})
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == first.content
    assert effects("thing") == 1
    assert IdempotencyRecord.objects.get().owner == user

    # The token still works (it was looked up, not rotated or consumed).
    assert send(app, THINGS, {"x": 2}, **{"X-Session-Token": token}).status_code == 201


def test_the_token_wins_over_the_browser_session_as_in_drf(api, user):
    other = UserFactory()
    token = app_login(other)
    response = send(api, THINGS, {"x": 1}, key="k-11", **{"X-Session-Token": token})
    assert response.json()["user"] == other.pk
    assert IdempotencyRecord.objects.get().owner == other


def test_an_invalid_token_falls_back_to_the_session_as_in_drf(api, user):
    response = send(api, THINGS, {"x": 1}, key="k-12", **{"X-Session-Token": "no-such-token"})
    assert response.json()["user"] == user.pk
    assert IdempotencyRecord.objects.get().owner == user


def test_anonymous_requests_are_not_made_idempotent():
    client = Client()
    for _ in range(2):
        response = send(client, "/api/test/anonymous/", {"x": 1}, key="k-13")
        assert response.status_code == 201
        assert "Idempotent-Replayed" not in response
    assert effects("anonymous") == 2
    assert not IdempotencyRecord.objects.exists()
    # The header's syntax is still checked.
    assert_error(send(client, "/api/test/anonymous/", {"x": 1}, key=""), 400, "invalid")


# --- expiry ---------------------------------------------------------------------------------------


def test_an_expired_record_no_longer_replays(api):
    send(api, THINGS, {"x": 1}, key="k-14")
    IdempotencyRecord.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = send(api, THINGS, {"x": 1}, key="k-14")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert effects("thing") == 2
    assert IdempotencyRecord.objects.get().expires_at > timezone.now()


def test_an_abandoned_request_stops_blocking_its_key_after_the_lease(api):
    # A worker killed mid-request leaves its record in progress; after the lease it is abandoned.
    send(api, THINGS, {"x": 1}, key="k-15")
    IdempotencyRecord.objects.update(
        state=IdempotencyRecord.State.IN_PROGRESS,
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    response = send(api, THINGS, {"x": 1}, key="k-15")
    assert response.status_code == 201
    assert effects("thing") == 2
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.State.COMPLETED


def test_claiming_a_key_purges_the_users_expired_records(api, user):
    other = UserFactory()
    past = timezone.now() - timedelta(minutes=1)
    common = {"method": "POST", "path": THINGS, "fingerprint": "0" * 64, "state": "completed"}
    IdempotencyRecord.objects.create(
        owner=user, key="old", created_at=past, expires_at=past, **common
    )
    IdempotencyRecord.objects.create(
        owner=other, key="old", created_at=past, expires_at=past, **common
    )

    send(api, THINGS, {"x": 1}, key="new")
    assert sorted(IdempotencyRecord.objects.values_list("owner_id", "key")) == sorted(
        [(user.pk, "new"), (other.pk, "old")]
    )


def test_the_purge_command_deletes_only_expired_records(user):
    now = timezone.now()
    common = {"owner": user, "method": "POST", "path": THINGS, "fingerprint": "0" * 64}
    for index in range(5):
        IdempotencyRecord.objects.create(
            key=f"expired-{index}", state="completed", created_at=now, expires_at=now, **common
        )
    IdempotencyRecord.objects.create(
        key="abandoned", state="in_progress", created_at=now, expires_at=now, **common
    )
    IdempotencyRecord.objects.create(
        key="live", state="completed", created_at=now, expires_at=now + timedelta(hours=1), **common
    )
    out = StringIO()
    call_command("purge_idempotency_records", "--batch-size=2", stdout=out)
    assert "Deleted 6 expired idempotency record(s)." in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["live"]


# --- two threads at once, on PostgreSQL -----------------------------------------------------------


@pytest.fixture
def blocking_view():
    views.entered.clear()
    views.release.clear()
    yield views
    views.release.set()  # never leave a thread waiting


def in_thread(target, *args):
    """Run ``target`` in a thread with its own database connection; return (thread, result)."""
    result = {}

    def run():
        try:
            result["response"] = target(*args)
        except BaseException as exc:  # surfaced by the test's assertions
            result["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_the_view_once(user, blocking_view):
    """Two threads send the same key at the same instant: one runs, the other gets a 409.

    The view holds its request open until the test sees the other thread's answer, so the two
    requests certainly overlap; if both ran the view, neither would answer before the timeout
    and two effects would be counted.
    """
    barrier = threading.Barrier(2)
    done = []
    done_lock = threading.Condition()

    def post(client):
        barrier.wait(timeout=WAIT)
        response = send(client, "/api/test/block/", {"amount": 10}, key="race")
        with done_lock:
            done.append(response)
            done_lock.notify_all()
        return response

    threads = [in_thread(post, logged_in_client(user)) for _ in range(2)]
    with done_lock:
        assert done_lock.wait_for(lambda: done, timeout=WAIT)
        loser = done[0]
    assert_error(loser, 409, "idempotency_key_in_use")
    # The winner holds the key from its insert on; it may reach the view only now.
    assert views.entered.wait(timeout=WAIT)
    assert effects("block") == 1

    views.release.set()
    for thread, _result in threads:
        thread.join(timeout=WAIT)
        assert not thread.is_alive()
    responses = [result["response"] for _thread, result in threads]
    assert sorted(response.status_code for response in responses) == [201, 409]
    winner = next(response for response in responses if response.status_code == 201)

    retry = send(logged_in_client(user), "/api/test/block/", {"amount": 10}, key="race")
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.content == winner.content
    assert effects("block") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_duplicate_during_the_first_request_is_refused_then_replayed(user, blocking_view):
    first_thread, first = in_thread(
        send, logged_in_client(user), "/api/test/block/", {"amount": 10}, "during"
    )
    assert views.entered.wait(timeout=WAIT)  # the first request is inside the view

    def duplicate(data):
        return send(logged_in_client(user), "/api/test/block/", data, key="during")

    second_thread, second = in_thread(duplicate, {"amount": 10})
    second_thread.join(timeout=WAIT)
    assert_error(second["response"], 409, "idempotency_key_in_use")
    third_thread, third = in_thread(duplicate, {"amount": 99})
    third_thread.join(timeout=WAIT)
    assert_error(third["response"], 422, "idempotency_key_reused")

    views.release.set()
    first_thread.join(timeout=WAIT)
    assert first["response"].status_code == 201

    retry_thread, retry = in_thread(duplicate, {"amount": 10})
    retry_thread.join(timeout=WAIT)
    assert retry["response"]["Idempotent-Replayed"] == "true"
    assert retry["response"].content == first["response"].content
    assert effects("block") == 1


def test_the_daily_beat_task_purges_expired_records(user, settings):
    from balikpapan_untuk_warga.tasks import purge_idempotency_records

    assert settings.CELERY_BEAT_SCHEDULE["purge-idempotency-records"]["task"] == (
        purge_idempotency_records.name
    )
    now = timezone.now()
    common = {"owner": user, "method": "POST", "path": THINGS, "fingerprint": "0" * 64}
    IdempotencyRecord.objects.create(
        key="expired", state="completed", created_at=now, expires_at=now, **common
    )
    IdempotencyRecord.objects.create(
        key="live", state="completed", created_at=now, expires_at=now + timedelta(hours=1), **common
    )
    purge_idempotency_records.delay()  # eager in tests
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["live"]

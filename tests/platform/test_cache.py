"""The shared cache (``balikpapan_untuk_warga/cache.py``): one reused Redis client, the atomic
window counter behind every throttle, and app tokens on the ``cached_db`` session engine that a
deployment with Redis uses."""

from __future__ import annotations

import os
import threading

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client

from balikpapan_untuk_warga.cache import RedisCache, hit, seconds_left
from tests.security import test_identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache():
    broker = os.environ.get("CELERY_BROKER_URL", "")
    base = broker.rsplit("/", 1)[0] if broker.startswith("redis://") else "redis://127.0.0.1:6379"
    cache = RedisCache(f"{base}/12", {"KEY_PREFIX": "test-cache"})
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.broker
def test_one_redis_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b", write=True) is client
    redis_cache.set("answer", {"ok": 1}, 30)
    assert redis_cache.get("answer") == {"ok": 1}
    assert redis_cache._cache.get_client("c") is client


@pytest.mark.broker
def test_hit_counts_every_event_once_across_threads(redis_cache):
    def hammer():
        for _ in range(50):
            hit("flood", 60, cache=redis_cache)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert redis_cache.get("flood") == 400  # a plain integer, readable with get()
    assert hit("flood", 60, cache=redis_cache) == 401
    assert 1 <= seconds_left("flood", 999, cache=redis_cache) <= 60
    assert seconds_left("never-hit", 7, cache=redis_cache) == 7


@pytest.mark.broker
def test_a_window_expires_with_its_first_event(redis_cache):
    assert hit("short", 1, cache=redis_cache) == 1
    client = redis_cache._cache.get_client("short")
    client.delete(redis_cache.make_and_validate_key("short"))  # as Redis does when it expires
    assert hit("short", 1, cache=redis_cache) == 1


def test_hit_on_a_local_memory_cache():
    cache = LocMemCache("hits", {})
    assert [hit("k", 60, cache=cache) for _ in range(3)] == [1, 2, 3]
    assert seconds_left("k", 60, cache=cache) == 60


def test_the_anonymous_limit_refuses_with_retry_after(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/min",
        },
    }
    answers = [client.get("/api/v1/catalog/services/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_an_anonymous_request_is_counted_once(client):
    from django.core.cache import cache

    client.get("/api/v1/catalog/services/", REMOTE_ADDR="10.9.8.7")
    assert cache.get("throttle_anon_10.9.8.7") == 1
    assert cache.get("throttle_user_10.9.8.7") is None


@pytest.fixture
def cached_db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def test_a_token_on_cached_db_is_refused_after_logout(cached_db_sessions, client):
    test_identity.test_a_token_is_refused_after_logout(client)


def test_a_token_on_cached_db_is_refused_after_deactivation(cached_db_sessions, client):
    test_identity.test_a_token_is_refused_after_the_account_is_deactivated(client)


def test_revoked_sessions_on_cached_db_are_refused(cached_db_sessions, client):
    test_identity.test_a_citizen_lists_and_revokes_their_other_sessions(client)


def session_queries(client, token) -> list[str]:
    from django.db import connection

    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        assert test_identity.me(client, token).status_code == 200
    return [sql for sql in seen if "django_session" in sql]


@pytest.mark.parametrize("engine", ["cached_db", "db"])
def test_a_token_on_cached_db_is_read_from_the_cache(settings, engine):
    from tests.factories import UserFactory

    settings.SESSION_ENGINE = f"django.contrib.sessions.backends.{engine}"
    UserFactory(email="rina@example.test")
    client = Client()
    token = test_identity.login(client, "rina@example.test").json()["meta"]["session_token"]
    session_queries(client, token)
    assert bool(session_queries(client, token)) == (engine == "db")

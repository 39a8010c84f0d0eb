"""The API platform: the index, health checks, error shape, paging, throttling, the schema."""

from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from balikpapan_untuk_warga.api.pagination import (
    StrictCursorPagination,
    StrictLimitOffsetPagination,
)
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_api_root_lists_endpoints_and_modules(client):
    body = client.get("/api/v1/").json()
    assert body["version"] == "v1"
    assert body["endpoints"]["me"].endswith("/api/v1/me/")
    assert isinstance(body["modules"], list)


def test_healthz(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_readyz_ok(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"] == "ok"


@pytest.fixture
def no_broker(settings):
    settings.CELERY_BROKER_URL = ""


@pytest.mark.django_db
def test_readyz_fails_when_the_database_is_down(client, no_broker):
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "cache": "ok"},
    }


@pytest.mark.django_db
def test_readyz_fails_when_the_cache_is_down(client, no_broker):
    with mock.patch("balikpapan_untuk_warga.health.cache.set", side_effect=ConnectionError):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"


@pytest.mark.django_db
def test_readyz_checks_the_broker_when_one_is_configured(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.READYZ_TIMEOUT = 0.5
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


def _paginate(paginator, query: str):
    request = Request(APIRequestFactory().get(f"/x/{query}"))
    return paginator.get_limit(request), paginator.get_offset(request)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", (20, 0)),
        ("?limit=5&offset=10", (5, 10)),
        ("?limit=100000", (100, 0)),
        ("?limit=100", (100, 0)),
    ],
)
def test_limit_offset_is_bounded(query, expected):
    assert _paginate(StrictLimitOffsetPagination(), query) == expected


@pytest.mark.parametrize(
    "query",
    [
        "?limit=0",
        "?limit=-1",
        "?limit=abc",
        "?limit=",
        "?offset=-5",
        "?offset=null",
        "?limit=1e3",
        "?limit=９",
        "?offset=99999999999",
    ],
)
def test_junk_paging_is_a_400(query):
    with pytest.raises(ValidationError):
        _paginate(StrictLimitOffsetPagination(), query)


def test_cursor_page_size_is_capped():
    paginator = StrictCursorPagination()
    request = Request(APIRequestFactory().get("/x/?page_size=100000"))
    assert paginator.get_page_size(request) == 100
    with pytest.raises(ValidationError):
        paginator.get_page_size(Request(APIRequestFactory().get("/x/?page_size=-3")))


@pytest.mark.django_db
def test_user_throttle_answers_429_in_the_shared_shape(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": "3/min",
        },
    }
    client.force_login(UserFactory())
    codes = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/me/")
    assert response.json()["errors"][0]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_anonymous_throttle_is_per_ip(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "2/min",
        },
    }
    codes = [client.get("/api/v1/", REMOTE_ADDR="10.0.0.1").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get("/api/v1/", REMOTE_ADDR="10.0.0.2").status_code == 200


@pytest.mark.django_db
def test_login_code_requests_are_limited_per_number(client):
    """allauth limits code requests to 3 a minute per number and says so as a field error."""
    UserFactory(phone="+6281299990000")
    responses = [
        client.post(
            "/_allauth/app/v1/auth/code/request",
            {"phone": "+6281299990000"},
            content_type="application/json",
        )
        for _ in range(4)
    ]
    assert [r.status_code for r in responses] == [401, 401, 401, 400]
    assert responses[-1].json()["errors"][0]["code"] == "too_many_login_attempts"


@pytest.mark.django_db
def test_repeated_phone_signup_is_429_not_500(client):
    """allauth raises RateLimited from inside its signup view; our middleware answers 429."""
    payload = {"phone": "+6281200000123", "password": "Sandi-Uji-2026!"}
    first = client.post("/_allauth/app/v1/auth/signup", payload, content_type="application/json")
    second = client.post("/_allauth/app/v1/auth/signup", payload, content_type="application/json")
    assert (first.status_code, second.status_code) == (401, 429)
    assert second.json()["errors"][0]["code"] == "too_many_requests"


@pytest.mark.django_db
def test_schema_generates_without_warnings_and_matches_the_committed_file(tmp_path):
    out = tmp_path / "openapi.yaml"
    # The committed schema is in English, the language the code is written in.
    call_command("spectacular", "--fail-on-warn", "--validate", "--lang", "en", "--file", str(out))
    committed = (ROOT / "docs" / "openapi.yaml").read_text()
    assert out.read_text() == committed, (
        "The API changed: run `make schema` and commit docs/openapi.yaml"
    )


@pytest.mark.django_db
def test_schema_documents_errors_and_idempotency(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    patch = schema["paths"]["/api/v1/me/"]["patch"]
    assert {"400", "401", "403", "409", "422", "429"} <= set(patch["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in patch["parameters"])
    assert list(patch["requestBody"]["content"]) == ["application/json"]
    get = schema["paths"]["/api/v1/me/"]["get"]
    assert {"401", "429"} <= set(get["responses"])
    assert "409" not in get["responses"]


def test_docs_pages_render_with_local_assets(client):
    for url in ("/api/docs/", "/api/redoc/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"cdn.jsdelivr.net" not in response.content  # served by us: no internet needed
        assert b"/static/drf_spectacular_sidecar/" in response.content


@pytest.mark.broker
@pytest.mark.django_db
def test_readyz_with_redis_as_cache_and_broker(client, settings):
    import os

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CELERY_BROKER_URL"],
        }
    }
    settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}

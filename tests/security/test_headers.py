"""Security headers (CSP, HSTS, frame, referrer and permissions policies) and CORS."""

import os
import subprocess
import sys

import pytest

from tests.platform.test_settings import _manage, _production_env

APP_ORIGIN = "https://app.balikpapan.go.id"
HTML_PAGES = [
    "/",  # the portal's home
    "/layanan/",  # the portal's catalog
    "/accounts/login/",  # allauth's sign-in page
    "/admin/login/",  # the Django admin
    "/api/docs/",  # Swagger UI
    "/api/redoc/",  # Redoc
]


def _directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*HTML_PAGES, "/api/v1/", "/api/v1/catalog/services/"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="id")

    assert response.status_code == 200, path
    csp = _directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    permissions = response["Permissions-Policy"]
    assert "geolocation=(self)" in permissions
    assert "camera=()" in permissions
    assert "microphone=()" in permissions


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/layanan/", "/accounts/login/", "/admin/login/", "/api/v1/"]
)
def test_no_inline_script_or_style_is_allowed_outside_the_api_docs(client, path):
    csp = client.get(path)["Content-Security-Policy"]

    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert _directives(csp)["style-src"] == ["'self'"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_docs_may_have_inline_styles_only(client, path):
    csp = _directives(client.get(path)["Content-Security-Policy"])

    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_swagger_ui_loads_its_start_up_script_as_a_file(client):
    page = client.get("/api/docs/").content.decode()

    assert "<script>" not in page
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_the_oidc_consent_page_alone_may_submit_to_the_client_app(client):
    csp = _directives(client.get("/identity/o/authorize")["Content-Security-Policy"])

    assert "form-action" not in csp
    assert csp["script-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("env", "enforced", "report_only"),
    [
        ({}, True, False),
        ({"CSP_REPORT_ONLY": "1", "CSP_REPORT_URI": "/csp-report"}, False, True),
    ],
)
def test_report_only_mode_is_switched_by_the_environment(env, enforced, report_only):
    code = (
        "from balikpapan_untuk_warga import settings as s;"
        "print(hasattr(s, 'CONTENT_SECURITY_POLICY'), hasattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY'),"
        " (getattr(s, 'CONTENT_SECURITY_POLICY', None) or s.CONTENT_SECURITY_POLICY_REPORT_ONLY)"
        "['DIRECTIVES'].get('report-uri'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "CSP_REPORT_ONLY": "0", "CSP_REPORT_URI": "", **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()

    assert out[:2] == [str(enforced), str(report_only)]
    assert out[2] == ("['/csp-report']" if report_only else "None")


@pytest.mark.django_db
def test_report_only_policy_is_sent_instead_of_the_enforced_one(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY

    response = client.get("/api/docs/")

    assert "Content-Security-Policy" not in response
    policy = _directives(response["Content-Security-Policy-Report-Only"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]  # the path exception applies too


def test_production_settings_send_hsts_over_https():
    code = (
        "from django.test import Client;"
        "r = Client().get('/healthz', secure=True, HTTP_HOST='warga.balikpapan.go.id');"
        "print(r.status_code, r['Strict-Transport-Security'], sep='|')"
    )
    result = _manage("shell", "--no-imports", "-c", code, **_production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200|max-age=31536000; includeSubDomains; preload"


# --- CORS -----------------------------------------------------------------------------------


@pytest.fixture
def app_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP_ORIGIN]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/catalog/services/", "/_allauth/app/v1/config"])
def test_a_configured_app_origin_may_call_the_api(client, app_origin, path):
    response = client.get(path, HTTP_ORIGIN=APP_ORIGIN)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_a_preflight_from_a_configured_origin_allows_the_session_token(client, app_origin):
    response = client.options(
        "/api/v1/me/",
        HTTP_ORIGIN=APP_ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-session-token, content-type, idempotency-key",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP_ORIGIN
    allowed = response["Access-Control-Allow-Headers"].split(", ")
    assert {"x-session-token", "content-type", "idempotency-key"} <= set(allowed)
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("origin", "path"),
    [
        ("https://evil.example", "/api/v1/catalog/services/"),  # an origin that is not configured
        ("https://evil.example", "/_allauth/app/v1/config"),
        (APP_ORIGIN, "/"),  # a configured origin, outside /api/ and /_allauth/
        (APP_ORIGIN, "/accounts/login/"),
    ],
)
def test_no_cors_for_other_origins_or_paths(client, app_origin, origin, path):
    response = client.get(path, HTTP_ORIGIN=origin)

    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.django_db
def test_no_origin_is_allowed_by_default(client):
    response = client.get("/api/v1/catalog/services/", HTTP_ORIGIN=APP_ORIGIN)

    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        "/api/v1/catalog/services/",
        HTTP_ORIGIN=APP_ORIGIN,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert "Access-Control-Allow-Origin" not in preflight

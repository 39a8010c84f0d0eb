"""The city identity as an OpenID Connect provider: authorization code + PKCE, end to end.

An agency application outside this system ("relying party") sends the citizen to
/identity/o/authorize, the citizen logs in and consents, the application swaps the code for
tokens at /identity/o/api/token and reads /identity/o/api/userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import io
import re
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client

import accounts.admin_oidc  # noqa: F401 — accounts/admin.py imports it in the running project
from accounts.oidc_demo import DEMO_CLIENT_ID, demo_client_secret, seed_demo_oidc_client
from tests.factories import PASSWORD, UserFactory

CLIENT_ID = "opd-perizinan"
CLIENT_NAME = "Sistem Perizinan DPMPTSP"
CLIENT_SECRET = "rahasia-klien-uji-0123456789"
REDIRECT_URI = "https://perizinan.example.test/oidc/callback"
AUTHORIZE = "/identity/o/authorize"
TOKEN = "/identity/o/api/token"
USERINFO = "/identity/o/api/userinfo"


# --- helpers ----------------------------------------------------------------------------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def basic_auth(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode("ascii")


def hidden_value(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html) or re.search(
        rf'value="([^"]+)" name="{name}"', html
    )
    assert match, f"no hidden field {name!r} in the page"
    return match.group(1)


def authorize_params(challenge: str, **overrides) -> dict[str, str]:
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email",
        "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return params


def consent(client, page, action: str = "grant", scopes=("openid", "profile", "email")):
    html = page.content.decode()
    return client.post(
        AUTHORIZE,
        {
            "csrfmiddlewaretoken": hidden_value(html, "csrfmiddlewaretoken"),
            "request": hidden_value(html, "request"),
            "scopes": list(scopes),
            "action": action,
        },
    )


def get_code(client, user, **overrides) -> tuple[str, str, dict[str, str]]:
    """Log in, authorize and allow; return (code, code_verifier, authorize params)."""
    client.force_login(user)
    verifier, challenge = pkce_pair()
    params = authorize_params(challenge, **overrides)
    page = client.get(AUTHORIZE, params)
    assert page.status_code == 200, page
    response = consent(client, page, scopes=params["scope"].split())
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["code"][0], verifier, params


def exchange(client, code: str, verifier: str | None, redirect_uri: str = REDIRECT_URI, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post(TOKEN, data, HTTP_AUTHORIZATION=extra.pop("auth", basic_auth()), **extra)


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def rp(db) -> Client:
    """A registered agency application (a confidential client)."""
    rp = Client(id=CLIENT_ID, name=CLIENT_NAME, type=Client.Type.CONFIDENTIAL)
    rp.set_secret(CLIENT_SECRET)
    rp.set_redirect_uris([REDIRECT_URI])
    rp.set_scopes(["openid", "profile", "email", "phone"])
    rp.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
    rp.set_response_types([Client.ResponseType.CODE])
    rp.save()
    return rp


@pytest.fixture
def citizen(db):
    user = UserFactory(full_name="Siti Rahmawati", preferred_language="id")
    user.set_nik("6471054107990042")
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


# --- the whole flow ---------------------------------------------------------------------------


def test_authorization_code_flow_with_pkce(client, rp, citizen):
    # 1. Discovery.
    discovery = client.get("/.well-known/openid-configuration").json()
    issuer = discovery["issuer"]
    assert issuer == "http://testserver"
    assert discovery["authorization_endpoint"] == f"{issuer}{AUTHORIZE}"
    assert discovery["token_endpoint"] == f"{issuer}{TOKEN}"
    assert discovery["userinfo_endpoint"] == f"{issuer}{USERINFO}"
    assert discovery["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "profile", "email", "phone"} <= set(discovery["scopes_supported"])
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]

    # 2. Not logged in yet: the portal login, then back to the authorization request.
    verifier, challenge = pkce_pair()
    params = authorize_params(challenge)
    authorize_url = f"{AUTHORIZE}?{urlencode(params)}"
    response = client.get(authorize_url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 302
    login_url = response["Location"]
    assert urlsplit(login_url).path == "/accounts/login/"
    login_page = client.get(login_url, HTTP_ACCEPT_LANGUAGE="id")
    response = client.post(
        login_url,
        {
            "login": citizen.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": hidden_value(login_page.content.decode(), "csrfmiddlewaretoken"),
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == authorize_url

    # 3. The consent screen, in the portal layout, in Indonesian.
    client.handler.enforce_csrf_checks = True  # the consent form must carry its CSRF token
    page = client.get(authorize_url, HTTP_ACCEPT_LANGUAGE="id")
    assert page.status_code == 200
    assert page["Content-Language"] == "id"
    html = page.content.decode()
    assert '<html lang="id">' in html
    assert CLIENT_NAME in html
    assert '<button type="submit" name="action" value="grant"' in html
    assert '<button type="submit" name="action" value="deny"' in html
    assert "<fieldset" in html and "<legend>" in html
    for scope in ("openid", "profile", "email"):
        checkbox = re.search(
            rf'<input type="checkbox" name="scopes" value="{scope}" id="([^"]+)"', html
        )
        assert checkbox, scope
        assert f'<label for="{checkbox.group(1)}">' in html
    assert 'value="phone"' not in html  # allowed for the client, but not requested

    # 4. Allow: back to the application with a code and the same state.
    response = consent(client, page)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query["state"] == [params["state"]]
    code = query["code"][0]

    # 5. The application swaps the code (with the PKCE verifier) for tokens.
    response = exchange(client, code, verifier)
    assert response.status_code == 200, response.content
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert set(tokens["scope"].split()) == {"openid", "profile", "email"}
    assert response["Cache-Control"] == "no-store"

    # 6. The ID token is signed by a key published in the JWKS.
    jwks = client.get("/.well-known/jwks.json").json()
    kid = jwt.get_unverified_header(tokens["id_token"])["kid"]
    key = jwt.PyJWKSet.from_dict(jwks)[kid]
    claims = jwt.decode(
        tokens["id_token"], key.key, algorithms=["RS256"], audience=CLIENT_ID, issuer=issuer
    )
    assert claims["nonce"] == params["nonce"]
    assert claims["sub"] == str(citizen.uuid)
    assert claims["email"] == citizen.email
    assert "6471054107990042" not in str(claims)  # the NIK is never a claim
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(tokens["id_token"], key.key, algorithms=["RS256"], audience="another-app")

    # 7. Userinfo with the access token.
    client.logout()
    response = client.get(USERINFO, HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert response.status_code == 200, response.content
    userinfo = response.json()
    assert userinfo["sub"] == str(citizen.uuid)
    assert userinfo["email"] == citizen.email
    assert userinfo["email_verified"] is True
    assert userinfo["name"] == "Siti Rahmawati"
    assert userinfo["locale"] == "id"
    assert "phone_number" not in userinfo  # the phone scope was not granted
    assert "6471054107990042" not in response.content.decode()


def test_userinfo_rejects_a_missing_or_unknown_token(client, rp):
    assert client.get(USERINFO).status_code == 401
    assert client.get(USERINFO, HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_phone_scope_and_email_without_allauth_record(client, rp, db):
    """An account made outside allauth (no EmailAddress row) still releases its login email."""
    user = UserFactory(phone="+6281234567890", phone_verified=True)
    code, verifier, _ = get_code(client, user, scope="openid email phone")
    tokens = exchange(client, code, verifier).json()
    userinfo = client.get(USERINFO, HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert userinfo["email"] == user.email
    assert userinfo["email_verified"] is False
    assert userinfo["phone_number"] == "+6281234567890"
    assert userinfo["phone_number_verified"] is True
    assert "name" not in userinfo  # no profile scope


# --- what must fail ---------------------------------------------------------------------------


def test_wrong_code_verifier_is_refused(client, rp, citizen):
    code, _verifier, _ = get_code(client, citizen)
    response = exchange(client, code, pkce_pair()[0])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert "access_token" not in response.json()


def test_missing_code_verifier_is_refused(client, rp, citizen):
    code, _verifier, _ = get_code(client, citizen)
    response = exchange(client, code, None)
    assert response.status_code == 400
    assert "access_token" not in response.json()


def test_wrong_client_secret_is_refused(client, rp, citizen):
    code, verifier, _ = get_code(client, citizen)
    response = exchange(client, code, verifier, auth=basic_auth(secret="salah"))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_redirect_uri_must_match_at_the_token_endpoint(client, rp, citizen):
    code, verifier, _ = get_code(client, citizen)
    response = exchange(client, code, verifier, redirect_uri="https://perizinan.example.test/other")
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example.test/oidc/callback",
        "https://perizinan.example.test/oidc/callback/../../steal",
        "http://perizinan.example.test/oidc/callback",
    ],
)
def test_unregistered_redirect_uri_shows_an_error_page_and_never_redirects(
    client, rp, citizen, redirect_uri
):
    client.force_login(citizen)
    _verifier, challenge = pkce_pair()
    response = client.get(
        AUTHORIZE, authorize_params(challenge, redirect_uri=redirect_uri), HTTP_ACCEPT_LANGUAGE="id"
    )
    assert response.status_code == 200
    assert "Location" not in response
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert 'class="idp-error"' in html and "<code>invalid_request</code>" in html
    assert not re.search(r'(href|action)="[^"]*(evil|/steal|http://perizinan)', html)
    assert 'value="grant"' not in html
    # The explanation (checked in English: the Indonesian catalogue is compiled separately).
    english = client.get(
        AUTHORIZE, authorize_params(challenge, redirect_uri=redirect_uri), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "not registered for it" in english.content.decode()
    assert "Location" not in english


def test_unknown_client_shows_an_error_page(client, rp, citizen):
    client.force_login(citizen)
    _verifier, challenge = pkce_pair()
    response = client.get(
        AUTHORIZE, authorize_params(challenge, client_id="no-such-app"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Location" not in response
    assert "is not registered with Balikpapan Untuk Warga" in response.content.decode()


def test_deny_redirects_with_access_denied(client, rp, citizen):
    client.force_login(citizen)
    _verifier, challenge = pkce_pair()
    params = authorize_params(challenge)
    page = client.get(AUTHORIZE, params)
    response = consent(client, page, action="deny")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    query = parse_qs(location.query)
    assert query == {"error": ["access_denied"], "state": [params["state"]]}


def test_consent_without_any_scope_is_shown_again_with_an_error(client, rp, citizen):
    client.force_login(citizen)
    page = client.get(AUTHORIZE, authorize_params(pkce_pair()[1]))
    response = consent(client, page, scopes=())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="scopes-errors"' in html and 'role="alert"' in html
    assert CLIENT_NAME in html


def test_a_code_can_be_used_only_once(client, rp, citizen):
    code, verifier, _ = get_code(client, citizen)
    assert exchange(client, code, verifier).status_code == 200
    again = exchange(client, code, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_scope_beyond_what_the_client_may_ask_is_refused(client, rp, citizen):
    rp.set_scopes(["openid", "email"])
    rp.save()
    client.force_login(citizen)
    params = authorize_params(pkce_pair()[1], scope="openid profile")
    response = client.get(AUTHORIZE, params)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["invalid_scope"]
    assert query["state"] == [params["state"]]


def test_logout_page_is_in_the_portal_layout(client, rp, citizen):
    client.force_login(citizen)
    response = client.get("/identity/o/logout", {"client_id": CLIENT_ID}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert '<button type="submit" name="action" value="logout"' in html
    assert '<button type="submit" name="action" value="stay"' in html


# --- the demo client --------------------------------------------------------------------------


def test_seed_demo_oidc_client_is_idempotent_and_its_secret_stable(db):
    first, second = io.StringIO(), io.StringIO()
    seed_demo_oidc_client(first)
    demo = Client.objects.get(id=DEMO_CLIENT_ID)
    demo.name = "changed"
    demo.set_secret("lost")
    demo.save()
    seed_demo_oidc_client(second)

    assert Client.objects.filter(id=DEMO_CLIENT_ID).count() == 1
    demo = Client.objects.get(id=DEMO_CLIENT_ID)
    secret = demo_client_secret()
    assert demo.check_secret(secret)
    assert secret in first.getvalue() and secret in second.getvalue()
    assert DEMO_CLIENT_ID in first.getvalue()
    assert demo.name == "Aplikasi OPD Demo"
    assert demo.type == Client.Type.CONFIDENTIAL
    assert demo.get_redirect_uris() == [
        "http://127.0.0.1:8001/callback",
        "http://localhost:8001/callback",
    ]
    assert demo.get_scopes() == ["openid", "profile", "email", "phone"]
    assert demo.get_grant_types() == ["authorization_code"]
    assert demo.get_response_types() == ["code"]


def test_demo_client_can_log_a_citizen_in(client, citizen):
    seed_demo_oidc_client(io.StringIO())
    client.force_login(citizen)
    verifier, challenge = pkce_pair()
    params = authorize_params(
        challenge,
        client_id=DEMO_CLIENT_ID,
        redirect_uri="http://localhost:8001/callback",
        scope="openid profile email phone",
    )
    page = client.get(AUTHORIZE, params)
    assert "Aplikasi OPD Demo" in page.content.decode()
    response = consent(client, page, scopes=("openid", "profile", "email", "phone"))
    code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    response = exchange(
        client,
        code,
        verifier,
        redirect_uri="http://localhost:8001/callback",
        auth=basic_auth(DEMO_CLIENT_ID, demo_client_secret()),
    )
    assert response.status_code == 200, response.content
    assert "id_token" in response.json()


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    """A superuser's browser, in English (the messages below are checked in English)."""
    admin = UserFactory(is_staff=True, is_superuser=True, preferred_language="en")
    client.force_login(admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_admin_lists_searches_and_filters_clients(admin_client, rp):
    url = "/admin/allauth_idp_oidc/client/"
    for query in ("", "?q=Perizinan", "?q=perizinan.example.test", "?type__exact=confidential"):
        response = admin_client.get(url + query)
        assert response.status_code == 200, query
        assert CLIENT_NAME in response.content.decode(), query
    assert CLIENT_NAME not in admin_client.get(url + "?type__exact=public").content.decode()
    change = admin_client.get(f"{url}{CLIENT_ID}/change/").content.decode()
    assert "Stored hashed and cannot be shown again" in change
    assert rp.secret not in change  # not even the hash


def shown_secret(html: str) -> str:
    match = re.search(r'id="secret-1" type="text" readonly size="\d+" value="([^"]+)"', html)
    assert match, "no secret on the page"
    secret = html_lib.unescape(match.group(1))
    assert re.fullmatch(r"[A-Za-z0-9_-]{40,}", secret)  # URL-safe: no %-encoding trouble
    return secret


def _client_form(**overrides) -> dict[str, str]:
    data = {
        "id": "opd-baru",
        "name": "Aplikasi Baru",
        "type": "confidential",
        "redirect_uris": "https://baru.example.test/callback",
        "cors_origins": "",
        "scopes": "openid\nprofile\nemail",
        "default_scopes": "",
        "grant_types": "authorization_code",
        "response_types": "code",
        "owner": "",
    }
    data.update(overrides)
    return data


def test_admin_add_shows_the_secret_once(admin_client):
    response = admin_client.post("/admin/allauth_idp_oidc/client/add/", _client_form())
    assert response.status_code == 200, response.content.decode()[:3000]
    html = response.content.decode()
    secret = shown_secret(html)
    assert Client.objects.get(id="opd-baru").check_secret(secret)
    assert "no-store" in response["Cache-Control"]
    # Not kept anywhere it could be shown again.
    assert secret not in admin_client.get("/admin/allauth_idp_oidc/client/").content.decode()
    assert (
        secret
        not in admin_client.get("/admin/allauth_idp_oidc/client/opd-baru/change/").content.decode()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"redirect_uris": "http://baru.example.test/callback"}, "must use https://"),
        ({"redirect_uris": "javascript:alert(1)"}, "this kind of address is not allowed"),
        ({"redirect_uris": "https://baru.example.test/cb#x"}, "must not contain a fragment"),
        ({"redirect_uris": ""}, "needs at least one redirect URI"),
        ({"scopes": "openid\nnik"}, "Unsupported scope: nik"),
        ({"scopes": "profile"}, "The openid scope is required"),
        ({"grant_types": "password"}, "Unsupported grant type: password"),
        ({"default_scopes": "phone"}, "Default scopes must be among the allowed scopes"),
    ],
)
def test_admin_validates_the_client(admin_client, overrides, message):
    response = admin_client.post("/admin/allauth_idp_oidc/client/add/", _client_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Client.objects.filter(id="opd-baru").exists()


def test_admin_accepts_localhost_redirects(admin_client):
    form = _client_form(redirect_uris="http://localhost:8001/callback\nhttp://127.0.0.1:8001/cb")
    response = admin_client.post("/admin/allauth_idp_oidc/client/add/", form)
    assert response.status_code == 200
    assert Client.objects.filter(id="opd-baru").exists()


def test_admin_generates_a_new_secret_after_confirmation(admin_client, rp):
    url = "/admin/allauth_idp_oidc/client/"
    data = {"action": "generate_new_secret", "_selected_action": [CLIENT_ID]}
    confirm = admin_client.post(url, data)
    assert confirm.status_code == 200
    assert "Yes, generate a new secret" in confirm.content.decode()
    rp.refresh_from_db()
    assert rp.check_secret(CLIENT_SECRET)  # nothing changed yet

    response = admin_client.post(url, {**data, "confirm": "yes"})
    html = response.content.decode()
    secret = shown_secret(html)
    rp.refresh_from_db()
    assert rp.check_secret(secret)
    assert not rp.check_secret(CLIENT_SECRET)


@pytest.mark.parametrize(
    "name",
    [
        "authorization_form",
        "base",
        "device_authorization_code_form",
        "device_authorization_confirm_form",
        "device_authorization_confirmed",
        "device_authorization_denied",
        "error",
        "logout",
        "admin/client_secret",
    ],
)
def test_the_project_overrides_every_idp_template(name):
    from django.template.loader import get_template

    template = get_template(f"idp/oidc/{name}.html")
    assert "/templates/idp/oidc/" in str(template.origin.name)
    assert "site-packages" not in str(template.origin.name)

"""Two-factor authentication (docs/security.md, "Two-factor authentication for staff"): staff
reach neither the admin nor the API without an authenticator app *and* a session that passed its
code (``accounts.mfa``); citizens may opt in, and then every login asks for the code.

Sign-ins here are real ones (allauth's headless ``app`` client, the portal's pages, or Django's
``client.login``), never the suite's ``force_login``/``force_authenticate``, which record an MFA
step for staff (tests/conftest.py)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client
from django.urls import reverse

from accounts.models import AgencyMembership
from tests.accounts.test_auth_flows import APP, post
from tests.factories import (
    PASSWORD,
    AgencyFactory,
    StaffFactory,
    UserFactory,
    totp_code,
)

pytestmark = pytest.mark.django_db

STAFF_API = "/api/v1/kesehatan/staff/sessions/"
ADMIN = "/admin/"


@pytest.fixture
def officer():
    return StaffFactory(
        email="petugas@example.test",
        role=AgencyMembership.Role.COUNTER_OFFICER,
        role__agency=AgencyFactory(code="dkk"),
    )


@pytest.fixture
def officer_without_totp():
    return StaffFactory(
        email="baru@example.test",
        totp=False,
        role=AgencyMembership.Role.COUNTER_OFFICER,
        role__agency=AgencyFactory(code="dkk"),
    )


def login(client, email, password=PASSWORD):
    return post(client, f"{APP}/auth/login", {"email": email, "password": password})


def reauthenticate(client, token, password=PASSWORD):
    return post(client, f"{APP}/auth/reauthenticate", {"password": password}, token=token)


def authenticate(client, token, code):
    return post(client, f"{APP}/auth/2fa/authenticate", {"code": code}, token=token)


def pending_flow(response) -> str | None:
    flows = response.json()["data"]["flows"]
    return next((f["id"] for f in flows if f.get("is_pending")), None)


def signed_in_with_code(client, email, code=None) -> str:
    """The real app flow: password → 401 with ``mfa_authenticate`` pending → the code → token."""
    first = login(client, email)
    assert first.status_code == 401
    assert pending_flow(first) == "mfa_authenticate"
    token = first.json()["meta"]["session_token"]
    second = authenticate(client, token, code or totp_code())
    assert second.status_code == 200, second.json()
    return second.json()["meta"]["session_token"]


def assert_mfa_required(response):
    assert response.status_code == 403
    body = response.json()
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "mfa_required"


# --- staff without an authenticator app -------------------------------------------------------


def test_staff_without_totp_gets_no_admin_and_no_api(client, officer_without_totp):
    # allauth has no code to ask for: the password signs in, the gate refuses
    response = login(client, officer_without_totp.email)
    assert response.status_code == 200
    token = response.json()["meta"]["session_token"]
    assert_mfa_required(client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token))
    assert_mfa_required(client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token))

    browser = Client()
    assert browser.login(email=officer_without_totp.email, password=PASSWORD)
    response = browser.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fadmin%2F"
    assert_mfa_required(browser.get(STAFF_API))
    page = browser.get(response["Location"], follow=True)
    assert "autentikasi dua faktor" in page.content.decode().lower()


def test_staff_activating_totp_in_the_app_can_go_on(client, officer_without_totp):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    token = login(client, officer_without_totp.email).json()["meta"]["session_token"]
    # allauth asks for the password again before adding an authenticator
    assert reauthenticate(client, token).status_code == 200
    url = f"{APP}/account/authenticators/totp"
    setup = client.get(url, HTTP_X_SESSION_TOKEN=token)
    assert setup.status_code == 404  # not active yet; the response carries a fresh secret
    secret = setup.json()["meta"]["secret"]
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = post(client, url, {"code": code}, token=token)
    assert response.status_code == 200
    # the valid code from the new app was this session's MFA step
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_staff_activating_totp_on_the_portal_reach_the_admin(officer_without_totp):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    browser = Client()
    assert browser.login(email=officer_without_totp.email, password=PASSWORD)
    setup = browser.get(ADMIN)["Location"]
    # allauth first asks for the password again, then shows the secret and its QR code
    reauth = browser.get(setup)
    assert reauth.status_code == 302 and reauth["Location"].startswith(
        reverse("account_reauthenticate")
    )
    back = browser.post(reauth["Location"], {"password": PASSWORD})
    assert back.status_code == 302
    page = browser.get(setup)
    assert page.status_code == 200
    secret = browser.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()
    done = browser.post(setup, {"code": totp_code(secret)})
    assert done.status_code == 302
    assert browser.get(ADMIN).status_code == 200
    assert browser.get(STAFF_API).status_code == 200


# --- staff with an authenticator app, session without its code ------------------------------


def test_a_password_only_session_of_staff_with_totp_is_refused(officer):
    browser = Client()
    assert browser.login(email=officer.email, password=PASSWORD)  # Django's login: no MFA stage
    response = browser.get(ADMIN)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    assert_mfa_required(browser.get(STAFF_API))
    # the admin's own login page stays reachable
    assert browser.get(reverse("admin:login")).status_code in (200, 302)

    # entering the code on the portal's page lets the session in
    page = browser.post(response["Location"], {"code": totp_code()})
    assert page.status_code == 302 and page["Location"] == ADMIN
    assert browser.get(ADMIN).status_code == 200
    assert browser.get(STAFF_API).status_code == 200


def test_the_app_login_asks_staff_for_the_code_then_the_api_works(client, officer):
    first = login(client, officer.email)
    assert first.status_code == 401
    assert pending_flow(first) == "mfa_authenticate"
    # the half-signed-in token reaches nothing
    half = first.json()["meta"]["session_token"]
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=half).status_code == 401

    second = authenticate(client, half, totp_code())
    assert second.status_code == 200
    token = second.json()["meta"]["session_token"]
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token).status_code == 200
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200


def test_the_gate_follows_the_authenticator(client, officer):
    token = signed_in_with_code(client, officer.email)
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token).status_code == 200
    Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).delete()
    assert_mfa_required(client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token))


def test_a_wrong_code_is_refused(client, officer):
    first = login(client, officer.email)
    token = first.json()["meta"]["session_token"]
    code = totp_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert authenticate(client, token, wrong).status_code == 400
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token).status_code == 401


# --- recovery codes ---------------------------------------------------------------------------


def test_a_recovery_code_works_once_and_only_once(client, officer):
    codes = RecoveryCodes.activate(officer).get_unused_codes()
    token = signed_in_with_code(Client(), officer.email, code=codes[0])
    assert client.get(STAFF_API, HTTP_X_SESSION_TOKEN=token).status_code == 200

    again = login(Client(), officer.email)
    replay = authenticate(client, again.json()["meta"]["session_token"], codes[0])
    assert replay.status_code == 400
    other = authenticate(client, again.json()["meta"]["session_token"], codes[1])
    assert other.status_code == 200


# --- brute force --------------------------------------------------------------------------------


def test_wrong_codes_spend_the_login_budget(client, officer):
    """allauth counts a wrong code as a failed login of the account ("login_failed": 5 per 15
    minutes, settings.ACCOUNT_RATE_LIMITS); after 5, even the right code is refused."""
    token = login(client, officer.email).json()["meta"]["session_token"]
    code = totp_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = authenticate(client, token, wrong)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "incorrect_code"
    locked = authenticate(client, token, totp_code())
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"


# --- citizens opt in ----------------------------------------------------------------------------


def test_a_citizen_may_opt_in_and_then_login_asks_for_the_code(
    client,
):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    citizen = UserFactory(email="warga@example.test")
    token = login(client, citizen.email).json()["meta"]["session_token"]
    # not gated before (nor after) opting in
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
    assert reauthenticate(client, token).status_code == 200
    url = f"{APP}/account/authenticators/totp"
    secret = client.get(url, HTTP_X_SESSION_TOKEN=token).json()["meta"]["secret"]
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    assert post(client, url, {"code": code}, token=token).status_code == 200
    # recovery codes come with it
    codes = client.get(f"{APP}/account/authenticators/recovery-codes", HTTP_X_SESSION_TOKEN=token)
    assert codes.status_code == 200 and len(codes.json()["data"]["unused_codes"]) == 10

    first = login(Client(), citizen.email)
    assert first.status_code == 401 and pending_flow(first) == "mfa_authenticate"
    assert authenticate(client, first.json()["meta"]["session_token"], "000000").status_code == 400
    new_token = signed_in_with_code(
        Client(), citizen.email, code=codes.json()["data"]["unused_codes"][0]
    )
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=new_token).status_code == 200


def test_the_portal_links_and_renders_the_two_factor_pages(client):
    citizen = UserFactory(email="warga@example.test")
    client.force_login(citizen)
    profile = client.get(reverse("portal:profile")).content.decode()
    assert reverse("mfa_index") in profile
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<style" not in body and " style=" not in body
    assert 'class="account-nav"' in body  # the portal's account layout


def test_the_schema_documents_mfa_required_for_staff_operations():
    import yaml
    from django.conf import settings

    schema = yaml.safe_load((settings.BASE_DIR / "docs" / "openapi.yaml").read_text())
    operation = schema["paths"]["/api/v1/kesehatan/staff/sessions/"]["get"]
    assert "403" in operation["responses"]
    assert "mfa_required" in schema["components"]["schemas"]["ErrorCode403Enum"]["enum"]


def test_the_demo_staff_have_the_documented_authenticator(settings):
    """A developer signs in as demo staff with the secret seed_demo prints (and the README)."""
    from io import StringIO

    from allauth.mfa.utils import decrypt
    from django.core.management import call_command

    from balikpapan_untuk_warga.management.commands.seed_demo import DEMO_TOTP_SECRET

    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue()
    readme = (settings.BASE_DIR / "README.md").read_text()
    assert DEMO_TOTP_SECRET in readme
    for email in ("petugas@demo.balikpapan.test", "admin@demo.balikpapan.test"):
        totp = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
        assert decrypt(totp.data["secret"]) == DEMO_TOTP_SECRET
    assert not Authenticator.objects.filter(user__email="warga@demo.balikpapan.test").exists()

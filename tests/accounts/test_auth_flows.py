"""Sign-up, login, codes, verification, password reset, logout and sessions through both
allauth headless clients: ``app`` (X-Session-Token) and ``browser`` (session cookie + CSRF)."""

import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


def post(client, url, data, token=None, **extra):
    if token:
        extra["HTTP_X_SESSION_TOKEN"] = token
    return client.post(url, data, content_type="application/json", **extra)


def sms_code(outbox) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1]["body"]).group(1)


def mail_code() -> str:
    return re.search(r"^\s*(\d{6})\s*$", mail.outbox[-1].body, re.M).group(1)


def test_app_signup_by_email_then_me_then_logout(client):
    response = post(
        client,
        f"{APP}/auth/signup",
        {"email": "Ani@Example.test", "password": PASSWORD, "full_name": "Ani Lestari"},
    )
    assert response.status_code == 200
    body = response.json()
    token = body["meta"]["session_token"]
    user = User.objects.get()
    assert body["data"]["user"]["id"] == str(user.uuid)  # never the database id
    assert (user.email, user.full_name, user.phone) == ("ani@example.test", "Ani Lestari", None)
    assert len(mail.outbox) == 1  # the verification link (email verification is optional)

    me = client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)
    assert me.status_code == 200
    assert me.json()["email"] == "ani@example.test"

    assert client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 401
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 401


def test_app_signup_by_phone_normalises_and_verifies_with_an_sms_code(client, sms_outbox):
    response = post(client, f"{APP}/auth/signup", {"phone": "0812-1111-2222", "password": PASSWORD})
    assert response.status_code == 401
    flows = {f["id"]: f for f in response.json()["data"]["flows"]}
    assert flows["verify_phone"]["is_pending"] is True
    token = response.json()["meta"]["session_token"]
    user = User.objects.get()
    assert (user.phone, user.phone_verified, user.email) == ("+6281211112222", False, None)
    assert sms_outbox[-1]["to"] == "+6281211112222"

    wrong = post(client, f"{APP}/auth/phone/verify", {"code": "000000"}, token)
    assert wrong.status_code == 400
    ok = post(client, f"{APP}/auth/phone/verify", {"code": sms_code(sms_outbox)}, token)
    assert ok.status_code == 200
    assert ok.json()["meta"]["is_authenticated"] is True
    user.refresh_from_db()
    assert user.phone_verified is True


def test_signup_needs_an_email_or_a_phone_and_writes_nothing(client):
    response = post(client, f"{APP}/auth/signup", {"password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "email_or_phone_required"
    assert not User.objects.exists()


@pytest.mark.parametrize("phone", ["12345", "0812", "+999123456"])
def test_signup_with_an_invalid_phone_is_a_field_error(client, phone):
    response = post(client, f"{APP}/auth/signup", {"phone": phone, "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["errors"][0]["param"] == "phone"
    assert not User.objects.exists()


def test_app_login_with_phone_and_with_email(client):
    user = UserFactory(email="budi@example.test", phone="+6281233334444")
    by_phone = post(client, f"{APP}/auth/login", {"phone": "+6281233334444", "password": PASSWORD})
    assert by_phone.status_code == 200
    assert by_phone.json()["data"]["user"]["id"] == str(user.uuid)
    by_email = post(
        client, f"{APP}/auth/login", {"email": "budi@example.test", "password": PASSWORD}
    )
    assert by_email.status_code == 200
    bad = post(client, f"{APP}/auth/login", {"email": "budi@example.test", "password": "salah"})
    assert bad.status_code == 400


def test_app_login_by_code_sent_by_sms(client, sms_outbox):
    UserFactory(phone="+6281255556666")
    response = post(client, f"{APP}/auth/code/request", {"phone": "+6281255556666"})
    assert response.status_code == 401
    token = response.json()["meta"]["session_token"]
    confirmed = post(client, f"{APP}/auth/code/confirm", {"code": sms_code(sms_outbox)}, token)
    assert confirmed.status_code == 200
    assert confirmed.json()["meta"]["is_authenticated"] is True


def test_login_code_for_an_unknown_number_reveals_nothing(client, sms_outbox):
    response = post(client, f"{APP}/auth/code/request", {"phone": "+6281277778888"})
    assert response.status_code == 401  # the same answer as for a known number
    # The SMS goes out in the default language, Indonesian.
    assert "tidak ada akun" in sms_outbox[-1]["body"]


def test_password_reset_by_code(client):
    UserFactory(email="citra@example.test")
    response = post(client, f"{APP}/auth/password/request", {"email": "citra@example.test"})
    token = response.json()["meta"]["session_token"]
    code = mail_code()
    reset = post(
        client, f"{APP}/auth/password/reset", {"key": code, "password": "Sandi-Baru-2027!"}, token
    )
    assert reset.status_code == 401  # reset done; the citizen now logs in with the new password
    login = post(
        client, f"{APP}/auth/login", {"email": "citra@example.test", "password": "Sandi-Baru-2027!"}
    )
    assert login.status_code == 200


def test_session_list_shows_the_app_session(client):
    UserFactory(email="dedi@example.test")
    token = post(
        client, f"{APP}/auth/login", {"email": "dedi@example.test", "password": PASSWORD}
    ).json()["meta"]["session_token"]
    sessions = client.get(f"{APP}/auth/sessions", HTTP_X_SESSION_TOKEN=token)
    assert sessions.status_code == 200
    assert len(sessions.json()["data"]) == 1
    assert sessions.json()["data"][0]["is_current"] is True


def test_browser_client_uses_the_session_cookie_and_csrf():
    user = UserFactory(email="eka@example.test")
    browser = Client(enforce_csrf_checks=True)
    browser.get(f"{BROWSER}/auth/session")
    csrf = browser.cookies["csrftoken"].value

    no_csrf = post(
        browser, f"{BROWSER}/auth/login", {"email": "eka@example.test", "password": PASSWORD}
    )
    assert no_csrf.status_code == 403
    login = post(
        browser,
        f"{BROWSER}/auth/login",
        {"email": "eka@example.test", "password": PASSWORD},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert login.status_code == 200
    assert "session_token" not in login.json().get("meta", {})  # cookies only for browsers

    me = browser.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["uuid"] == str(user.uuid)
    csrf = browser.cookies["csrftoken"].value
    patch_without_csrf = browser.patch(
        "/api/v1/me/", {"full_name": "Eka"}, content_type="application/json"
    )
    assert patch_without_csrf.status_code == 403
    assert patch_without_csrf.json()["type"] == "client_error"
    patched = browser.patch(
        "/api/v1/me/",
        {"full_name": "Eka Putri"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert patched.status_code == 200 and patched.json()["full_name"] == "Eka Putri"

    logout = browser.delete(f"{BROWSER}/auth/session", HTTP_X_CSRFTOKEN=csrf)
    assert logout.status_code == 401
    assert browser.get("/api/v1/me/").status_code == 401


def test_email_verification_link_verifies_the_address(client):
    signup = post(
        client, f"{APP}/auth/signup", {"email": "fajar@example.test", "password": PASSWORD}
    )
    token = signup.json()["meta"]["session_token"]
    link = re.search(r"https?://\S+/accounts/confirm-email/(\S+?)/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    verify = post(client, f"{APP}/auth/email/verify", {"key": unquote(link.group(1))}, token)
    assert verify.status_code == 200
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="fajar@example.test").verified is True


def test_portal_login_accepts_a_local_phone_number(client):
    user = UserFactory(phone="+6281244445555")
    response = client.post("/accounts/login/", {"login": "0812-4444-5555", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_portal_code_login_with_nothing_filled_in_is_a_form_error(client):
    response = client.post("/accounts/login/code/", {"email": "", "phone": ""})
    assert response.status_code == 200
    assert response.context["form"].errors

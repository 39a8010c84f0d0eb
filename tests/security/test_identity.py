"""Identity and sessions (docs/security.md, "Identity and sessions"): brute-force budgets, codes,
no account enumeration, dead tokens, and a citizen's own list of sessions.

Everything goes through the allauth headless ``app`` client (``X-Session-Token``)."""

import re
import statistics
import time

import pytest
from allauth.account import app_settings as account_settings
from django.core import mail
from django.test import Client

from accounts.models import User
from tests.accounts.test_auth_flows import APP, post, sms_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

FIFTEEN_MINUTES = 15 * 60


def mail_code() -> str:
    """The code on a line of its own, whatever its length (its format is asserted below)."""
    return re.search(r"^\s*(\d+)\s*$", mail.outbox[-1].body, re.M).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def clock(monkeypatch):
    """Moves ``time.time`` (used by allauth's code expiry and rate limits) forward on demand."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    class ShiftedTime:  # not a function, so a class attribute holding it never binds as a method
        def __init__(self, real):
            self.real = real

        def __call__(self) -> float:
            return self.real() + state.offset

    # Import every view first, so no module captures the shifted clock at import time (DRF's
    # throttles keep ``timer = time.time``).
    import rest_framework.throttling  # noqa: F401
    from django.urls import get_resolver

    get_resolver().url_patterns
    state = Clock()
    monkeypatch.setattr(time, "time", ShiftedTime(time.time))
    return state


def me(client, token):
    return client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token)


def login(client, email, password=PASSWORD, **extra):
    return post(client, f"{APP}/auth/login", {"email": email, "password": password}, **extra)


# --- brute force: passwords -----------------------------------------------------------------


def test_password_login_is_locked_per_account_after_five_failures(client, clock):
    UserFactory(email="ani@example.test")
    for _ in range(5):
        assert login(client, "ani@example.test", "salah-sandi").status_code == 400
    locked = login(client, "ani@example.test")  # the right password, sixth attempt
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"
    # Another IP does not help: the budget belongs to the account too.
    assert login(client, "ani@example.test", REMOTE_ADDR="10.9.9.9").status_code == 400
    clock.advance(FIFTEEN_MINUTES + 1)
    assert login(client, "ani@example.test").status_code == 200


def test_password_login_is_locked_per_ip_across_accounts(client, clock):
    UserFactory(email="budi@example.test")
    for n in range(5):
        assert (
            login(client, f"tebakan{n}@example.test", "salah", REMOTE_ADDR="10.1.1.1").status_code
            == 400
        )
    locked = login(client, "budi@example.test", REMOTE_ADDR="10.1.1.1")
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["code"] == "too_many_login_attempts"
    assert login(client, "budi@example.test", REMOTE_ADDR="10.2.2.2").status_code == 200


# --- brute force: codes ---------------------------------------------------------------------


def request_login_code(client, phone, **extra):
    response = post(client, f"{APP}/auth/code/request", {"phone": phone}, **extra)
    assert response.status_code == 401
    return response.json()["meta"]["session_token"]


def confirm_login_code(client, token, code, **extra):
    return post(client, f"{APP}/auth/code/confirm", {"code": code}, token, **extra)


def test_login_code_budget_is_per_account_across_codes(client, sms_outbox, clock):
    UserFactory(phone="+6281200000001")
    token = request_login_code(client, "+6281200000001")
    code = sms_code(sms_outbox)
    for _ in range(3):  # three wrong tries end this code
        assert confirm_login_code(client, token, wrong(code)).status_code in (400, 409)
    assert confirm_login_code(client, token, code).status_code == 409  # the code is gone
    token = request_login_code(client, "+6281200000001", REMOTE_ADDR="10.3.3.3")
    code = sms_code(sms_outbox)
    for _ in range(2):  # failures four and five, from another IP
        assert (
            confirm_login_code(client, token, wrong(code), REMOTE_ADDR="10.3.3.3").status_code
            == 400
        )
    refused = confirm_login_code(client, token, code, REMOTE_ADDR="10.3.3.3")  # right code
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "too_many_requests"
    clock.advance(FIFTEEN_MINUTES + 1)
    token = request_login_code(client, "+6281200000001")
    ok = confirm_login_code(client, token, sms_code(sms_outbox))
    assert ok.status_code == 200
    assert ok.json()["meta"]["is_authenticated"] is True


def test_password_reset_code_budget_is_per_account(client, clock):
    UserFactory(email="citra@example.test")

    def request_reset():
        response = post(client, f"{APP}/auth/password/request", {"email": "citra@example.test"})
        return response.json()["meta"]["session_token"], mail_code()

    def reset(token, key):
        return post(
            client,
            f"{APP}/auth/password/reset",
            {"key": key, "password": "Sandi-Baru-2027!"},
            token,
        )

    token, code = request_reset()
    for _ in range(3):
        assert reset(token, wrong(code)).status_code in (400, 409)
    token, code = request_reset()
    for _ in range(2):
        assert reset(token, wrong(code)).status_code == 400
    assert reset(token, code).status_code == 429
    assert not User.objects.get().check_password("Sandi-Baru-2027!")
    clock.advance(FIFTEEN_MINUTES + 1)
    token, code = request_reset()
    assert reset(token, code).status_code == 401  # done; the citizen logs in anew
    assert User.objects.get().check_password("Sandi-Baru-2027!")


def test_code_budget_is_per_ip_across_flows(client, sms_outbox, clock):
    """Three wrong login codes for one account and two wrong phone-verification codes for another,
    from the same IP: the right phone code is then refused."""
    UserFactory(phone="+6281200000002")
    token = request_login_code(client, "+6281200000002")
    code = sms_code(sms_outbox)
    for _ in range(3):
        confirm_login_code(client, token, wrong(code))
    signup = post(client, f"{APP}/auth/signup", {"phone": "081200000003", "password": PASSWORD})
    token = signup.json()["meta"]["session_token"]
    code = sms_code(sms_outbox)
    for _ in range(2):
        assert (
            post(client, f"{APP}/auth/phone/verify", {"code": wrong(code)}, token).status_code
            == 400
        )
    assert post(client, f"{APP}/auth/phone/verify", {"code": code}, token).status_code == 429
    assert User.objects.get(phone="+6281200000003").phone_verified is False


# --- codes: format, single use, lifetime ----------------------------------------------------


def test_codes_are_six_digits_and_live_at_most_ten_minutes(client, sms_outbox):
    for timeout in (
        account_settings.LOGIN_BY_CODE_TIMEOUT,
        account_settings.PASSWORD_RESET_BY_CODE_TIMEOUT,
        account_settings.PHONE_VERIFICATION_TIMEOUT,
        account_settings.EMAIL_VERIFICATION_BY_CODE_TIMEOUT,
    ):
        assert timeout <= 10 * 60
    UserFactory(phone="+6281200000004", email="dedi@example.test")
    request_login_code(client, "+6281200000004")
    post(client, f"{APP}/auth/signup", {"phone": "081200000005", "password": PASSWORD})
    post(client, f"{APP}/auth/password/request", {"email": "dedi@example.test"})
    codes = [m["body"] for m in sms_outbox] + [mail.outbox[-1].body]
    assert len(codes) == 3
    for body in codes[:2]:
        assert re.search(r"(?<!\d)\d{6}(?!\d)", body)
    assert re.fullmatch(r"\d{6}", mail_code())


def test_a_login_code_works_once(client, sms_outbox):
    UserFactory(phone="+6281200000006")
    token = request_login_code(client, "+6281200000006")
    code = sms_code(sms_outbox)
    assert confirm_login_code(client, token, code).status_code == 200
    # No pending flow is left to take the same code again, in this session or a new one.
    assert confirm_login_code(client, token, code).status_code in (409, 410)  # 410: flow over
    fresh = Client()
    token2 = request_login_code(fresh, "+6281200000006")
    new_code = sms_code(sms_outbox)
    if new_code != code:  # one chance in a million that the new code is the same
        assert confirm_login_code(fresh, token2, code).status_code == 400


def test_a_password_reset_code_works_once(client):
    UserFactory(email="eka@example.test")
    token = post(client, f"{APP}/auth/password/request", {"email": "eka@example.test"}).json()[
        "meta"
    ]["session_token"]
    code = mail_code()
    first = post(
        client, f"{APP}/auth/password/reset", {"key": code, "password": "Sandi-Baru-2027!"}, token
    )
    assert first.status_code == 401
    second = post(
        client, f"{APP}/auth/password/reset", {"key": code, "password": "Lain-Lagi-2028!"}, token
    )
    assert second.status_code in (400, 409)
    assert User.objects.get().check_password("Sandi-Baru-2027!")


@pytest.mark.parametrize("flow", ["login", "phone", "reset"])
def test_codes_expire(client, sms_outbox, clock, flow):
    UserFactory(phone="+6281200000007", email="fajar@example.test")
    if flow == "login":
        token = request_login_code(client, "+6281200000007")
        code, url, field = sms_code(sms_outbox), f"{APP}/auth/code/confirm", "code"
        lifetime = account_settings.LOGIN_BY_CODE_TIMEOUT
    elif flow == "phone":
        signup = post(client, f"{APP}/auth/signup", {"phone": "081200000008", "password": PASSWORD})
        token = signup.json()["meta"]["session_token"]
        code, url, field = sms_code(sms_outbox), f"{APP}/auth/phone/verify", "code"
        lifetime = account_settings.PHONE_VERIFICATION_TIMEOUT
    else:
        response = post(client, f"{APP}/auth/password/request", {"email": "fajar@example.test"})
        token = response.json()["meta"]["session_token"]
        code, url, field = mail_code(), f"{APP}/auth/password/reset", "key"
        lifetime = account_settings.PASSWORD_RESET_BY_CODE_TIMEOUT
    clock.advance(lifetime + 1)
    data = {field: code}
    if flow == "reset":
        data["password"] = "Sandi-Baru-2027!"
    expired = post(client, url, data, token)
    assert expired.status_code in (400, 409)
    assert expired.json().get("meta", {}).get("is_authenticated") is not True
    assert not User.objects.filter(phone="+6281200000008", phone_verified=True).exists()
    assert not User.objects.get(email="fajar@example.test").check_password("Sandi-Baru-2027!")


# --- enumeration ----------------------------------------------------------------------------


def probe_body(response) -> dict:
    body = response.json()
    body.get("meta", {}).pop("session_token", None)
    return body


def timed(fn, n=7) -> float:
    durations = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations)


@pytest.mark.parametrize(
    ("url", "known", "unknown"),
    [
        (
            f"{APP}/auth/password/request",
            {"email": "gita@example.test"},
            {"email": "nobody@example.test"},
        ),
        (
            f"{APP}/auth/code/request",
            {"email": "gita@example.test"},
            {"email": "nobody@example.test"},
        ),
        (f"{APP}/auth/code/request", {"phone": "+6281200000009"}, {"phone": "+6281299999999"}),
        (
            f"{APP}/auth/signup",
            {"phone": "+6281200000009", "password": PASSWORD},
            {"phone": "+6281299999999", "password": PASSWORD},
        ),
    ],
    ids=["password-reset", "login-code-email", "login-code-phone", "signup-phone"],
)
def test_answers_do_not_reveal_whether_an_account_exists(url, known, unknown, sms_outbox, settings):
    """Same status and body (the fresh session token aside), and the same work: each path sends
    exactly one message, so the timing is the same too (measured loosely below)."""
    settings.ACCOUNT_RATE_LIMITS = False  # the timing loop repeats the request
    settings.SMS_CODES_PER_PHONE_PER_HOUR = 1000
    UserFactory(email="gita@example.test", phone="+6281200000009")
    answers = []
    for data in (known, unknown):
        before = len(mail.outbox) + len(sms_outbox)
        response = post(Client(), url, data)
        assert len(mail.outbox) + len(sms_outbox) == before + 1
        answers.append((response.status_code, probe_body(response)))
    assert answers[0] == answers[1]
    assert answers[0][0] != 200  # nobody is logged in by asking
    users = User.objects.count()
    known_time = timed(lambda: post(Client(), url, known))
    unknown_time = timed(lambda: post(Client(), url, unknown))
    User.objects.exclude(email="gita@example.test").delete()  # signup of a new phone creates one
    assert users >= 1
    # Loose: both paths do the same work; allow for a busy shared machine.
    assert abs(known_time - unknown_time) < max(0.05, 0.5 * max(known_time, unknown_time))


# --- sessions -------------------------------------------------------------------------------


def test_a_token_is_refused_after_logout(client):
    UserFactory(email="hadi@example.test")
    token = login(client, "hadi@example.test").json()["meta"]["session_token"]
    assert me(client, token).status_code == 200
    assert client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 401
    assert me(client, token).status_code == 401
    assert client.get(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token).status_code == 410


def test_a_token_is_refused_after_the_account_is_deactivated(client):
    user = UserFactory(email="indah@example.test")
    token = login(client, "indah@example.test").json()["meta"]["session_token"]
    assert me(client, token).status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert me(client, token).status_code == 401
    assert client.get(f"{APP}/auth/sessions", HTTP_X_SESSION_TOKEN=token).status_code in (401, 410)
    assert login(client, "indah@example.test").status_code == 401  # the inactive-account flow


def end_sessions(client, token, ids):
    return client.delete(
        f"{APP}/auth/sessions",
        {"sessions": ids},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=token,
    )


def test_a_citizen_lists_and_revokes_their_other_sessions(client):
    UserFactory(email="joko@example.test")
    phone = login(Client(), "joko@example.test", HTTP_USER_AGENT="HP Android").json()["meta"][
        "session_token"
    ]
    laptop = login(Client(), "joko@example.test", HTTP_USER_AGENT="Laptop").json()["meta"][
        "session_token"
    ]
    other_citizen = UserFactory(email="kartika@example.test")
    theirs = login(Client(), other_citizen.email).json()["meta"]["session_token"]

    listed = client.get(f"{APP}/auth/sessions", HTTP_X_SESSION_TOKEN=phone)
    assert listed.status_code == 200
    sessions = listed.json()["data"]
    assert len(sessions) == 2  # only mine
    assert {s["user_agent"] for s in sessions} == {"HP Android", "Laptop"}
    laptop_id = next(s["id"] for s in sessions if not s["is_current"])
    their_id = client.get(f"{APP}/auth/sessions", HTTP_X_SESSION_TOKEN=theirs).json()["data"][0][
        "id"
    ]

    # Someone else's session is not mine to end.
    refused = end_sessions(client, phone, [their_id])
    assert refused.status_code == 400
    assert me(client, theirs).status_code == 200

    revoked = end_sessions(client, phone, [laptop_id])
    assert revoked.status_code == 200
    assert [s["is_current"] for s in revoked.json()["data"]] == [True]
    assert me(client, laptop).status_code == 401
    assert me(client, phone).status_code == 200

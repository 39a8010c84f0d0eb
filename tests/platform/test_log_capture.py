"""Representative flows, logged at DEBUG by every logger, leave no personal data or secret in any
log line: no NIK/KK, phone number (any spelling), email address, session token, or one-time code —
in messages, Django's request warnings or exception tracebacks.

Two views of the same records are checked:

* what the real pipeline writes (a root handler with the project's filters and JSON formatter):
  nothing may get through, whatever the cause;
* what was logged before redaction (pytest's capture, which runs first): the code itself must not
  log such data (fixed at the source), except the deliberately careless exception of the 500 path,
  which only redaction can catch.
"""

import io
import logging
import re

import pytest
from django.core import mail
from django.test import Client, TestCase
from rest_framework.test import APIClient

from balikpapan_untuk_warga.logging import JsonFormatter, RedactPersonalData, RequestIdFilter
from tests.factories import PASSWORD, AgencyFactory, KelurahanFactory, UserFactory

pytestmark = pytest.mark.django_db

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"


class Secrets:
    def __init__(self):
        self.values: set[str] = set()
        self.phones: set[str] = set()

    def add(self, *values):
        for value in values:
            if value:
                self.values.add(str(value))

    def phone(self, value: str):
        """Any spelling: +62…, 62…, 0…, with spaces/dashes/dots — matched on the national number."""
        digits = re.sub(r"\D", "", value)
        if digits.startswith("62"):
            digits = digits[2:]
        elif digits.startswith("0"):
            digits = digits[1:]
        self.phones.add(digits)

    def found_in(self, text: str) -> list[str]:
        found = []
        squeezed = re.sub(r"(?<=\d)[\s.()-]+(?=\d)", "", text)
        for phone in self.phones:
            if re.search(rf"(?<!\d){phone}(?!\d)", squeezed):
                found.append(f"phone {phone}")
        lowered = text.lower()
        for value in self.values:
            if value.isdigit():
                if re.search(rf"(?<!\d){value}(?!\d)", squeezed):
                    found.append(value)
            elif value.lower() in lowered:
                found.append(value)
        return found


class _Raw(logging.Handler):
    """Formats each record before any filter of the pipeline touches it (it runs first)."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.formatter_ = logging.Formatter("%(levelname)s %(name)s %(message)s")

    def emit(self, record):
        # Not ours to fix at the source, so left to the pipeline (whose output is checked too):
        # Django's template engine logs, at DEBUG, every variable it could not resolve with the
        # whole template context in the exception (the filter drops that exception); Django's
        # request log quotes the URL a client chose (a NIK in a path is redacted); factory_boy
        # logs the test's own set-up.
        if record.name.startswith(("django.template", "django.request", "factory")):
            return
        text = self.formatter_.formatMessage(
            logging.makeLogRecord({**record.__dict__, "message": record.getMessage()})
        )
        if record.exc_info:
            text += "\n" + self.formatter_.formatException(record.exc_info)
        self.lines.extend(text.splitlines())


@pytest.fixture
def capture(caplog):
    """All loggers at DEBUG; a root handler with the real filters and the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactPersonalData())
    handler.setFormatter(JsonFormatter())
    raw = _Raw()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.root.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    root.handlers.insert(0, raw)
    root.addHandler(handler)
    secrets = Secrets()
    yield secrets, stream, raw
    root.removeHandler(handler)
    root.removeHandler(raw)
    for logger, level in levels.items():
        logger.setLevel(level)


def check(capture, *, raw_too=True):
    secrets, stream, raw = capture
    lines = stream.getvalue().splitlines()
    assert lines, "the flow logged nothing at all: the capture is not working"
    leaks = [(found, line) for line in lines if (found := secrets.found_in(line))]
    assert not leaks, f"personal data in the log output: {leaks[:5]}"
    if raw_too:
        source = [(found, line) for line in raw.lines if (found := secrets.found_in(line))]
        assert not source, f"logged by the code before redaction: {source[:5]}"
    return lines


def post(client, url, data, token=None, **extra):
    if token:
        extra["HTTP_X_SESSION_TOKEN"] = token
    return client.post(url, data, content_type="application/json", **extra)


def sms_code(outbox) -> str:
    return re.search(r"\b([A-Z0-9]{6})\b", outbox[-1]["body"]).group(1)


# --- the flows --------------------------------------------------------------------------------


def test_phone_signup_and_login_by_code(capture, sms_outbox):
    secrets = capture[0]
    client = Client()
    secrets.phone("+6281211112222")
    response = post(client, f"{APP}/auth/signup", {"phone": "0812-1111-2222", "password": PASSWORD})
    assert response.status_code == 401
    token = response.json()["meta"]["session_token"]
    code = sms_code(sms_outbox)
    secrets.add(token, code)
    wrong = post(client, f"{APP}/auth/phone/verify", {"code": "000000"}, token)
    assert wrong.status_code == 400
    verified = post(client, f"{APP}/auth/phone/verify", {"code": code}, token)
    assert verified.status_code == 200
    token = verified.json()["meta"].get("session_token") or token
    secrets.add(token)
    assert client.get("/api/v1/me/", HTTP_X_SESSION_TOKEN=token).status_code == 200
    client.delete(f"{APP}/auth/session", HTTP_X_SESSION_TOKEN=token)

    # login by code, for a known and an unknown number
    secrets.phone("+6281277778888")
    requested = post(client, f"{APP}/auth/code/request", {"phone": "+6281211112222"})
    token2 = requested.json()["meta"]["session_token"]
    code2 = sms_code(sms_outbox)
    secrets.add(token2, code2)
    confirmed = post(client, f"{APP}/auth/code/confirm", {"code": code2}, token2)
    assert confirmed.status_code == 200
    secrets.add(confirmed.json()["meta"].get("session_token"))
    post(client, f"{APP}/auth/code/request", {"phone": "081277778888"})
    check(capture)


def test_password_login_app_and_browser(capture):
    secrets = capture[0]
    UserFactory(email="budi.santoso@example.test", phone="+6281233334444")
    secrets.add("budi.santoso@example.test")
    secrets.phone("+6281233334444")
    client = Client()
    by_phone = post(client, f"{APP}/auth/login", {"phone": "+6281233334444", "password": PASSWORD})
    assert by_phone.status_code == 200
    secrets.add(by_phone.json()["meta"]["session_token"])
    by_email = post(
        client, f"{APP}/auth/login", {"email": "budi.santoso@example.test", "password": PASSWORD}
    )
    assert by_email.status_code == 200
    secrets.add(by_email.json()["meta"]["session_token"])
    bad = post(client, f"{APP}/auth/login", {"email": "budi.santoso@example.test", "password": "x"})
    assert bad.status_code == 400

    browser = Client(enforce_csrf_checks=True)
    browser.get(f"{BROWSER}/config")
    csrf = browser.cookies["csrftoken"].value
    secrets.add(csrf)
    logged_in = post(
        browser,
        f"{BROWSER}/auth/login",
        {"email": "budi.santoso@example.test", "password": PASSWORD},
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert logged_in.status_code == 200
    secrets.add(browser.cookies["sessionid"].value)
    assert browser.get("/api/v1/me/").status_code == 200
    check(capture)


def test_civil_registry_request_with_a_nik(capture, settings, tmp_path):
    from tests.civil_registry.conftest import BASE, BIRTH, KK, NIK_SITI

    settings.MEDIA_ROOT = tmp_path
    secrets = capture[0]
    secrets.add(NIK_SITI, KK, "siti.r@example.test")
    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    citizen = UserFactory(
        full_name="Siti Rahmawati",
        nik=NIK_SITI,
        email="siti.r@example.test",
        home_kelurahan=KelurahanFactory(),
    )
    client = APIClient()
    client.force_authenticate(citizen)
    created = client.post(
        BASE, {"request_type": "akta_kelahiran", "subject_data": BIRTH}, format="json"
    )
    assert created.status_code == 201, created.content
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"{BASE}{created.json()['uuid']}/submit/")
    assert client.get("/api/v1/me/").status_code == 200  # shows the NIK to its owner
    check(capture)


def test_bad_nik_is_a_400_without_the_nik_in_the_log(capture):
    secrets = capture[0]
    bad_nik, bad_kk = "6471059999990001", "6471059999990002"
    secrets.add(bad_nik, bad_kk)
    citizen = UserFactory(nik="6471051508900001")
    secrets.add("6471051508900001")
    client = APIClient()
    client.force_authenticate(citizen)
    response = client.put(
        "/api/v1/me/household/",
        {
            "kk_number": bad_kk,
            "address": "Jl. Jenderal Sudirman No. 1",
            "kelurahan": "64.71.05.1002",
            "members": [
                {
                    "full_name": "Budi Santoso",
                    "relationship": "kepala_keluarga",
                    "sex": "L",
                    "birth_date": "1990-08-15",
                    "nik": bad_nik,
                    "is_self": True,
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    # a NIK in a query string of a 404 (Django logs the path of every 4xx)
    client.get(f"/api/v1/does-not-exist/{bad_nik}/", {"nik": bad_nik})
    check(capture)


def test_bill_lookup_by_nop_and_payment_webhook(capture, settings):
    from payments.models import Payment
    from payments.providers import SandboxProvider
    from tests.payments.factories import PbbBillFactory, TaxObjectFactory, bppdrd, linked_bill

    settings.PAYMENTS_PROVIDER = "sandbox"
    bppdrd()
    secrets = capture[0]
    citizen = UserFactory(email="ani@example.test", phone="+6281298765432")
    secrets.add("ani@example.test")
    secrets.phone("+6281298765432")
    PbbBillFactory(tax_object=TaxObjectFactory(nop="647101000109999990"))
    assert (
        APIClient().get("/api/v1/pembayaran/lookup/", {"nop": "64.71.010.001.099-9999.0"})
    ).status_code == 200
    client = APIClient()
    client.force_authenticate(citizen)
    bill = linked_bill(citizen, principal=150_000)
    uuid = client.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/").json()["uuid"]
    payment = Payment.objects.get(uuid=uuid)
    body, signed = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    for value in signed.values():
        secrets.add(value)  # the signature header
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            "/api/v1/pembayaran/webhooks/sandbox/",
            data=body,
            content_type="application/json",
            headers=signed,
        )
    assert response.status_code == 200
    # a forged one is refused (and logged) without its signature in the log
    Client().post(
        "/api/v1/pembayaran/webhooks/sandbox/",
        data=body,
        content_type="application/json",
        headers={k: "0" * 64 for k in signed},
    )
    check(capture)


def test_complaint_with_the_reporters_phone(capture):
    from complaints import services as complaint_services
    from tests.complaints.conftest import INSIDE, point, seed_all

    seed_all()
    secrets = capture[0]
    secrets.phone("+6281255501234")
    secrets.phone("+6281355501234")
    citizen = UserFactory(email="rina@example.test", phone="+6281355501234")
    secrets.add("rina@example.test")
    client = APIClient()
    client.force_authenticate(citizen)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/api/v1/pengaduan/complaints/",
            {"text": "Jalan berlubang", "contact_phone": "081255501234", **INSIDE},
            format="json",
        )
    assert response.status_code == 201, response.content
    with TestCase.captureOnCommitCallbacks(execute=True):
        complaint_services.complaint_create(
            actor=None,
            text="Sampah menumpuk dan bau, hubungi 0812 5550 1234",
            channel="whatsapp",
            contact_phone="+62 812-5550-1234",
            **point(INSIDE),
        )
    check(capture)


def test_whatsapp_message_from_a_phone_number(capture, settings):
    from channels.whatsapp import payloads
    from tests.channels.conftest import APP_SECRET, VERIFY_TOKEN
    from tests.complaints.conftest import seed_all

    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_CLIENT = "channels.whatsapp.client.ConsoleClient"
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_ACCESS_TOKEN = "test-token-secret-0001"
    seed_all()
    secrets = capture[0]
    secrets.phone("6281234567890")
    secrets.add("6471051508900001", APP_SECRET, VERIFY_TOKEN, "test-token-secret-0001")
    for text in ("Halo", "NIK saya 6471051508900001, nomor saya 081234567890", "1"):
        body, signature = payloads.signed(
            payloads.envelope(wa_id="6281234567890", message=payloads.text("6281234567890", text)),
            APP_SECRET,
        )
        secrets.add(signature.split("=", 1)[-1])
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = Client().post(
                "/webhooks/whatsapp",
                body,
                content_type="application/json",
                HTTP_X_HUB_SIGNATURE_256=signature,
            )
        assert response.status_code == 200
    # a bad signature and the handshake with a wrong token
    Client().post(
        "/webhooks/whatsapp", body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256="x"
    )
    Client().get(
        "/webhooks/whatsapp",
        {"hub.mode": "subscribe", "hub.verify_token": "wrong-token-0001", "hub.challenge": "1"},
    )
    check(capture)


def test_an_unhandled_exception_is_redacted(capture, settings):
    settings.ROOT_URLCONF = "tests.platform.log_capture_urls"
    secrets = capture[0]
    secrets.add("6471051508900001", "budi.santoso@example.test", "abcSESSIONtoken1234567890")
    secrets.phone("081298765432")
    response = Client(raise_request_exception=False).get("/test-log-capture/boom/")
    assert response.status_code == 500
    lines = check(capture, raw_too=False)  # the exception itself quotes them: redaction's job
    assert any("Internal Server Error" in line and "ValueError" in line for line in lines)


def test_the_emails_sent_carry_no_secret_into_the_log(capture):
    """Email bodies (codes, links) are printed by the console backend, never logged."""
    secrets = capture[0]
    client = Client()
    response = post(
        client,
        f"{APP}/auth/signup",
        {"email": "Ani@Example.test", "password": PASSWORD, "full_name": "Ani Lestari"},
    )
    assert response.status_code == 200
    secrets.add("ani@example.test", response.json()["meta"]["session_token"])
    for message in mail.outbox:
        for link in re.findall(r"https?://\S+", message.body):
            secrets.add(link.rstrip(".").rsplit("/", 2)[-2] if link.endswith("/") else link)
    check(capture)

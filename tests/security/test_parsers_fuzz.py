"""Hypothesis fuzzing of every parser of outside input: the only outcome of bad input is the
documented validation error (or a 4xx over HTTP), never another exception.

Deterministic (``derandomize=True``, no example database) so that CI answers the same every run;
the example counts keep the whole file well under a minute.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from accounts.identifiers import normalize_phone, parse_nik, validate_kk_number, validate_nik
from payments import qris
from payments.nop import NopError, nop_parse
from services.uploads.exceptions import DocumentRejected
from services.uploads.validation import clean_file

FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=300,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HTTP_FUZZ = settings(FUZZ, max_examples=60)

VALID_NIK = "6471054107990042"
VALID_KK = "6471052003150004"
VALID_NOP = "64.71.050.002.003-0045.0"
# any digits, including non-ASCII ones (Arabic-Indic, fullwidth …) that str.isdigit() and \d accept
digits = st.text(alphabet=st.characters(categories=["Nd"]), min_size=0, max_size=24)
ascii_digits = st.text(alphabet="0123456789", min_size=14, max_size=20)
noisy = st.text(max_size=40)


def mutated(value: str):
    """``value`` with one character replaced, inserted or deleted."""
    return st.tuples(
        st.integers(0, len(value)),
        st.sampled_from(["replace", "insert", "delete"]),
        st.characters(),
    ).map(
        lambda t: (
            value[: t[0]] + t[2] + value[t[0] + 1 :]
            if t[1] == "replace"
            else value[: t[0]] + t[2] + value[t[0] :]
            if t[1] == "insert"
            else value[: t[0]] + value[t[0] + 1 :]
        )
    )


# --- identifiers -------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(noisy, digits, ascii_digits, mutated(VALID_NIK)))
@example("٦٤٧١٠٥٤١٠٧٩٩٠٠٤٢")  # the valid NIK in Arabic-Indic digits
@example("６４７１０５４１０７９９００４２")  # and in fullwidth digits
def test_nik(value):
    try:
        parsed = parse_nik(value)
    except ValidationError:
        return
    validate_nik(value)
    assert parsed is not None
    assert value.isascii(), f"a NIK in non-ASCII digits was accepted: {value!r}"


@FUZZ
@given(st.one_of(noisy, digits, ascii_digits, mutated(VALID_KK)))
@example("٦٤٧١٠٥٢٠٠٣١٥٠٠٠٤")
def test_kk(value):
    try:
        validate_kk_number(value)
    except ValidationError:
        return
    assert value.isascii() and len(value) == 16


@FUZZ
@given(st.one_of(noisy, digits, ascii_digits, mutated(VALID_NOP), mutated("647105000200300450")))
@example("٦٤٧١٠٥٠٠٠٢٠٠٣٠٠٤٥٠")
def test_nop(value):
    try:
        nop = nop_parse(value)
    except NopError:
        return
    assert nop.formatted.replace(".", "").replace("-", "").isascii()
    assert nop_parse(nop.formatted).formatted == nop.formatted


@FUZZ
@given(st.one_of(noisy, digits, mutated("081234567890"), mutated("+6281234567890")))
@example("\x00")
@example("+" + "9" * 300)
def test_phone(value):
    try:
        e164 = normalize_phone(value)
    except ValidationError:
        return
    assert e164.startswith("+") and e164[1:].isdigit() and e164.isascii()
    assert normalize_phone(e164) == e164


# --- QRIS --------------------------------------------------------------------------------------


def _valid_qris() -> str:
    """The dynamic QRIS the city itself issues for a bill (the merchant of the settings)."""
    from payments.providers import _merchant_qris

    return _merchant_qris(amount=150000, bill_number="SPPT-000123", reference="PBB-2025-000123")


def _with_crc(body: str) -> str:
    """``body`` (without tag 63) closed with a correct CRC, so fuzzing reaches past the CRC."""
    head = body + "6304"
    return head + qris.crc16(head)


@FUZZ
@given(
    st.one_of(
        noisy,
        st.text(alphabet="0123456789ABCDEF", max_size=80),
        mutated(_valid_qris()),
        mutated(_valid_qris()[:-8]).map(_with_crc),
        st.text(alphabet="0123456789", min_size=4, max_size=120).map(_with_crc),
    )
)
def test_qris_decoder(payload):
    try:
        decoded = qris.decode(payload)
    except qris.QrisError:
        return
    assert decoded.encode() == payload


def test_the_qris_fixture_decodes():
    assert qris.decode(_valid_qris()).amount == "150000"


# --- uploaded files ---------------------------------------------------------------------------


def _image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, fmt)
    return out.getvalue()


def _pdf() -> bytes:
    from civil_registry.demo import demo_pdf

    return demo_pdf().read()


SAMPLES = {"jpeg": _image("JPEG"), "png": _image("PNG"), "pdf": _pdf()}


def _cut(sample: bytes):
    return st.integers(0, len(sample) - 1).map(lambda n: sample[:n])


def _flip(sample: bytes):
    return st.tuples(st.integers(0, len(sample) - 1), st.integers(0, 255)).map(
        lambda t: sample[: t[0]] + bytes([t[1]]) + sample[t[0] + 1 :]
    )


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=256),
        *[_cut(s) for s in SAMPLES.values()],
        *[_flip(s) for s in SAMPLES.values()],
        st.binary(max_size=64).map(lambda b: b"%PDF-1.4\n" + b + b"\n%%EOF"),
        st.binary(max_size=64).map(lambda b: b"\xff\xd8\xff" + b),
        st.binary(max_size=64).map(lambda b: b"\x89PNG\r\n\x1a\n" + b),
    )
)
def test_upload_validation(data, settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 50_000_000
    try:
        cleaned = clean_file(data)
    except DocumentRejected:
        return
    assert cleaned.content and cleaned.content_type in (
        "image/jpeg",
        "image/png",
        "application/pdf",
    )


# --- over HTTP: payment webhooks, WhatsApp, Open311 -------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["paid", "pending", "inf", "-inf", "nan", "1e400", "NaN", "settlement"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
# bodies that are not what the endpoint expects at all: bytes, or JSON of any shape
ANY_BODY = (st.binary(max_size=120), json_values.map(lambda v: json.dumps(v).encode()))
sandbox_bodies = st.one_of(
    *ANY_BODY,
    st.fixed_dictionaries(
        {"order_id": json_values, "status": json_values, "amount": json_values}
    ).map(lambda v: json.dumps(v).encode()),
)


def _ok(response):
    assert response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.django_db
@HTTP_FUZZ
@given(body=sandbox_bodies, signed=st.booleans())
@example(body=b'{"order_id": "X-1", "status": "paid", "amount": "inf"}', signed=True)
@example(body=b'{"order_id": "X-1", "status": "paid", "amount": "nan"}', signed=True)
@example(body=b'{"order_id": "X-1", "status": "paid", "amount": "1e400"}', signed=True)
def test_sandbox_webhook(body, signed, settings):
    settings.PAYMENTS_SANDBOX_KEY = "fuzz-key"
    stamp = str(int(time.time()))
    signature = hmac.new(b"fuzz-key", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    headers = {"HTTP_X_SANDBOX_TIMESTAMP": stamp, "HTTP_X_SANDBOX_SIGNATURE": signature}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            "/api/v1/pembayaran/webhooks/sandbox/",
            body,
            content_type="application/json",
            **(headers if signed else {}),
        )
    _ok(response)


def _midtrans(values: dict, key: str) -> bytes:
    order_id, status_code = str(values.get("order_id")), str(values.get("status_code"))
    gross = str(values.get("gross_amount"))
    values["signature_key"] = hashlib.sha512(
        (order_id + status_code + gross + key).encode()
    ).hexdigest()
    return json.dumps(values).encode()


@pytest.mark.django_db
@HTTP_FUZZ
@given(
    body=st.one_of(
        *ANY_BODY,
        st.fixed_dictionaries(
            {
                "order_id": st.text(max_size=30),
                "status_code": st.sampled_from(["200", "201", "407", ""]),
                "gross_amount": st.one_of(
                    st.sampled_from(["150000.00", "inf", "NaN", "1e400", "-1", ""]),
                    st.text(max_size=10),
                ),
                "transaction_status": st.one_of(
                    st.sampled_from(["settlement", "pending"]), st.text(max_size=8)
                ),
                "transaction_id": json_values,
            }
        ).map(lambda v: _midtrans(v, "fuzz-server-key")),
    )
)
@example(
    body=_midtrans(
        {
            "order_id": "X-1",
            "status_code": "200",
            "gross_amount": "NaN",
            "transaction_status": "settlement",
        },
        "fuzz-server-key",
    )
)
@example(
    body=_midtrans(
        {
            "order_id": "X-1",
            "status_code": "200",
            "gross_amount": "1e400",
            "transaction_status": "settlement",
        },
        "fuzz-server-key",
    )
)
@example(  # a NUL in a stored text column was a PostgreSQL DataError, then a 500
    body=_midtrans(
        {
            "order_id": "X-\x00",
            "status_code": "200",
            "gross_amount": "150000.00",
            "transaction_status": "settle\x00",
        },
        "fuzz-server-key",
    )
)
def test_midtrans_webhook(body, settings):
    settings.PAYMENTS_MIDTRANS_SERVER_KEY = "fuzz-server-key"
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            "/api/v1/pembayaran/webhooks/midtrans/", body, content_type="application/json"
        )
    _ok(response)


# --- channels: WhatsApp webhook deliveries and Open311 form posts -----------------------------

WA_SECRET = "fuzz-app-secret"


@pytest.fixture
def whatsapp(settings):
    settings.WHATSAPP_APP_SECRET = WA_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = "fuzz-verify"
    settings.WHATSAPP_CLIENT = "channels.whatsapp.client.ConsoleClient"


def _wa_post(body: bytes):
    from django.conf import settings as django_settings

    signature = "sha256=" + hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client().post(
            f"/{django_settings.WHATSAPP_WEBHOOK_PATH}",
            body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=signature,
        )


wa_messages = st.fixed_dictionaries(
    {
        "from": st.one_of(st.just("6281234567890"), st.text(max_size=16)),
        "id": st.text(max_size=12),
        "timestamp": st.one_of(st.just("1700000000"), st.text(max_size=12), st.integers()),
        "type": st.sampled_from(["text", "location", "image", "interactive", "sticker", "x"]),
        "text": st.fixed_dictionaries({"body": st.text(max_size=60)}) | json_values,
        "location": st.fixed_dictionaries(
            {"latitude": json_values, "longitude": json_values, "name": json_values}
        ),
        "image": st.fixed_dictionaries({"id": json_values, "mime_type": json_values}),
    }
)


@pytest.mark.django_db
@HTTP_FUZZ
@given(
    body=st.one_of(
        *ANY_BODY,
        wa_messages.map(
            lambda m: json.dumps(
                {
                    "object": "whatsapp_business_account",
                    "entry": [
                        {
                            "id": "1",
                            "changes": [
                                {
                                    "field": "messages",
                                    "value": {
                                        "messaging_product": "whatsapp",
                                        "contacts": [{"wa_id": "6281234567890"}],
                                        "messages": [m],
                                    },
                                }
                            ],
                        }
                    ],
                }
            ).encode()
        ),
    )
)
def test_whatsapp_webhook(body, whatsapp):
    _ok(_wa_post(body))


OPEN311_FIELDS = [
    "jurisdiction_id",
    "service_code",
    "lat",
    "long",
    "address_string",
    "email",
    "first_name",
    "last_name",
    "phone",
    "description",
    "media_url",
    "attribute[KEDALAMAN]",
    "address_id",
    "device_id",
    "account_id",
]


@pytest.fixture
def open311_key(db):
    from channels.open311.services import partner_create
    from tests.complaints.conftest import seed_all

    seed_all()
    _partner, key = partner_create(name="Mitra Uji", contact_email="mitra@example.org")
    return key


@pytest.mark.django_db
@HTTP_FUZZ
@given(
    form=st.dictionaries(
        st.sampled_from(OPEN311_FIELDS),
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(["banjir", "-1.265", "116.831", "nan", "1e400", "", "\x00"]),
        ),
        max_size=8,
    ),
    fmt=st.sampled_from(["json", "xml"]),
)
def test_open311_post(form, fmt, open311_key):
    data = {"api_key": open311_key, "service_code": "banjir", **form}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(f"/open311/v2/requests.{fmt}", data, HTTP_ACCEPT_LANGUAGE="en")
    _ok(response)


@pytest.mark.django_db
def test_the_channel_fuzzers_reach_the_handlers(whatsapp, open311_key):
    """Guards the two fuzzers above against testing only the signature or key check."""
    from channels.models import Conversation
    from channels.whatsapp import payloads

    body, _signature = payloads.signed(
        payloads.envelope(wa_id="6281234567890", message=payloads.text("6281234567890", "halo")),
        WA_SECRET,
    )
    assert _wa_post(body).status_code == 200
    assert Conversation.objects.filter(wa_id="6281234567890").exists()
    data = {
        "api_key": open311_key,
        "service_code": "banjir",
        "lat": "-1.2654",
        "long": "116.8312",
        "description": "Air setinggi lutut sejak pagi",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post("/open311/v2/requests.json", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in (200, 201), response.content

"""The Midtrans Core API QRIS adapter against recorded exchanges (``fixtures/midtrans``), with the
``respx`` HTTP mock: the request we send, the answers we get (errors included), notifications with
good and bad signatures (domain-facts §8.1, test-vectors §10)."""

import base64
import json
from pathlib import Path

import httpx
import pytest
import respx
from django.test import Client, TestCase
from django.utils import timezone

from payments.models import PaymentEvent, WebhookDelivery
from payments.providers import (
    GatewayStatus,
    MidtransProvider,
    ProviderUnavailable,
    SignatureInvalid,
    midtrans_signature,
)
from tests.payments.factories import midtrans_payment

FIXTURES = Path(__file__).parent / "fixtures" / "midtrans"
BASE = "https://api.sandbox.midtrans.com"
KEY = "SB-Mid-server-TESTKEYNOTREAL"


def exchange(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def body(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def mocked(name: str):
    """A respx router answering the fixture's request with the fixture's response."""
    data = exchange(name)
    router = respx.mock(base_url=BASE, assert_all_called=True, assert_all_mocked=True)
    route = router.route(method=data["request"]["method"], path=data["request"]["path"])
    route.respond(data["response"]["status"], json=data["response"]["json"])
    return router, route, data


def test_charge_sends_the_documented_request_and_reads_the_qr():
    router, route, data = mocked("charge_201.json")
    with router:
        charge = MidtransProvider().create_qris(
            order_id="PAY-2026-000001", amount=150_000, bill_number="SPPT-1"
        )
        request = route.calls.last.request  # the calls are forgotten when the mock closes
    assert json.loads(request.content) == data["request"]["json"]
    assert (
        request.headers["Authorization"] == "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    )
    assert charge.qr_string == data["response"]["json"]["qr_string"]
    assert charge.reference == "0eb9a5e4-7c4e-4b0e-8f9a-7d5b0c2e1f00"
    assert charge.expires_at > timezone.now()


@pytest.mark.parametrize(
    "fixture",
    [
        "charge_401.json",
        "charge_406_duplicate_order_id.json",  # HTTP 200, refusal in status_code
        "charge_500.json",
        "charge_201_bad_qr_crc.json",  # a QR we could not show: never handed to the citizen
    ],
)
def test_charge_errors_are_provider_unavailable(fixture):
    router, _route, _data = mocked(fixture)
    with router, pytest.raises(ProviderUnavailable):
        MidtransProvider().create_qris(order_id="PAY-2026-000001", amount=150_000, bill_number="B")


@pytest.mark.parametrize("error", [httpx.ConnectTimeout("timeout"), httpx.ConnectError("refused")])
def test_charge_network_errors_are_provider_unavailable(error):
    with respx.mock(base_url=BASE) as router:
        router.post("/v2/charge").mock(side_effect=error)
        with pytest.raises(ProviderUnavailable):
            MidtransProvider().create_qris(order_id="PAY-1", amount=1, bill_number="B")


def test_charge_answer_that_is_not_json_is_provider_unavailable():
    with respx.mock(base_url=BASE) as router:
        router.post("/v2/charge").respond(502, text="<html>Bad gateway</html>")
        with pytest.raises(ProviderUnavailable):
            MidtransProvider().create_qris(order_id="PAY-1", amount=1, bill_number="B")


@pytest.mark.parametrize(
    ("fixture", "status"),
    [
        ("status_settlement.json", GatewayStatus.PAID),
        ("status_pending.json", GatewayStatus.PENDING),
        ("status_expire.json", GatewayStatus.EXPIRED),
        ("status_cancel.json", GatewayStatus.CANCELLED),
    ],
)
def test_status_query(fixture, status):
    router, route, _data = mocked(fixture)
    with router:
        answer = MidtransProvider().query_status(order_id="PAY-2026-000001")
        assert route.call_count == 1
    assert (answer.status, answer.amount) == (status, 150_000)
    assert answer.reference == "0eb9a5e4-7c4e-4b0e-8f9a-7d5b0c2e1f00"


def test_status_of_an_unknown_order_is_provider_unavailable():
    router, _route, _data = mocked("status_404.json")
    with router, pytest.raises(ProviderUnavailable):
        MidtransProvider().query_status(order_id="PAY-2026-000001")


def test_signature_formula_is_plain_sha512_of_the_strings_as_sent():
    data = json.loads(body("notification_settlement.body"))
    assert data["signature_key"] == midtrans_signature(
        order_id=data["order_id"],
        status_code=data["status_code"],
        gross_amount=data["gross_amount"],
        server_key=KEY,
    )
    import hashlib

    assert (
        data["signature_key"]
        == hashlib.sha512(
            b"PBB-6471-2025-000123" + b"200" + b"150000.00" + KEY.encode()
        ).hexdigest()
    )


def test_parse_good_and_bad_notifications(settings):
    notification = MidtransProvider().parse_notification(
        headers={}, body=body("notification_settlement.body")
    )
    assert (notification.order_id, notification.status, notification.amount) == (
        "PBB-6471-2025-000123",
        GatewayStatus.PAID,
        150_000,
    )
    with pytest.raises(SignatureInvalid):
        MidtransProvider().parse_notification(
            headers={}, body=body("notification_bad_signature.body")
        )
    settings.PAYMENTS_MIDTRANS_SERVER_KEY = ""  # no key configured: nothing verifies
    with pytest.raises(SignatureInvalid):
        MidtransProvider().parse_notification(headers={}, body=body("notification_settlement.body"))


def _post(name):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client().post(
            "/api/v1/pembayaran/webhooks/midtrans/",
            data=body(name),
            content_type="application/json",
        )


def test_webhook_with_the_recorded_notification(citizen):
    payment = midtrans_payment(citizen)
    assert _post("notification_bad_signature.body").status_code == 401
    payment.refresh_from_db()
    assert (payment.state, PaymentEvent.objects.count()) == ("pending", 0)
    assert _post("notification_settlement.body").status_code == 200
    assert _post("notification_settlement.body").status_code == 200
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert payment.provider_reference == "9aed5972-5b6a-401e-894b-a32c91ed1a3a"
    assert list(WebhookDelivery.objects.order_by("id").values_list("result", "outcome")) == [
        ("signature_invalid", ""),
        ("accepted", "changed: payment paid"),
        ("accepted", "duplicate: payment paid"),
    ]
    stored = WebhookDelivery.objects.filter(result="accepted").first()
    assert stored.body.encode() == body("notification_settlement.body")  # raw, byte for byte

"""The Midtrans adapter against recorded request/response shapes (HTTP mocked), and the tasks."""

import datetime as dt
import json

import pytest
import requests
from django.utils import timezone

from payments import qris, tasks
from payments.models import Payment
from payments.providers import GatewayStatus, MidtransProvider, ProviderUnavailable
from tests.payments.factories import linked_bill

QR = "00020101021226640018ID.CO.ASTRAPAY.WWW011893600822321000024002092100002400303UBE51440014ID.CO.QRIS.WWW0215ID20210662463920303UBE52045812530336054061500005802ID5915AHASS TDM Natar6007Jakarta61054433562080704AP01630416D4"
CHARGE_RESPONSE = {
    "status_code": "201",
    "status_message": "QRIS transaction is created",
    "transaction_id": "0eb9a5e4-7c4e-4b0e-8f9a-7d5b0c2e1f00",
    "order_id": "PAY-2026-000001",
    "merchant_id": "G000000000",
    "gross_amount": "150000.00",
    "currency": "IDR",
    "payment_type": "qris",
    "transaction_time": "2026-11-25 10:00:00",
    "transaction_status": "pending",
    "fraud_status": "accept",
    "actions": [
        {
            "name": "generate-qr-code",
            "method": "GET",
            "url": "https://api.sandbox.midtrans.com/v2/qris/x/qr-code",
        }
    ],
    "qr_string": QR,
    "acquirer": "gopay",
}


class FakeResponse:
    def __init__(self, status_code, data):
        self.status_code, self._data = status_code, data

    def json(self):
        return self._data


class FakeSession:
    def __init__(self, response=None, error=None):
        self.response, self.error, self.calls = response, error, []

    def _call(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        if self.error:
            raise self.error
        return self.response

    def post(self, url, **kwargs):
        return self._call("POST", url, **kwargs)

    def get(self, url, **kwargs):
        return self._call("GET", url, **kwargs)


def test_midtrans_charge_request_and_response():
    session = FakeSession(FakeResponse(201, CHARGE_RESPONSE))
    charge = MidtransProvider(session=session).create_qris(
        order_id="PAY-2026-000001", amount=150_000, bill_number="SPPT-1"
    )
    method, url, kwargs = session.calls[0]
    assert (method, url) == ("POST", "https://api.sandbox.midtrans.com/v2/charge")
    assert kwargs["auth"] == ("SB-Mid-server-TESTKEYNOTREAL", "")
    assert kwargs["json"] == {
        "payment_type": "qris",
        "transaction_details": {"order_id": "PAY-2026-000001", "gross_amount": 150_000},
        "qris": {"acquirer": "gopay"},
        "custom_expiry": {"expiry_duration": 15, "unit": "minute"},
    }
    assert charge.qr_string == QR
    assert charge.reference == "0eb9a5e4-7c4e-4b0e-8f9a-7d5b0c2e1f00"


@pytest.mark.parametrize(
    "session",
    [
        FakeSession(error=requests.ConnectionError()),
        FakeSession(FakeResponse(401, {"status_code": "401", "status_message": "Unauthorized"})),
    ],
)
def test_midtrans_charge_failure_is_provider_unavailable(session):
    with pytest.raises(ProviderUnavailable):
        MidtransProvider(session=session).create_qris(order_id="PAY-1", amount=1, bill_number="B")


def test_midtrans_bad_qr_string_is_refused():
    session = FakeSession(FakeResponse(201, {**CHARGE_RESPONSE, "qr_string": QR[:-1] + "0"}))
    with pytest.raises(qris.QrisError):
        MidtransProvider(session=session).create_qris(order_id="PAY-1", amount=1, bill_number="B")


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("settlement", GatewayStatus.PAID),
        ("pending", GatewayStatus.PENDING),
        ("expire", GatewayStatus.EXPIRED),
        ("cancel", GatewayStatus.CANCELLED),
    ],
)
def test_midtrans_status_query(raw, status):
    session = FakeSession(FakeResponse(200, {"status_code": "200", "transaction_status": raw}))
    assert MidtransProvider(session=session).query_status(order_id="PAY-1") == status
    assert session.calls[0][1] == "https://api.sandbox.midtrans.com/v2/PAY-1/status"


def test_api_create_with_gateway_down_is_503_and_leaves_nothing(
    api, citizen, settings, monkeypatch
):
    settings.PAYMENTS_PROVIDER = "midtrans"
    monkeypatch.setattr(
        MidtransProvider,
        "__init__",
        lambda self, session=None: setattr(self, "session", FakeSession(error=requests.Timeout())),
    )
    bill = linked_bill(citizen)
    api.raise_request_exception = False  # a 5xx is reported as a server error by design
    response = api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "provider_unavailable"
    assert not Payment.objects.exists()


def _pending(api, citizen, **changes):
    bill = linked_bill(citizen)
    payment = Payment.objects.get(
        uuid=api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/").json()["uuid"]
    )
    Payment.objects.filter(pk=payment.pk).update(**changes)
    return payment


def test_expire_stale_task(api, citizen):
    stale = _pending(api, citizen, expires_at=timezone.now() - dt.timedelta(seconds=1))
    fresh = _pending(api, citizen)
    assert tasks.expire_stale.delay().get() == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, fresh.state) == ("expired", "pending")
    assert tasks.expire_stale.delay().get() == 0


def test_reconcile_marks_paid_what_the_gateway_says_is_settled(
    api, citizen, monkeypatch, django_capture_on_commit_callbacks
):
    old = _pending(
        api, citizen, created_at=timezone.now() - dt.timedelta(hours=1), provider="midtrans"
    )
    young = _pending(api, citizen, provider="midtrans")
    monkeypatch.setattr(MidtransProvider, "query_status", lambda self, order_id: GatewayStatus.PAID)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reconcile_pending.delay().get() == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.state, young.state) == ("paid", "pending")
    assert Payment.objects.get(pk=old.pk).bill.is_paid is True


def test_sandbox_notification_body_is_json(db):
    from payments.providers import SandboxProvider

    body, headers = SandboxProvider().notification_for(order_id="PAY-1", status="paid", amount=5)
    assert json.loads(body) == {"order_id": "PAY-1", "status": "paid", "amount": "5"}
    assert set(headers) == {"X-Sandbox-Timestamp", "X-Sandbox-Signature"}

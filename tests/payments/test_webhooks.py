"""Gateway notifications: signatures over the raw body, idempotency, monotonic states, effects."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from payments import services
from payments.models import Bill, Payment, PaymentEvent
from payments.providers import SandboxProvider, midtrans_signature
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.receipts.models import Receipt
from tests.payments.factories import linked_bill

URL = "/api/v1/pembayaran"
MIDTRANS_KEY = "SB-Mid-server-TESTKEYNOTREAL"
# test-vectors §10, byte for byte
MIDTRANS_BODY = '{"transaction_time":"2025-08-01 10:15:00","transaction_status":"settlement","transaction_id":"9aed5972-5b6a-401e-894b-a32c91ed1a3a","status_message":"midtrans payment notification","status_code":"200","signature_key":"4dc81ed99b5c10ae30a85dfc563041d8821736622da38069862b209e29c93d46a8b955c5cb230eb7504acb1d0f98ffe87a8652afa5adbc33bee085c56557d206","payment_type":"qris","order_id":"PBB-6471-2025-000123","merchant_id":"G000000000","gross_amount":"150000.00","fraud_status":"accept","currency":"IDR","acquirer":"gopay"}'


@pytest.fixture
def payment(api, citizen):
    bill = linked_bill(citizen, principal=150_000)
    uuid = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()["uuid"]
    return Payment.objects.get(uuid=uuid)


def _sandbox(client, payment, status="paid", amount=None, headers=None):
    body, signed = SandboxProvider().notification_for(
        order_id=payment.order_id,
        status=status,
        amount=payment.amount if amount is None else amount,
    )
    return client.post(
        f"{URL}/webhooks/sandbox/",
        data=body,
        content_type="application/json",
        headers=signed if headers is None else headers,
    )


def _snapshot(payment):
    payment.refresh_from_db()
    bill = Bill.objects.get(pk=payment.bill_id)
    return (
        payment.state,
        payment.needs_review,
        bill.is_paid,
        PaymentEvent.objects.count(),
        Receipt.objects.count(),
        Notification.objects.count(),
    )


def test_midtrans_signature_vector():
    assert (
        midtrans_signature(
            order_id="PBB-6471-2025-000123",
            status_code="200",
            gross_amount="150000.00",
            server_key=MIDTRANS_KEY,
        )
        == "4dc81ed99b5c10ae30a85dfc563041d8821736622da38069862b209e29c93d46a8b955c5cb230eb7504acb1d0f98ffe87a8652afa5adbc33bee085c56557d206"
    )
    assert (
        midtrans_signature(
            order_id="PBB-6471-2025-000123",
            status_code="200",
            gross_amount="150000",
            server_key=MIDTRANS_KEY,
        )
        == "1d6e5e701123a0c404062c012af70aa72ce55dff8defc93a3d3079ddf38414a152e3b7eea1a1ca2373537496ac10f91ce821c157e6397607909e11a9f975fbdf"
    )


def test_settlement_pays_once_with_receipt_activity_and_notification(
    payment, citizen, django_capture_on_commit_callbacks
):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _sandbox(client, payment)
    assert response.status_code == 200
    assert response.json() == {"changed": True}
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert payment.paid_at is not None
    bill = Bill.objects.get(pk=payment.bill_id)
    assert (bill.is_paid, bill.paid_at) == (True, payment.paid_at)
    receipt = Receipt.objects.get()
    assert (receipt.kind, receipt.tracking_number, receipt.owner) == (
        "payment",
        payment.order_id,
        citizen,
    )
    assert receipt.issuer.code == "bppdrd"
    notification = Notification.objects.get(recipient=citizen)
    assert notification.key == f"payments:{payment.uuid}:paid"
    item = ActivityItem.objects.get(owner=citizen, module="pembayaran")
    assert (item.state, item.is_open) == ("paid", False)
    # delivered ten more times: nothing changes
    before = _snapshot(payment)
    for _ in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            assert _sandbox(client, payment).json() == {"changed": False}
    assert _snapshot(payment) == before
    # a late "pending" after settlement is ignored
    assert _sandbox(client, payment, status="pending").json() == {"changed": False}
    payment.refresh_from_db()
    assert payment.state == "paid"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Sandbox-Timestamp": "1700000000", "X-Sandbox-Signature": "0" * 64},
    ],
)
def test_bad_or_missing_signature_is_401_and_changes_nothing(payment, headers):
    before = _snapshot(payment)
    response = _sandbox(Client(), payment, headers=headers)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "signature_invalid"
    assert _snapshot(payment) == before


def test_tampered_body_is_401(payment):
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    tampered = body.replace(b'"paid"', b'"paid" ')
    before = _snapshot(payment)
    response = Client().post(
        f"{URL}/webhooks/sandbox/", data=tampered, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert _snapshot(payment) == before


def test_old_timestamp_is_refused(payment, settings):
    provider = SandboxProvider()
    body = json.dumps(
        {"order_id": payment.order_id, "status": "paid", "amount": str(payment.amount)}
    ).encode()
    timestamp = str(
        int(timezone.now().timestamp()) - settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS - 5
    )
    headers = {
        "X-Sandbox-Timestamp": timestamp,
        "X-Sandbox-Signature": provider.sign(body, timestamp),
    }
    before = _snapshot(payment)
    response = Client().post(
        f"{URL}/webhooks/sandbox/", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 401
    assert _snapshot(payment) == before


def test_unknown_order_is_404_and_logged(db, caplog):
    provider = SandboxProvider()
    body, headers = provider.notification_for(order_id="PAY-2026-999999", status="paid", amount=1)
    response = Client().post(
        f"{URL}/webhooks/sandbox/", data=body, content_type="application/json", headers=headers
    )
    assert response.status_code == 404
    assert "unknown order" in caplog.text
    assert not PaymentEvent.objects.exists()


def test_unknown_provider_is_404(db):
    assert (
        Client()
        .post(f"{URL}/webhooks/paypal/", data=b"{}", content_type="application/json")
        .status_code
        == 404
    )


def test_amount_mismatch_flags_and_does_not_pay(payment):
    response = _sandbox(Client(), payment, amount=payment.amount - 1)
    assert response.status_code == 200
    payment.refresh_from_db()
    assert (payment.state, payment.needs_review) == ("pending", True)
    assert (
        payment.review_reason
        == f"amount mismatch: paid {payment.amount - 1}, expected {payment.amount}"
    )
    assert Bill.objects.get(pk=payment.bill_id).is_paid is False
    assert not Receipt.objects.exists()


def test_expire_then_a_new_qr_is_allowed(payment, api):
    assert _sandbox(Client(), payment, status="expired").json() == {"changed": True}
    payment.refresh_from_db()
    assert payment.state == "expired"
    response = api.post(f"{URL}/bills/{payment.bill.uuid}/payments/")
    assert response.status_code == 201


def test_cancel_only_from_pending(payment):
    assert _sandbox(Client(), payment, status="cancelled").json() == {"changed": True}
    payment.refresh_from_db()
    assert payment.state == "cancelled"
    assert _sandbox(Client(), payment, status="failed").json() == {"changed": False}
    payment.refresh_from_db()
    assert payment.state == "cancelled"


def test_settlement_after_local_expiry_still_pays(payment, django_capture_on_commit_callbacks):
    services.payments_expire_stale(now=timezone.now() + dt.timedelta(hours=1))
    payment.refresh_from_db()
    assert payment.state == "expired"
    with django_capture_on_commit_callbacks(execute=True):
        assert _sandbox(Client(), payment).json() == {"changed": True}
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert Receipt.objects.count() == 1


def test_second_payment_of_a_paid_bill_is_flagged(
    payment, api, citizen, django_capture_on_commit_callbacks
):
    Payment.objects.filter(pk=payment.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    second = Payment.objects.get(
        uuid=api.post(f"{URL}/bills/{payment.bill.uuid}/payments/").json()["uuid"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _sandbox(Client(), payment)
        _sandbox(Client(), second)
    second.refresh_from_db()
    assert (second.state, second.needs_review) == ("pending", True)
    assert second.review_reason == "the bill was already paid by another payment"
    assert Payment.objects.filter(state="paid").count() == 1


def test_midtrans_notification_settles(api, citizen, settings, django_capture_on_commit_callbacks):
    settings.PAYMENTS_PROVIDER = "midtrans"
    bill = linked_bill(citizen, principal=150_000)
    Payment.objects.create(
        order_id="PBB-6471-2025-000123",
        bill=bill,
        payer=citizen,
        principal=150_000,
        penalty=0,
        amount=150_000,
        provider="midtrans",
        qr_string="x",
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            f"{URL}/webhooks/midtrans/", data=MIDTRANS_BODY, content_type="application/json"
        )
    assert response.status_code == 200
    payment = Payment.objects.get()
    assert payment.state == "paid"
    assert payment.provider_reference == "9aed5972-5b6a-401e-894b-a32c91ed1a3a"
    # the amount normalised by a proxy (150000 instead of 150000.00) breaks the signature
    normalised = MIDTRANS_BODY.replace('"150000.00"', '"150000"')
    assert (
        Client()
        .post(f"{URL}/webhooks/midtrans/", data=normalised, content_type="application/json")
        .status_code
        == 401
    )


def test_midtrans_bad_signature_changes_nothing(api, citizen):
    bill = linked_bill(citizen, principal=150_000)
    Payment.objects.create(
        order_id="PBB-6471-2025-000123",
        bill=bill,
        payer=citizen,
        principal=150_000,
        penalty=0,
        amount=150_000,
        provider="midtrans",
        qr_string="x",
        expires_at=timezone.now() + dt.timedelta(minutes=15),
    )
    body = MIDTRANS_BODY.replace('"signature_key":"4dc8', '"signature_key":"5dc8')
    assert (
        Client()
        .post(f"{URL}/webhooks/midtrans/", data=body, content_type="application/json")
        .status_code
        == 401
    )
    assert Payment.objects.get().state == "pending"
    assert not PaymentEvent.objects.exists()

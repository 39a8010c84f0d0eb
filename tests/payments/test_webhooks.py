"""Gateway notifications: signatures over the raw body, idempotency, monotonic states, effects."""

import datetime as dt
import json

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from payments import services
from payments.models import Bill, Payment, PaymentEvent, WebhookDelivery
from payments.providers import SandboxProvider, midtrans_signature
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.receipts.models import Receipt
from services.workflow.models import StatusHistory
from tests.payments.factories import linked_bill, midtrans_payment

URL = "/api/v1/pembayaran"
MIDTRANS_KEY = "SB-Mid-server-TESTKEYNOTREAL"
# test-vectors §10, byte for byte
MIDTRANS_BODY = '{"transaction_time":"2025-08-01 10:15:00","transaction_status":"settlement","transaction_id":"9aed5972-5b6a-401e-894b-a32c91ed1a3a","status_message":"midtrans payment notification","status_code":"200","signature_key":"4dc81ed99b5c10ae30a85dfc563041d8821736622da38069862b209e29c93d46a8b955c5cb230eb7504acb1d0f98ffe87a8652afa5adbc33bee085c56557d206","payment_type":"qris","order_id":"PBB-6471-2025-000123","merchant_id":"G000000000","gross_amount":"150000.00","fraud_status":"accept","currency":"IDR","acquirer":"gopay"}'


@pytest.fixture
def payment(api, citizen):
    bill = linked_bill(citizen, principal=150_000)
    uuid = api.post(f"{URL}/bills/{bill.uuid}/payments/").json()["uuid"]
    return Payment.objects.get(uuid=uuid)


def _post(client, provider, body, headers=None):
    """POST as the gateway does, running what is queued on commit (the Celery task, eagerly)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"{URL}/webhooks/{provider}/",
            data=body,
            content_type="application/json",
            headers=headers or {},
        )


def _sandbox(client, payment, status="paid", amount=None, headers=None):
    body, signed = SandboxProvider().notification_for(
        order_id=payment.order_id,
        status=status,
        amount=payment.amount if amount is None else amount,
    )
    return _post(client, "sandbox", body, signed if headers is None else headers)


def _outcomes(payment):
    return list(
        WebhookDelivery.objects.filter(payment=payment)
        .order_by("id")
        .values_list("outcome", flat=True)
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
    assert response.json() == {"received": True}
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert _outcomes(payment) == ["changed: payment paid"]
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
        assert _sandbox(client, payment).json() == {"received": True}
    assert _snapshot(payment) == before
    assert _outcomes(payment) == ["changed: payment paid"] + ["duplicate: payment paid"] * 10
    history = StatusHistory.objects.filter(to_state="paid")
    assert history.count() == 1
    # a late "pending" after settlement is ignored
    assert _sandbox(client, payment, status="pending").status_code == 200
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert _outcomes(payment)[-1] == "no change: payment paid"


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


@pytest.mark.parametrize("direction", [-1, 1])  # too old, or from the future
def test_timestamp_outside_the_tolerance_is_refused(payment, settings, direction):
    provider = SandboxProvider()
    body = json.dumps(
        {"order_id": payment.order_id, "status": "paid", "amount": str(payment.amount)}
    ).encode()
    timestamp = str(
        int(timezone.now().timestamp())
        + direction * (settings.PAYMENTS_WEBHOOK_TOLERANCE_SECONDS + 5)
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
    assert _sandbox(Client(), payment, status="expired").status_code == 200
    payment.refresh_from_db()
    assert payment.state == "expired"
    response = api.post(f"{URL}/bills/{payment.bill.uuid}/payments/")
    assert response.status_code == 201


def test_cancel_only_from_pending(payment):
    _sandbox(Client(), payment, status="cancelled")
    payment.refresh_from_db()
    assert payment.state == "cancelled"
    _sandbox(Client(), payment, status="failed")
    assert _outcomes(payment) == ["changed: payment cancelled", "no change: payment cancelled"]
    payment.refresh_from_db()
    assert payment.state == "cancelled"


def test_settlement_after_local_expiry_still_pays(payment, django_capture_on_commit_callbacks):
    services.payments_expire_stale(now=timezone.now() + dt.timedelta(hours=1))
    payment.refresh_from_db()
    assert payment.state == "expired"
    assert _sandbox(Client(), payment).status_code == 200
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
    midtrans_payment(citizen)
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
    midtrans_payment(citizen)
    body = MIDTRANS_BODY.replace('"signature_key":"4dc8', '"signature_key":"5dc8')
    assert (
        Client()
        .post(f"{URL}/webhooks/midtrans/", data=body, content_type="application/json")
        .status_code
        == 401
    )
    assert Payment.objects.get().state == "pending"
    assert not PaymentEvent.objects.exists()


# --- every delivery is stored for audit; accepted ones are applied by Celery ------------------


def test_every_delivery_is_stored_with_its_verification_result(payment):
    client = Client()
    forged = {"X-Sandbox-Timestamp": "1700000000", "X-Sandbox-Signature": "0" * 64}
    assert _sandbox(client, payment, headers=forged).status_code == 401
    body, headers = SandboxProvider().notification_for(
        order_id="PAY-2026-999999", status="paid", amount=1
    )
    assert _post(client, "sandbox", body, headers).status_code == 404
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="refunded", amount=1
    )
    assert _post(client, "sandbox", body, headers).status_code == 400
    assert _sandbox(client, payment).status_code == 200

    rows = list(WebhookDelivery.objects.order_by("id"))
    assert [r.result for r in rows] == [
        "signature_invalid",
        "unknown_payment",
        "malformed",
        "accepted",
    ]
    refused, unknown, malformed, accepted = rows
    assert malformed.gateway_status == "" and malformed.processed_at is None
    assert refused.headers == forged
    assert (refused.payment, refused.processed_at, refused.order_id) == (None, None, "")
    assert (unknown.order_id, unknown.payment, unknown.processed_at) == (
        "PAY-2026-999999",
        None,
        None,
    )
    assert accepted.payment == payment
    assert json.loads(accepted.body) == {
        "amount": str(payment.amount),
        "order_id": payment.order_id,
        "status": "paid",
    }
    assert set(accepted.headers) == {"X-Sandbox-Timestamp", "X-Sandbox-Signature"}
    assert (accepted.gateway_status, accepted.amount) == ("paid", payment.amount)
    assert accepted.processed_at is not None
    assert accepted.outcome == "changed: payment paid"
    assert PaymentEvent.objects.get().delivery == accepted


def test_a_huge_body_is_stored_cut(payment):
    body = b'{"pad":"' + b"x" * 20_000 + b'"}'
    assert _post(Client(), "sandbox", body).status_code == 401
    row = WebhookDelivery.objects.get()
    assert (len(row.body), row.body_truncated) == (WebhookDelivery.BODY_LIMIT, True)


def test_the_answer_comes_before_processing_and_the_sweeper_applies_what_the_queue_lost(
    payment, monkeypatch
):
    from payments import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.process_notification, "delay", broker_down)
    response = _sandbox(Client(), payment)
    assert response.status_code == 200  # stored: the gateway need not retry
    payment.refresh_from_db()
    assert payment.state == "pending"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.result, delivery.processed_at) == ("accepted", None)

    assert services.notifications_process_stored() == 0  # too fresh: the queue may still run it
    WebhookDelivery.objects.update(received_at=timezone.now() - dt.timedelta(minutes=2))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert tasks.process_stored_notifications() == 1
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert tasks.process_stored_notifications() == 0
    assert Receipt.objects.count() == 1


def test_processing_a_delivery_twice_changes_nothing(payment):
    _sandbox(Client(), payment)
    delivery = WebhookDelivery.objects.get()
    before = _snapshot(payment)
    assert services.notification_process(delivery_id=delivery.pk) is False
    assert _snapshot(payment) == before


def test_receipt_page_and_pdf_with_verification_code(payment, citizen):
    _sandbox(Client(), payment)
    receipt = Receipt.objects.get()
    assert receipt.title == f"Pembayaran pajak {payment.bill.number} Rp150.000"
    client = Client()
    client.force_login(citizen)
    page = client.get(f"/bukti/{receipt.uuid}/")
    assert page.status_code == 200
    assert receipt.code.encode() in page.content
    assert payment.order_id.encode() in page.content
    pdf = client.get(f"/bukti/{receipt.uuid}/pdf/")
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:5]) == (
        200,
        "application/pdf",
        b"%PDF-",
    )
    public = Client().get(f"/verifikasi/{receipt.code}/")
    assert public.status_code == 200
    assert citizen.full_name.encode() not in public.content


def test_a_gateway_burst_from_one_address_is_not_rate_limited(payment, settings):
    """The gateway sends every payment's notifications from a few addresses: more deliveries in
    a minute than the anonymous per-address limit are all taken (a 429 would delay settlements)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "3/min",
        },
    }
    client = Client(REMOTE_ADDR="203.0.113.10")
    statuses = [_sandbox(client, payment).status_code for _ in range(6)]
    assert statuses == [200] * 6
    # the anonymous limit itself still holds for the rest of the API from that address
    refused = [client.get("/api/v1/catalog/services/").status_code for _ in range(4)]
    assert refused[-1] == 429

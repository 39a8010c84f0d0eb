"""Parallel deliveries on PostgreSQL: exactly one state change and one receipt.

Each delivery is a real request in its own thread and database connection, released together by
a barrier; the stored notifications are applied by the Celery task (eager in tests) as each
request commits, so the applications race too. The second test sends two *different* paid
statuses (Midtrans ``settlement`` and ``capture``), which the (payment, status) unique key does
not deduplicate: only the row lock on the payment keeps it to one settlement.
"""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from payments.models import Bill, Payment, PaymentEvent, WebhookDelivery
from payments.providers import SandboxProvider, midtrans_signature
from services.receipts.models import Receipt
from services.workflow.models import StatusHistory
from tests.payments.factories import UserFactory, bppdrd, linked_bill, midtrans_payment


def _deliver_in_parallel(provider, bodies_and_headers):
    barrier = threading.Barrier(len(bodies_and_headers))
    results: list[object] = []

    def deliver(body, headers):
        try:
            barrier.wait()
            response = Client().post(
                f"/api/v1/pembayaran/webhooks/{provider}/",
                data=body,
                content_type="application/json",
                headers=headers,
            )
            results.append(response.status_code)
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=pair) for pair in bodies_and_headers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _assert_paid_once(payment, bill, deliveries):
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert payment.needs_review is False
    assert Bill.objects.get(pk=bill.pk).is_paid is True
    assert StatusHistory.objects.filter(object_id=payment.pk, to_state="paid").count() == 1
    assert Receipt.objects.filter(tracking_number=payment.order_id).count() == 1
    assert Payment.objects.filter(bill=bill, state="paid").count() == 1
    rows = list(WebhookDelivery.objects.values_list("result", "processed_at", "outcome"))
    assert len(rows) == deliveries
    assert all(result == "accepted" and processed for result, processed, _ in rows)
    outcomes = sorted(outcome for _, _, outcome in rows)
    assert outcomes.count("changed: payment paid") == 1
    assert set(outcomes) <= {
        "changed: payment paid",
        "duplicate: payment paid",
        "no change: payment paid",
    }


@pytest.fixture
def slow_apply(monkeypatch):
    """Widen the race: every application pauses after reading the payment, so without the row
    lock a second delivery would act on a stale "pending" payment."""
    import time

    from payments import services

    original = services._apply

    def slow(*args, **kwargs):
        time.sleep(0.2)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_apply", slow)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deliveries", [2, 10])
def test_concurrent_settlements_pay_the_bill_once(settings, deliveries, slow_apply):
    settings.PAYMENTS_PROVIDER = "sandbox"
    bppdrd()
    citizen = UserFactory()
    bill = linked_bill(citizen, principal=150_000)
    from payments.services import payment_create

    payment = payment_create(actor=citizen, bill=bill)
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    results = _deliver_in_parallel("sandbox", [(body, headers)] * deliveries)
    assert results == [200] * deliveries
    assert PaymentEvent.objects.filter(payment=payment).count() == 1
    _assert_paid_once(payment, bill, deliveries)


def _midtrans_body(order_id, status):
    data = {
        "transaction_status": status,
        "status_code": "200",
        "order_id": order_id,
        "gross_amount": "150000.00",
        "transaction_id": f"tx-{status}",
        "payment_type": "qris",
    }
    data["signature_key"] = midtrans_signature(
        order_id=order_id,
        status_code="200",
        gross_amount="150000.00",
        server_key="SB-Mid-server-TESTKEYNOTREAL",
    )
    return json.dumps(data).encode(), {}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_different_paid_statuses_at_once_settle_once(settings, slow_apply):
    settings.PAYMENTS_MIDTRANS_SERVER_KEY = "SB-Mid-server-TESTKEYNOTREAL"
    bppdrd()
    payment = midtrans_payment(UserFactory(), order_id="PAY-2026-777777")
    bill = payment.bill
    pairs = [_midtrans_body(payment.order_id, s) for s in ("settlement", "capture")] * 4
    results = _deliver_in_parallel("midtrans", pairs)
    assert results == [200] * len(pairs)
    assert PaymentEvent.objects.filter(payment=payment).count() == 2  # both statuses recorded
    _assert_paid_once(payment, bill, len(pairs))

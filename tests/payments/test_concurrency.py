"""Parallel deliveries of one settlement on PostgreSQL: exactly one state change and one receipt."""

import threading

import pytest
from django.db import connection
from django.test import Client

from payments.models import Bill, Payment, PaymentEvent
from payments.providers import SandboxProvider
from services.receipts.models import Receipt
from tests.payments.factories import UserFactory, bppdrd, linked_bill


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("deliveries", [2, 8])
def test_concurrent_settlements_pay_the_bill_once(settings, deliveries):
    settings.PAYMENTS_PROVIDER = "sandbox"
    bppdrd()
    citizen = UserFactory()
    bill = linked_bill(citizen, principal=150_000)
    from payments.services import payment_create

    payment = payment_create(actor=citizen, bill=bill)
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    barrier = threading.Barrier(deliveries)
    results: list[object] = []

    def deliver():
        try:
            barrier.wait()
            response = Client().post(
                "/api/v1/pembayaran/webhooks/sandbox/",
                data=body,
                content_type="application/json",
                headers=headers,
            )
            results.append((response.status_code, response.json()["changed"]))
        except Exception as exc:  # pragma: no cover - reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(deliveries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results, key=str) == sorted(
        [(200, True)] + [(200, False)] * (deliveries - 1), key=str
    )
    payment.refresh_from_db()
    assert payment.state == "paid"
    assert Bill.objects.get(pk=bill.pk).is_paid is True
    assert PaymentEvent.objects.filter(payment=payment).count() == 1
    assert Receipt.objects.filter(tracking_number=payment.order_id).count() == 1
    assert Payment.objects.filter(bill=bill, state="paid").count() == 1

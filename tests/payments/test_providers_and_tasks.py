"""The tasks (expiry, reconciliation) and the gateway-down path; the Midtrans adapter itself is in
``test_midtrans.py``."""

import datetime as dt
import json

import httpx
import respx
from django.utils import timezone

from payments import tasks
from payments.models import Payment
from payments.providers import GatewayStatus, MidtransProvider, StatusAnswer
from tests.payments.factories import linked_bill


def test_api_create_with_gateway_down_is_503_and_leaves_nothing(
    api, citizen, settings, monkeypatch
):
    settings.PAYMENTS_PROVIDER = "midtrans"
    bill = linked_bill(citizen)
    router = respx.mock(base_url="https://api.sandbox.midtrans.com")
    router.post("/v2/charge").mock(side_effect=httpx.ReadTimeout("slow"))
    api.raise_request_exception = False  # a 5xx is reported as a server error by design
    with router:
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
    monkeypatch.setattr(
        MidtransProvider,
        "query_status",
        lambda self, order_id: StatusAnswer(
            GatewayStatus.PAID, "settlement", Payment.objects.get(order_id=order_id).amount, "r-1"
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.reconcile_pending.delay().get() == 1
    old.refresh_from_db()
    young.refresh_from_db()
    assert (old.state, young.state) == ("paid", "pending")
    assert Payment.objects.get(pk=old.pk).bill.is_paid is True


def test_reconcile_flags_a_settlement_of_the_wrong_amount(api, citizen, monkeypatch):
    payment = _pending(
        api, citizen, created_at=timezone.now() - dt.timedelta(hours=1), provider="midtrans"
    )
    monkeypatch.setattr(
        MidtransProvider,
        "query_status",
        lambda self, order_id: StatusAnswer(GatewayStatus.PAID, "settlement", 1, "r-1"),
    )
    assert tasks.reconcile_pending.delay().get() == 1
    payment.refresh_from_db()
    assert (payment.state, payment.needs_review) == ("pending", True)
    assert payment.bill.is_paid is False


def test_reconcile_applies_expiry_and_skips_an_unreachable_gateway(api, citizen, monkeypatch):
    old = dict(created_at=timezone.now() - dt.timedelta(hours=1), provider="midtrans")
    payment = _pending(api, citizen, **old)
    monkeypatch.setattr(
        MidtransProvider,
        "query_status",
        lambda self, order_id: StatusAnswer(GatewayStatus.EXPIRED, "expire"),
    )
    assert tasks.reconcile_pending.delay().get() == 1
    payment.refresh_from_db()
    assert payment.state == "expired"
    other = _pending(api, citizen, **old)
    with respx.mock(base_url="https://api.sandbox.midtrans.com") as router:
        router.get(url__regex=r"/v2/.+/status").mock(side_effect=httpx.ConnectError("down"))
        monkeypatch.undo()
        assert tasks.reconcile_pending.delay().get() == 0
    other.refresh_from_db()
    assert other.state == "pending"


def test_sandbox_notification_body_is_json(db):
    from payments.providers import SandboxProvider

    body, headers = SandboxProvider().notification_for(order_id="PAY-1", status="paid", amount=5)
    assert json.loads(body) == {"order_id": "PAY-1", "status": "paid", "amount": "5"}
    assert set(headers) == {"X-Sandbox-Timestamp", "X-Sandbox-Signature"}

"""BPPDRD staff in the admin (others see nothing) and the portal pages."""

import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AgencyMembership
from payments.models import Bill, BillImport, Payment, WebhookDelivery
from payments.services import WITA
from tests.factories import PASSWORD, AgencyFactory, StaffFactory
from tests.payments.factories import PbbBillFactory, linked_bill, revenue_staff
from tests.payments.test_import import GOOD, HEADER


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(revenue_staff())
    return client


@pytest.fixture
def other_staff_client():
    client = Client()
    other = AgencyFactory(code="disdukcapil")
    client.force_login(StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=other))
    return client


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_bill_changelist_for_revenue_staff_is_constant_at_1_and_10_rows(staff_client):
    url = reverse("admin:payments_bill_changelist")
    PbbBillFactory()
    staff_client.get(url)  # warm caches (switched-off modules, content types, BPPDRD staff)
    # Ours: 1 count; 2 filtered count; 3 the page of bills with their tax objects; 4 distinct tax
    # years for the filter (the BPPDRD membership is cached until a membership changes).
    # The rest is the platform's: session, user, allauth's user-session touch (5), permission
    # backends (3), and other modules' sidebar permission checks — none depends on the rows.
    at_1, response = _count(staff_client, url)
    assert response.context["cl"].result_count == 1
    PbbBillFactory.create_batch(9)
    at_10, response = _count(staff_client, url)
    assert response.context["cl"].result_count == 10
    assert at_1 == at_10
    assert at_10 <= 20


def test_other_agency_sees_nothing(other_staff_client, api, citizen):
    bill = linked_bill(citizen)
    api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/")
    for name in ("bill", "payment", "taxobject", "penaltyrule", "paymentevent", "billimport"):
        response = other_staff_client.get(reverse(f"admin:payments_{name}_changelist"))
        assert response.status_code == 200
        assert response.context["cl"].result_count == 0, name
    change = other_staff_client.get(reverse("admin:payments_bill_change", args=[bill.pk]))
    assert change.status_code in (302, 404)
    assert other_staff_client.get(reverse("admin:payments_bill_import")).status_code == 403
    assert other_staff_client.get(reverse("admin:payments_payment_report")).status_code == 403


def test_citizen_has_no_admin(citizen):
    client = Client()
    client.force_login(citizen)
    assert client.get(reverse("admin:payments_bill_changelist")).status_code == 302


def test_admin_import_is_the_same_service(staff_client):
    upload = io.BytesIO((HEADER + GOOD).encode())
    upload.name = "bills.csv"
    response = staff_client.post(reverse("admin:payments_bill_import"), {"file": upload})
    assert response.status_code == 302
    record = BillImport.objects.get()
    assert (record.created, record.errors) == (2, [])
    assert Bill.objects.count() == 2


def test_daily_report_and_csv(staff_client, other_staff_client, api, citizen):
    from tests.payments.test_webhooks import _sandbox

    bill = linked_bill(citizen, principal=150_000)
    payment = Payment.objects.get(
        uuid=api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/").json()["uuid"]
    )
    other = linked_bill(citizen, principal=90_000)
    mismatch = Payment.objects.get(
        uuid=api.post(f"/api/v1/pembayaran/bills/{other.uuid}/payments/").json()["uuid"]
    )
    _sandbox(Client(), payment)
    _sandbox(Client(), mismatch, amount=1)  # flagged, not paid
    _sandbox(Client(), payment, headers={"X-Sandbox-Timestamp": "1", "X-Sandbox-Signature": "x"})
    url = reverse("admin:payments_payment_report")
    response = staff_client.get(url)
    assert response.status_code == 200
    assert [
        (r["provider"], r["paid"], r["total"], r["flagged"], r["refused"])
        for r in response.context["rows"]
    ] == [("sandbox", 1, 150_000, 1, 1)]
    csv_response = staff_client.get(url + "?csv=1")
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "day,channel,paid,total,flagged,refused"
    assert lines[1].endswith(",sandbox,1,150000,1,1")
    assert other_staff_client.get(url).status_code == 403


def test_daily_report_counts_a_payment_on_the_day_it_was_paid(staff_client, api, citizen):
    import datetime as dt

    from django.utils import timezone

    from tests.payments.test_webhooks import _sandbox

    bill = linked_bill(citizen, principal=150_000)
    payment = Payment.objects.get(
        uuid=api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/").json()["uuid"]
    )
    _sandbox(Client(), payment)
    payment.refresh_from_db()
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
    rows = staff_client.get(reverse("admin:payments_payment_report")).context["rows"]
    assert [(r["day"], r["paid"]) for r in rows] == [(payment.paid_at.astimezone(WITA).date(), 1)]


def test_portal_pay_flow(citizen, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(citizen)
    bill = linked_bill(citizen, principal=150_000)
    page = client.get(reverse("payments:list"))
    assert page.status_code == 200
    assert bill.number.encode() in page.content
    response = client.post(reverse("payments:bill", args=[bill.uuid]))
    payment = Payment.objects.get()
    assert response.url == reverse("payments:payment", args=[payment.uuid])
    page = client.get(response.url)
    assert b"<svg" in page.content
    png = client.get(reverse("payments:payment_qr_png", args=[payment.uuid]))
    assert (png.status_code, png["Content-Type"], png.content[:8]) == (
        200,
        "image/png",
        b"\x89PNG\r\n\x1a\n",
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:payment_simulate", args=[payment.uuid]))
    payment.refresh_from_db()
    assert payment.state == "paid"
    page = client.get(reverse("payments:payment", args=[payment.uuid]))
    assert b'data-state="paid"' in page.content
    assert b"/bukti/" in page.content


def test_portal_other_citizen_is_404(citizen):
    from tests.factories import UserFactory

    bill = linked_bill(UserFactory())
    client = Client()
    client.force_login(citizen)
    assert client.get(reverse("payments:bill", args=[bill.uuid])).status_code == 404
    assert client.post(reverse("payments:bill", args=[bill.uuid])).status_code == 404
    assert not Payment.objects.exists()


@pytest.mark.parametrize("size", [1, 10])
def test_portal_list_query_count(citizen, size, django_assert_num_queries):
    for _ in range(size):
        linked_bill(citizen)
    client = Client()
    client.force_login(citizen)
    client.get(reverse("payments:list"))
    # 1 session; 2 user; 3–7 allauth's user-session touch (savepoint, session row, its user,
    # update, release); 8 penalty rules; 9 the page of bills with tax objects; 10 my properties
    # with their tax objects.
    with django_assert_num_queries(10):
        client.get(reverse("payments:list"))


def test_portal_link_property_bad_nop(citizen):
    client = Client()
    client.force_login(citizen)
    response = client.post(reverse("payments:list"), {"nop": "65.71.010.001.001-0001.0"})
    assert response.status_code == 200
    assert response.context["form"].errors["nop"]


def test_login_password_constant_is_used():
    assert PASSWORD


def test_revenue_staff_add_a_penalty_rule_that_applies_from_its_date(staff_client):
    import datetime as dt
    from decimal import Decimal

    from payments import selectors
    from payments.models import PenaltyRule

    response = staff_client.post(
        reverse("admin:payments_penaltyrule_add"),
        {
            "effective_from": "2027-01-01",
            "rate_per_month": "0.0150",
            "cap_months": "15",
            "part_month_counts": "on",
            "rounding": "down",
            "legal_basis": "Perwali (test)",
        },
    )
    assert response.status_code == 302
    assert PenaltyRule.objects.count() == 3
    bill = PbbBillFactory(principal=1_000_000, due_date=dt.date(2025, 8, 31))
    assert selectors.bill_penalty(bill=bill, on=dt.date(2026, 12, 31)) == 160_000  # 16 × 1 %
    assert selectors.bill_penalty(bill=bill, on=dt.date(2027, 1, 1)) == 225_000  # capped 15 × 1.5 %
    rule = selectors.penalty_rule_in_force(on=dt.date(2027, 1, 1))
    assert (rule.rate_per_month, rule.rounding) == (Decimal("0.015"), "down")
    odd = PbbBillFactory(principal=333_333, due_date=dt.date(2026, 11, 30))
    assert selectors.bill_penalty(bill=odd, on=dt.date(2027, 1, 1)) == 9_999  # 2 × 1.5 %, down


def test_other_agency_cannot_add_a_penalty_rule(other_staff_client):
    from payments.models import PenaltyRule

    response = other_staff_client.post(
        reverse("admin:payments_penaltyrule_add"),
        {"effective_from": "2027-01-01", "rate_per_month": "0.5", "cap_months": "1"},
    )
    assert response.status_code == 403
    assert PenaltyRule.objects.count() == 2


def test_staff_of_another_agency_get_404_in_the_api(api, citizen):
    from rest_framework.test import APIClient

    bill = linked_bill(citizen)
    payment_uuid = api.post(f"/api/v1/pembayaran/bills/{bill.uuid}/payments/").json()["uuid"]
    client = APIClient()
    client.force_authenticate(
        StaffFactory(
            role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=AgencyFactory(code="dkk")
        )
    )
    assert client.get(f"/api/v1/pembayaran/bills/{bill.uuid}/").status_code == 404
    assert client.get(f"/api/v1/pembayaran/payments/{payment_uuid}/").status_code == 404
    revenue = APIClient()
    revenue.force_authenticate(revenue_staff())
    assert revenue.get(f"/api/v1/pembayaran/payments/{payment_uuid}/").status_code == 200


def test_revoking_the_membership_hides_the_admin_at_once():
    staff = revenue_staff()
    client = Client()
    client.force_login(staff)
    url = reverse("admin:payments_bill_changelist")
    PbbBillFactory()
    assert client.get(url).context["cl"].result_count == 1
    membership = AgencyMembership.objects.get(user=staff)
    membership.delete()  # the revoke signal forgets the cached answer
    assert client.get(url).status_code == 403  # no agency role left


# --- the sandbox "pay now" page is an explicit setting ---------------------------------------


def _pending_payment(citizen):
    client = Client()
    client.force_login(citizen)
    bill = linked_bill(citizen, principal=150_000)
    client.post(reverse("payments:bill", args=[bill.uuid]))
    return client, Payment.objects.get()


@pytest.mark.parametrize(
    ("pay_page", "provider"), [(False, "sandbox"), (True, "midtrans"), (False, "midtrans")]
)
def test_sandbox_pay_button_only_when_the_setting_is_on(citizen, settings, pay_page, provider):
    client, payment = _pending_payment(citizen)
    settings.PAYMENTS_SANDBOX_PAY_PAGE = pay_page
    settings.PAYMENTS_PROVIDER = provider
    page = client.get(reverse("payments:payment", args=[payment.uuid]))
    assert b'id="simulate-form"' not in page.content
    response = client.post(reverse("payments:payment_simulate", args=[payment.uuid]))
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.state == "pending"
    assert not WebhookDelivery.objects.exists()


def test_sandbox_pay_button_shown_when_on(citizen, settings):
    settings.PAYMENTS_SANDBOX_PAY_PAGE = True
    client, payment = _pending_payment(citizen)
    page = client.get(reverse("payments:payment", args=[payment.uuid]))
    assert b'id="simulate-form"' in page.content


def test_sandbox_pay_page_is_on_in_the_embedded_default_and_refused_in_production():
    from tests.platform.test_settings import _manage, _production_env

    script = "from django.conf import settings; print(settings.PAYMENTS_SANDBOX_PAY_PAGE)"
    assert _manage("shell", "-c", script).stdout.split()[-1] == "True"
    production = _production_env()
    assert _manage("shell", "-c", script, **production).stdout.split()[-1] == "False"
    refused = _manage("check", **production, PAYMENTS_SANDBOX_PAY_PAGE="true")
    assert refused.returncode != 0
    assert "PAYMENTS_SANDBOX_PAY_PAGE" in refused.stderr


# --- received notifications in the admin -------------------------------------------------------


def test_received_notifications_in_the_admin(staff_client, other_staff_client, citizen):
    from payments.providers import SandboxProvider
    from payments.services import webhook_receive

    _client, payment = _pending_payment(citizen)
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    webhook_receive(provider_code="sandbox", headers=headers, body=body)  # not applied yet
    delivery = WebhookDelivery.objects.get()
    url = reverse("admin:payments_webhookdelivery_changelist")
    page = staff_client.get(url + "?result__exact=accepted&q=" + payment.order_id)
    assert page.context["cl"].result_count == 1
    detail = staff_client.get(reverse("admin:payments_webhookdelivery_change", args=[delivery.pk]))
    assert detail.status_code == 200
    assert b"X-Sandbox-Signature" in detail.content
    assert other_staff_client.get(url).context["cl"].result_count == 0
    assert (
        other_staff_client.get(
            reverse("admin:payments_webhookdelivery_change", args=[delivery.pk])
        ).status_code
        == 302  # the admin's "does not exist" redirect: nothing shown
    )
    response = staff_client.post(
        url, {"action": "apply_now", "_selected_action": [delivery.pk]}, follow=True
    )
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.state == "paid"
    delivery.refresh_from_db()
    assert delivery.outcome == "changed: payment paid"


def test_received_notifications_changelist_is_constant_at_1_and_10_rows(staff_client):
    def stored(n):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(provider="sandbox", result="signature_invalid", body="{}")
            for _ in range(n)
        )

    url = reverse("admin:payments_webhookdelivery_changelist")
    stored(1)
    staff_client.get(url)  # warm caches
    at_1, response = _count(staff_client, url)
    assert response.context["cl"].result_count == 1
    stored(9)
    at_10, response = _count(staff_client, url)
    assert response.context["cl"].result_count == 10
    assert at_1 == at_10

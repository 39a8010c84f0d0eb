"""Pay a PBB bill in the portal with the sandbox acquirer, as a citizen on a phone.

Selectors are ids and data attributes, never visible text.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from payments.models import Bill, Payment, PropertyLink, TaxObject, WebhookDelivery
from tests.e2e.conftest import log_in, screenshot
from tests.factories import AgencyFactory


def _linked_bill(citizen):
    AgencyFactory(code="bppdrd", name="BPPDRD", short_name="BPPDRD")
    tax_object = TaxObject.objects.create(
        nop="647101000100100010",
        kecamatan_code="010",
        kelurahan_code="001",
        address="Jl. Jenderal Sudirman No. 12",
        kelurahan_name="Klandasan Ulu",
        taxpayer_name="SITI RAHMAWATI",
    )
    bill = Bill.objects.create(
        kind=Bill.Kind.PBB,
        number="SPPT-2026-E2E",
        tax_object=tax_object,
        tax_year=2026,
        payer_name="SITI RAHMAWATI",
        principal=150_000,
        due_date=dt.date(2099, 8, 31),
    )
    PropertyLink.objects.create(user=citizen, tax_object=tax_object)
    return bill


@pytest.mark.e2e
def test_pay_a_bill_with_the_sandbox_acquirer(page, live_server, citizen, settings):
    settings.PAYMENTS_PROVIDER = "sandbox"
    settings.PAYMENTS_SANDBOX_PAY_PAGE = True  # the demo's explicit setting
    bill = _linked_bill(citizen)
    base = live_server.url

    log_in(page, base, login=citizen.email)
    page.goto(f"{base}/layanan/pembayaran/")
    page.locator(f"a[href='/layanan/pembayaran/tagihan/{bill.uuid}/']").click()
    page.locator("#pay-form button[type=submit]").click()
    page.wait_for_url(f"{base}/layanan/pembayaran/pembayaran/**")
    expect(page.locator("#qris svg")).to_have_count(1)
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "pending")
    screenshot(page, "payments-qris")

    page.locator("#simulate-form button[type=submit]").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "paid")
    expect(page.locator("#qris")).to_have_count(0)
    assert Payment.objects.get().state == "paid"
    bill.refresh_from_db()
    assert bill.is_paid is True
    # the sandbox acquirer's callback went through the webhook path: stored, verified, applied
    delivery = WebhookDelivery.objects.get()
    assert (delivery.result, delivery.outcome) == ("accepted", "changed: payment paid")
    page.locator("a[href^='/bukti/']").click()
    expect(page.locator("main")).to_contain_text(Payment.objects.get().order_id)


@pytest.mark.e2e
def test_payment_pages_are_accessible_light_and_keyboard_usable(
    page, context, live_server, citizen, settings
):
    from payments.services import payment_create
    from tests.e2e.test_accessibility import assert_all_pass, check
    from tests.e2e.test_page_weight import BUDGET_BYTES, page_weight

    settings.PAYMENTS_SANDBOX_PAY_PAGE = True
    bill = _linked_bill(citizen)
    payment = payment_create(actor=citizen, bill=bill)
    base = live_server.url
    log_in(page, base, login=citizen.email)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    pages = [
        "/layanan/pembayaran/",
        f"/layanan/pembayaran/tagihan/{bill.uuid}/",
        f"/layanan/pembayaran/pembayaran/{payment.uuid}/",
    ]
    reports, weights = [], {}
    for path in pages:
        weights[path] = sum(page_weight(page, f"{base}{path}").values())
        reports.append(check(page, path))
    print("\npayments page weights (bytes):", weights)
    assert {p: w for p, w in weights.items() if w >= BUDGET_BYTES} == {}
    assert_all_pass(reports)
    # the NOP form shows its error accessibly
    page.goto(f"{base}/layanan/pembayaran/")
    page.locator("input[name=nop]").fill("65.71.010.001.001-0001.0")
    with page.expect_navigation():
        page.locator("input[name=nop]").press("Enter")
    assert page.locator("[aria-invalid=true]").count() >= 1
    assert_all_pass([check(page, "/layanan/pembayaran/ (errors)")])
    # the sandbox button is reached by keyboard and pays
    page.goto(f"{base}/layanan/pembayaran/pembayaran/{payment.uuid}/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#simulate-form') !== null"):
            break
    else:
        raise AssertionError("the pay button is not reachable with Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "paid")

"""Pay a PBB bill in the portal with the sandbox acquirer, as a citizen on a phone.

Selectors are ids and data attributes, never visible text.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from payments.models import Bill, Payment, PropertyLink, TaxObject
from tests.e2e.conftest import log_in, screenshot
from tests.factories import AgencyFactory


@pytest.mark.e2e
def test_pay_a_bill_with_the_sandbox_acquirer(page, live_server, citizen, settings):
    settings.PAYMENTS_PROVIDER = "sandbox"
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

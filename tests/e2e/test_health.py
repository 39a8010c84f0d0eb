"""Booking a queue ticket in the portal on a phone (390×844), and the TV display following the
counter without a reload. Selectors are ids, classes and data-testid, never visible text."""

import pytest
from playwright.sync_api import expect

from accounts.models import AgencyMembership
from health import services
from health.models import Ticket
from tests.e2e.conftest import log_in, screenshot
from tests.factories import AgencyFactory, StaffFactory
from tests.health.factories import SessionFactory


@pytest.fixture
def session():
    dkk = AgencyFactory(code="dkk", name="Dinas Kesehatan", short_name="DKK")
    return SessionFactory(
        service_point__facility__agency=dkk,
        service_point__facility__name="Puskesmas Klandasan Ilir",
        quota=30,
    )


@pytest.mark.e2e
def test_a_citizen_books_a_ticket_and_sees_position_and_estimate(
    page, live_server, citizen, session
):
    base = live_server.url
    log_in(page, base, login=citizen.email)

    page.goto(f"{base}/layanan/kesehatan/?latitude=-1.27&longitude=116.83")
    page.locator(".facility-list a").first.click()
    page.locator(".session-list a").first.click()
    page.locator("#id_payer").select_option("bpjs")
    page.locator("#book-form button[type=submit]").click()

    page.wait_for_url(f"{base}/layanan/kesehatan/tiket/**")
    expect(page.locator("[data-testid=ticket-number]")).to_have_text("1")
    expect(page.locator("[data-testid=people-ahead]")).to_have_text("0")
    expect(page.locator("[data-testid=estimate]")).to_contain_text("WITA")
    screenshot(page, "health-ticket")
    ticket = Ticket.objects.get()
    assert (ticket.owner, ticket.number, ticket.payer, ticket.state) == (
        citizen,
        1,
        "bpjs",
        "booked",
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


@pytest.mark.e2e
def test_the_display_follows_the_counter_without_reloading(page, live_server, citizen, session):
    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    officer = StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=session.service_point.agency
    )
    page.goto(f"{live_server.url}/layanan/kesehatan/layar/{session.service_point.uuid}/")
    number = page.locator('[data-field="now_serving"]')
    expect(page.locator('[data-field="waiting"]')).to_have_text("1")
    page.evaluate("window.__marker = 'same page'")

    services.ticket_check_in(actor=officer, ticket=ticket)
    services.session_call_next(actor=officer, session=session)

    expect(number).to_have_text("1", timeout=15_000)
    assert page.evaluate("window.__marker") == "same page"

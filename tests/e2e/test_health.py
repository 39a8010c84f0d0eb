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


@pytest.mark.e2e
def test_a_household_books_one_mpp_visit_and_replans_after_a_cancellation(page, live_server):
    """On a phone: plan two services for the head and one for the child, in any order; the
    chain comes back ordered by dependency at consecutive times; one step is cancelled and the
    rest is re-planned."""
    import datetime as dt

    from health.models import VisitPlan
    from tests.accounts.test_households import family
    from tests.factories import UserFactory
    from tests.health.factories import mpp_with_hourly_sessions

    head = UserFactory(full_name="Budi Santoso", email="budi@example.test", nik="6471051508900001")
    child = family(head).child
    mpp = mpp_with_hourly_sessions(hours=4)
    dukcapil, bpjs, start = mpp["dukcapil"], mpp["bpjs"], mpp["start"]
    base = live_server.url
    log_in(page, base, login=head.email)

    page.goto(f"{base}/layanan/kesehatan/")
    page.locator("#visit-plan-link").click()
    page.locator("#id_point_1").select_option(str(bpjs.uuid))  # asked first, depends on KK
    page.locator("#id_point_2").select_option(str(dukcapil.uuid))
    page.locator("#id_point_3").select_option(str(dukcapil.uuid))
    page.locator("#id_member_3").select_option(str(child.uuid))
    page.locator("#id_payer").select_option("bpjs")
    page.locator("#visit-form button[type=submit]").click()

    steps = page.locator("[data-testid=proposed-step]")
    expect(steps).to_have_count(3)
    expect(steps.nth(0)).to_contain_text("Loket Disdukcapil")
    expect(steps.nth(1)).to_contain_text("Citra Santoso")
    expect(steps.nth(2)).to_contain_text("Loket BPJS")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#visit-book-form button[type=submit]").click()

    plan = VisitPlan.objects.get()
    page.wait_for_url(f"{base}/layanan/kesehatan/kunjungan/{plan.uuid}/")
    expect(page.locator("[data-testid=visit-step]")).to_have_count(3)
    screenshot(page, "health-visit-plan")
    page.locator("[data-testid=visit-step]").nth(1).locator("[data-testid=cancel-step]").click()
    expect(page.locator("[data-testid=visit-step]").nth(1)).to_have_attribute(
        "data-state", "cancelled"
    )
    page.locator("[data-testid=replan]").click()

    expect(page.locator("[data-testid=replan]")).to_have_count(0)
    moved = plan.tickets.get(plan_step=3, state="booked")
    assert moved.session.starts_at == start + dt.timedelta(hours=1)  # right after the KK update
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.e2e
def test_the_ticket_page_shows_the_check_in_qr(page, live_server, citizen, session):
    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    log_in(page, live_server.url, login=citizen.email)
    page.goto(f"{live_server.url}/layanan/kesehatan/tiket/{ticket.uuid}/")
    qr = page.locator("[data-testid=check-in-qr]")
    expect(qr).to_be_visible()
    assert page.evaluate("document.querySelector('[data-testid=check-in-qr]').naturalWidth") > 0


@pytest.mark.e2e
def test_health_pages_pass_the_accessibility_checks_and_weigh_under_150_kb(
    page, context, live_server, citizen, session
):
    """The pages with content (a ticket with its QR, a session's public change log, the MPP
    visit form with a proposal): WCAG 2.1 AA (axe and our structure checks) and the weight."""
    from tests.e2e.test_accessibility import assert_all_pass, check
    from tests.e2e.test_page_weight import BUDGET_BYTES, page_weight

    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    base = live_server.url
    log_in(page, base, login=citizen.email)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    paths = [
        f"/layanan/kesehatan/tiket/{ticket.uuid}/",
        f"/layanan/kesehatan/sesi/{session.uuid}/",
        "/layanan/kesehatan/tiket/",
        f"/layanan/kesehatan/fasilitas/{session.service_point.facility.uuid}/",
    ]
    reports, weights = [], {}
    for path in paths:
        weights[path] = sum(page_weight(page, f"{base}{path}").values())
        reports.append(check(page, path))
    page.goto(f"{base}/layanan/kesehatan/kunjungan/")
    page.locator("#visit-form button[type=submit]").click()  # empty: the error state
    page.wait_for_load_state()
    reports.append(check(page, "/layanan/kesehatan/kunjungan/ (errors)"))

    assert_all_pass(reports)
    assert {p: w for p, w in weights.items() if w >= BUDGET_BYTES} == {}


@pytest.mark.e2e
def test_the_ticket_page_follows_the_queue_without_reloading(page, live_server, citizen, session):
    from tests.factories import UserFactory

    ahead = UserFactory()
    first = services.ticket_book(actor=ahead, session=session, payer="bpjs")
    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    log_in(page, live_server.url, login=citizen.email)
    page.goto(f"{live_server.url}/layanan/kesehatan/tiket/{ticket.uuid}/")
    expect(page.locator("[data-testid=people-ahead]")).to_have_text("1")
    page.evaluate("window.__marker = 'same page'")

    services.ticket_cancel(actor=ahead, ticket=first)

    expect(page.locator("[data-testid=people-ahead]")).to_have_text("0", timeout=30_000)
    assert page.evaluate("window.__marker") == "same page"


@pytest.mark.e2e
def test_a_keyboard_wedge_scanner_checks_a_ticket_in_at_the_admin(
    page, live_server, citizen, session
):
    """The scanner types the QR's code into the focused field and presses Enter; the page
    comes back with the ticket checked in and the field focused for the next one."""
    from health.checkin import check_in_token

    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    officer = StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=session.service_point.agency
    )
    log_in(page, live_server.url, login=officer.email)
    page.goto(f"{live_server.url}/admin/health/ticket/check-in/")
    assert page.evaluate("document.activeElement.name") == "code"

    page.keyboard.type(check_in_token(ticket))
    page.keyboard.press("Enter")

    page.wait_for_load_state()
    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert page.evaluate("document.activeElement.name") == "code"
    ticket.refresh_from_db()
    assert ticket.state == "checked_in"

"""The portal home on a phone (390×844): search the catalog from it, and a signed-in citizen sees
their activity and their unread notifications."""

import pytest

from services.activity import activity_record
from services.notifications import notify
from tests.e2e.conftest import log_in, screenshot
from tests.e2e.test_accessibility import assert_all_pass, check
from tests.services.test_catalog_factories import seed_everything


@pytest.mark.e2e
def test_search_the_catalog_from_the_home_page(page, live_server):
    seed_everything()
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("#home-search").fill("akte lahir")
    with page.expect_navigation():
        page.locator("form[role=search] button[type=submit]").click()
    assert page.url == f"{live_server.url}/layanan/?q=akte+lahir"
    first = page.locator("main .service-list > li").first
    assert first.locator("h3").inner_text() == "Akta Kelahiran"


@pytest.mark.e2e
def test_a_citizen_sees_activity_and_unread_notifications(
    page, live_server, citizen, django_capture_on_commit_callbacks
):
    seed_everything()
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            owner=citizen,
            obj=citizen,
            module="pencatatan-sipil",
            tracking_number="DUK-2026-000123",
            title="Akta kelahiran untuk Ahmad",
            state="submitted",
            state_label="Diajukan",
            is_open=True,
            portal_link="/layanan/pencatatan-sipil/",
        )
        notify(
            recipient=citizen,
            event="status_changed",
            key="e2e-home-1",
            context={
                "tracking_number": "DUK-2026-000123",
                "title": "Akta kelahiran untuk Ahmad",
                "state": "submitted",
                "state_label": "Diajukan",
                "from_state": "draft",
            },
        )
    log_in(page, live_server.url, login="siti@example.test")
    page.goto(f"{live_server.url}/")
    activity = page.locator("section[aria-labelledby=activity-title] li")
    assert activity.count() == 1
    assert "DUK-2026-000123" in activity.first.inner_text()
    assert "Akta kelahiran untuk Ahmad" in activity.first.inner_text()
    badge = page.locator("#notifications-title .badge")
    assert badge.inner_text().startswith("1")
    screenshot(page, "home-citizen")
    assert_all_pass([check(page, "/")])

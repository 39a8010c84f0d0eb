"""Keyboard only: the skip link comes first, the login form is reached in order, focus shows."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    id: el.id, tag: el.tagName.toLowerCase(), type: el.type || "", href: el.getAttribute("href"),
    className: el.className, outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth), boxShadow: style.boxShadow,
    inViewport: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
      && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


def focus_is_visible(focused: dict) -> bool:
    outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 2
    return outline and focused["inViewport"]


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


@pytest.mark.e2e
def test_skip_link_comes_first_and_moves_focus_to_the_main_content(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")

    first = tab(page)

    assert (first["tag"], first["href"], first["className"]) == ("a", "#main", "skip-link")
    assert focus_is_visible(first)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.e2e
def test_login_form_is_reached_in_order_with_visible_focus_and_submits(page, live_server, citizen):
    page.goto(f"{live_server.url}/accounts/login/")
    tab(page)
    page.keyboard.press("Enter")  # the skip link

    visited = []
    for _ in range(15):
        focused = tab(page)
        assert focus_is_visible(focused), focused
        visited.append(focused)
        if focused["tag"] == "button" and focused["type"] == "submit":
            break

    ids = [f["id"] for f in visited if f["id"]]
    assert ids[:2] == ["id_login", "id_password"]
    assert set(ids[2:]) <= {"id_remember"}  # "Remember me", while ACCOUNT_SESSION_REMEMBER=None
    assert visited[0]["href"] == "/accounts/signup/"  # the sign-up link in the intro text
    assert visited[-1]["tag"] == "button"

    page.locator("#id_login").focus()
    page.keyboard.type(citizen.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/profil/")
    expect(page.locator(".profile-name")).to_have_text("Siti Rahmawati")


@pytest.mark.e2e
def test_every_control_on_the_signup_page_shows_focus(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    count = page.locator("a[href], button, input:not([type=hidden]), select").count()

    for _ in range(count):
        focused = tab(page)
        assert focus_is_visible(focused), focused

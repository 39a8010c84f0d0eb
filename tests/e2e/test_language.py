"""Indonesian by default, English through the language switch in the footer."""

import pytest

from tests.e2e.conftest import log_in, new_context

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]


def html_lang(page) -> str:
    return page.get_attribute("html", "lang")


def switch_language(page, code: str) -> None:
    page.locator("#language-select").select_option(code)
    with page.expect_navigation():
        page.locator("form.language-switch button[type=submit]").click()


@pytest.mark.e2e
@pytest.mark.parametrize("locale", ["id-ID", "fr-FR"])
def test_pages_are_indonesian_by_default(browser, live_server, citizen, locale):
    """An Indonesian phone, and one asking for a language we do not offer, both get ``id``."""
    context = new_context(browser, locale=locale)
    page = context.new_page()
    try:
        for path in PUBLIC_PAGES:
            page.goto(f"{live_server.url}{path}")
            assert html_lang(page) == "id", path
        log_in(page, live_server.url, login=citizen.email)
        assert html_lang(page) == "id"
    finally:
        context.close()


@pytest.mark.e2e
def test_switching_to_english_sets_lang_en_on_every_page_and_back(page, live_server, citizen):
    page.goto(f"{live_server.url}/accounts/login/")

    switch_language(page, "en")

    assert page.url == f"{live_server.url}/accounts/login/"  # back where the switch was made
    assert html_lang(page) == "en"
    assert page.locator("#language-select").input_value() == "en"
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{path}")
        assert html_lang(page) == "en", path
    log_in(page, live_server.url, login=citizen.email)
    assert html_lang(page) == "en"

    switch_language(page, "id")

    assert page.url == f"{live_server.url}/profil/"
    assert html_lang(page) == "id"

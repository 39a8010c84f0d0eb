"""Sign up, log out, log in and edit the profile through the portal, as a citizen on a phone.

Selectors are ids and form structure, never visible text, so that the tests keep passing when
the Indonesian translations arrive.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import log_in, screenshot
from tests.factories import PASSWORD

SUBMIT = "main form.form button[type=submit]"
LOGOUT = "header form[action='/accounts/logout/'] button"


def sign_up(page, base_url, *, full_name, email="", phone=""):
    page.goto(f"{base_url}/accounts/signup/")
    page.locator("#id_full_name").fill(full_name)
    if email:
        page.locator("#id_email").fill(email)
    if phone:
        page.locator("#id_phone").fill(phone)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator(SUBMIT).first.click()


@pytest.mark.e2e
def test_sign_up_with_email_log_out_and_log_in_again(page, live_server):
    base = live_server.url

    sign_up(page, base, full_name="Andi Pratama", email="andi@example.test")

    page.wait_for_url(f"{base}/profil/")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator(".profile-name")).to_have_text("Andi Pratama")
    user = User.objects.get(email="andi@example.test")
    assert (user.full_name, user.phone, user.preferred_language) == ("Andi Pratama", None, "id")

    page.locator(LOGOUT).click()
    page.wait_for_url(f"{base}/")
    expect(page.locator(LOGOUT)).to_have_count(0)
    page.goto(f"{base}/profil/")
    assert page.url.startswith(f"{base}/accounts/login/?next=/profil/")

    log_in(page, base, login="andi@example.test")

    expect(page.locator(".profile-name")).to_have_text("Andi Pratama")
    expect(page.locator("#id_full_name")).to_have_value("Andi Pratama")
    expect(page.locator(".facts")).to_contain_text("andi@example.test")


@pytest.mark.e2e
def test_sign_up_with_phone_verifies_it_by_sms_code_then_logs_in_with_it(
    page, live_server, sms_outbox
):
    base = live_server.url

    sign_up(page, base, full_name="Rudi Hartono", phone="0812 3456 7890")

    page.wait_for_url(f"{base}/accounts/phone/verify/")
    assert [message["to"] for message in sms_outbox] == ["+6281234567890"]
    code = re.search(r"\b([A-Z0-9]{6})\b", sms_outbox[0]["body"]).group(1)
    page.locator("#id_code").fill(code)
    page.locator(SUBMIT).first.click()
    page.wait_for_url(f"{base}/profil/")
    expect(page.locator(".profile-name")).to_have_text("Rudi Hartono")
    expect(page.locator(".facts")).to_contain_text("+6281234567890")
    user = User.objects.get(phone="+6281234567890")
    assert (user.email, user.phone_verified) == (None, True)

    page.locator(LOGOUT).click()
    page.wait_for_url(f"{base}/")
    # Typed as stored (E.164): AccountAdapter.get_user_by_phone() does not normalise "0812…" yet.
    log_in(page, base, login="+6281234567890")

    expect(page.locator(".profile-name")).to_have_text("Rudi Hartono")
    assert len(sms_outbox) == 1  # a verified phone is not asked for a code again


@pytest.mark.e2e
def test_sign_up_without_email_or_phone_shows_the_error_and_creates_nobody(page, live_server):
    sign_up(page, live_server.url, full_name="Tanpa Kontak")

    expect(page.locator(".error-summary")).to_be_visible()
    assert page.url == f"{live_server.url}/accounts/signup/"
    assert User.objects.count() == 0


@pytest.mark.e2e
def test_edit_profile_sets_the_nik(page, live_server, citizen):
    base = live_server.url
    log_in(page, base, login=citizen.email)
    expect(page.locator(".profile-name")).to_have_text("Siti Rahmawati")

    page.locator("#id_full_name").fill("Siti Rahmawati Putri")
    page.locator("#id_nik").fill("6471051508900001")
    page.locator(SUBMIT).click()

    page.wait_for_url(f"{base}/profil/")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".profile-name")).to_have_text("Siti Rahmawati Putri")
    expect(page.locator(".facts .nik")).to_have_text("6471********0001")
    expect(page.locator("#id_nik")).to_have_value("6471051508900001")
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.nik, citizen.is_nik_verified) == (
        "Siti Rahmawati Putri",
        "6471051508900001",
        False,
    )
    screenshot(page, "profile")


@pytest.mark.e2e
def test_edit_profile_with_an_invalid_nik_ties_the_error_to_the_field(page, live_server, citizen):
    log_in(page, live_server.url, login=citizen.email)

    page.locator("#id_nik").fill("1234")
    page.locator(SUBMIT).click()

    nik = page.locator("#id_nik")
    expect(nik).to_have_attribute("aria-invalid", "true")
    described_by = nik.get_attribute("aria-describedby").split()
    assert "id_nik_error" in described_by
    expect(page.locator("#id_nik_error")).to_be_visible()
    expect(page.locator(".error-summary a[href='#id_nik']")).to_have_count(1)
    citizen.refresh_from_db()
    assert citizen.nik == ""

"""Check-in at the facility: the signed QR on the ticket (API and portal), scanned by staff through
the staff API or the counter's admin page (keyboard-wedge scanner), and the staff search."""

import pytest
from django.core import signing
from django.urls import reverse

from health import checkin, services
from health.models import Ticket
from tests.factories import UserFactory
from tests.health.conftest import errors

pytestmark = pytest.mark.django_db
BASE = "/api/v1/kesehatan"
CHECK_IN_PAGE = "/admin/health/ticket/check-in/"


@pytest.fixture
def ticket(session, citizen):
    return services.ticket_book(actor=citizen, session=session, payer="bpjs")


def test_the_token_is_signed_and_names_the_ticket_without_its_number_or_code(ticket):
    token = checkin.check_in_token(ticket)

    assert checkin.check_in_token_ticket_uuid(token) == ticket.uuid
    assert checkin.check_in_token_ticket_uuid(f"  {token}\n") == ticket.uuid  # scanner's Enter
    assert ticket.code not in token and str(ticket.pk) != token
    value, signature = token.rsplit(":", 1)
    assert value == ticket.uuid.hex and len(signature) >= 40


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "hello",
        "A001-1-202601010800",
        "0" * 32,
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature altered
        lambda t: "f" * 32 + t[32:],  # another uuid with this ticket's signature
        lambda t: signing.Signer(salt="another.salt").sign(t.split(":")[0]),
    ],
)
def test_a_forged_or_damaged_token_is_a_clear_400(api, ticket, officer, forged):
    token = checkin.check_in_token(ticket)
    value = forged(token) if callable(forged) else forged
    api.force_authenticate(officer)

    response = api.post(f"{BASE}/staff/check-in/", {"token": value}, format="json")

    assert response.status_code == 400
    assert errors(response) in (["invalid_check_in_token"], ["required"], ["blank"])
    assert Ticket.objects.get().state == "booked"


def test_my_ticket_carries_the_qr_of_its_token_until_check_in(api, ticket, citizen, officer):
    api.force_authenticate(citizen)
    data = api.get(f"{BASE}/tickets/{ticket.uuid}/").json()
    assert data["check_in_token"] == checkin.check_in_token(ticket)
    assert data["check_in_qr"].startswith("data:image/svg+xml")

    services.ticket_check_in(actor=officer, ticket=ticket)

    data = api.get(f"{BASE}/tickets/{ticket.uuid}/").json()
    assert (data["check_in_token"], data["check_in_qr"]) == (None, None)


def test_staff_scan_checks_in_then_a_second_scan_is_409(api, ticket, officer):
    token = checkin.check_in_token(ticket)
    api.force_authenticate(officer)

    first = api.post(f"{BASE}/staff/check-in/", {"token": token}, format="json")
    assert (first.status_code, first.json()["state"], first.json()["uuid"]) == (
        200,
        "checked_in",
        str(ticket.uuid),
    )
    second = api.post(f"{BASE}/staff/check-in/", {"token": token}, format="json")
    assert (second.status_code, errors(second)) == (409, ["already_checked_in"])
    ticket.refresh_from_db()
    assert ticket.state == "checked_in" and ticket.checked_in_at is not None


def test_a_cancelled_ticket_cannot_be_checked_in(api, ticket, citizen, officer):
    services.ticket_cancel(actor=citizen, ticket=ticket)
    api.force_authenticate(officer)
    response = api.post(
        f"{BASE}/staff/check-in/", {"token": checkin.check_in_token(ticket)}, format="json"
    )
    assert response.status_code == 409
    assert Ticket.objects.get().state == "cancelled"


def test_staff_of_another_facility_scanning_get_404(api, ticket, other_officer, citizen):
    token = checkin.check_in_token(ticket)
    for user in (other_officer, citizen):
        api.force_authenticate(user)
        response = api.post(f"{BASE}/staff/check-in/", {"token": token}, format="json")
        assert response.status_code == 404
    api.force_authenticate(None)
    assert api.post(f"{BASE}/staff/check-in/", {"token": token}, format="json").status_code in (
        401,
        403,
    )
    assert Ticket.objects.get().state == "booked"


def test_staff_search_by_number_or_name_is_scoped(
    api, ticket, officer, other_officer, django_assert_max_num_queries
):
    api.force_authenticate(officer)
    for q in ("1", "siti", ticket.code):
        found = api.get(f"{BASE}/staff/tickets/", {"q": q}).json()["results"]
        assert [t["uuid"] for t in found] == [str(ticket.uuid)], q
    assert api.get(f"{BASE}/staff/tickets/", {"q": "nobody"}).json()["results"] == []
    assert api.get(f"{BASE}/staff/tickets/").json()["results"] == []
    with django_assert_max_num_queries(4):
        api.get(f"{BASE}/staff/tickets/", {"q": "siti"})
    api.force_authenticate(other_officer)
    assert api.get(f"{BASE}/staff/tickets/", {"q": "siti"}).json()["results"] == []


# --- the counter's admin page ---------------------------------------------------------------------


def test_admin_page_has_a_focused_scanner_field(client, officer):
    client.force_login(officer)
    page = client.get(CHECK_IN_PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="code"' in html and "autofocus" in html
    assert reverse("admin:health_ticket_check_in") == CHECK_IN_PAGE
    assert CHECK_IN_PAGE in client.get("/admin/health/ticket/").content.decode()


def test_admin_scan_checks_in_and_a_repeat_is_409(client, ticket, officer):
    client.force_login(officer)
    token = checkin.check_in_token(ticket)

    done = client.post(CHECK_IN_PAGE, {"code": token + "\r\n"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "checked_in"
    again = client.post(CHECK_IN_PAGE, {"code": token})
    assert again.status_code == 409
    assert "autofocus" in again.content.decode()  # ready for the next scan


def test_admin_scan_refusals(client, ticket, officer, other_officer):
    client.force_login(officer)
    assert client.post(CHECK_IN_PAGE, {"code": "forged:code"}).status_code == 400
    assert client.post(CHECK_IN_PAGE, {"code": ""}).status_code == 400
    assert client.post(CHECK_IN_PAGE, {"ticket": "not-a-uuid"}).status_code == 404
    client.force_login(other_officer)
    assert client.post(CHECK_IN_PAGE, {"code": checkin.check_in_token(ticket)}).status_code == 404
    assert client.post(CHECK_IN_PAGE, {"ticket": str(ticket.uuid)}).status_code == 404
    assert Ticket.objects.get().state == "booked"
    client.force_login(UserFactory())
    assert client.get(CHECK_IN_PAGE).status_code == 302  # to the admin's login


def test_admin_search_then_check_in(client, ticket, officer, other_officer):
    client.force_login(officer)
    page = client.get(CHECK_IN_PAGE, {"q": "Siti"})
    assert [t.uuid for t in page.context["results"]] == [ticket.uuid]
    assert client.post(CHECK_IN_PAGE, {"ticket": str(ticket.uuid)}).status_code == 302
    assert Ticket.objects.get().state == "checked_in"
    client.force_login(other_officer)
    assert list(client.get(CHECK_IN_PAGE, {"q": "Siti"}).context["results"]) == []


def test_portal_ticket_page_shows_the_qr(client, ticket, citizen):
    client.force_login(citizen)
    page = client.get(f"/layanan/kesehatan/tiket/{ticket.uuid}/")
    assert page.context["check_in_token"] == checkin.check_in_token(ticket)
    assert 'data-testid="check-in-qr"' in page.content.decode()

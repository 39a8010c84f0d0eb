"""Portal pages, the counter's admin and the Celery tasks."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AgencyMembership
from health import services, tasks
from health.models import Schedule, Session, Ticket
from services.notifications.models import Notification
from tests.factories import StaffFactory, UserFactory
from tests.health.factories import ServicePointFactory, SessionFactory

pytestmark = pytest.mark.django_db
PORTAL = "/layanan/kesehatan"


def test_book_in_the_portal_and_see_the_ticket(client, session, citizen):
    client.force_login(citizen)

    response = client.post(f"{PORTAL}/sesi/{session.uuid}/pesan/", {"payer": "general"})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{PORTAL}/tiket/{ticket.uuid}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["position"].people_ahead == 0
    assert (ticket.owner, ticket.payer) == (citizen, "general")


def test_portal_refusal_changes_nothing(client, dkk, citizen):
    session = SessionFactory(service_point__facility__agency=dkk, quota=0)
    client.force_login(citizen)

    response = client.post(f"{PORTAL}/sesi/{session.uuid}/pesan/", {"payer": "bpjs"})

    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_another_citizens_ticket_page_is_404(client, session, citizen):
    ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    client.force_login(UserFactory())
    assert client.get(f"{PORTAL}/tiket/{ticket.uuid}/").status_code == 404
    assert client.post(f"{PORTAL}/tiket/{ticket.uuid}/batal/").status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == "booked"


def test_public_pages(client, session, officer):
    services.session_quota_change(actor=officer, session=session, quota=31, reason="Tambah dokter")
    assert client.get(f"{PORTAL}/").status_code == 200
    facility = session.service_point.facility
    assert client.get(f"{PORTAL}/fasilitas/{facility.uuid}/").status_code == 200
    page = client.get(f"{PORTAL}/sesi/{session.uuid}/")
    assert page.status_code == 200
    assert "Tambah dokter" in page.content.decode()
    assert client.get(f"{PORTAL}/layar/{session.service_point.uuid}/").status_code == 200


# --- admin --------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 10])
def test_ticket_changelist_is_scoped_with_a_constant_query_count(
    client, dkk, officer, other_officer, rows, django_assert_num_queries
):
    mine = SessionFactory(service_point__facility__agency=dkk)
    theirs = SessionFactory(
        service_point__facility__agency=dkk,
        service_point__agency=other_officer.memberships.get().agency,
    )
    for _ in range(rows):
        services.ticket_book(actor=UserFactory(), session=mine, payer="bpjs")
    services.ticket_book(actor=UserFactory(), session=theirs, payer="bpjs")
    client.force_login(officer)
    client.get("/admin/health/ticket/")  # warm-up: the session, the user, the module list

    response = client.get("/admin/health/ticket/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == rows


def test_ticket_changelist_query_budget(client, session, officer):
    """Our queries on the ticket list are three whatever the number of rows: the two counts
    (filtered, total) and the page of tickets with session, service point and facility (the
    scoping is a subquery). The rest is the platform's (session, user, permissions, the other
    apps' sidebar entries) and must not grow with the rows either."""

    def ours_and_total():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/health/ticket/").status_code == 200
        ours = [q for q in queries.captured_queries if '"health_' in q["sql"]]
        return len(ours), len(queries.captured_queries)

    client.force_login(officer)
    services.ticket_book(actor=UserFactory(), session=session, payer="bpjs")
    client.get("/admin/health/ticket/")
    one = ours_and_total()
    for _ in range(9):
        services.ticket_book(actor=UserFactory(), session=session, payer="bpjs")
    ten = ours_and_total()

    assert one[0] == ten[0] == 3
    assert one[1] == ten[1]


def test_admin_call_next_action(client, session, officer):
    ticket = services.ticket_book(actor=UserFactory(), session=session, payer="bpjs")
    services.ticket_check_in(actor=officer, ticket=ticket)
    client.force_login(officer)

    response = client.post(
        "/admin/health/session/",
        {"action": "call_next", "_selected_action": [session.pk]},
        follow=True,
    )

    assert response.status_code == 200
    ticket.refresh_from_db()
    assert ticket.state == "called"


def test_admin_of_another_agency_cannot_call(client, session, other_officer):
    ticket = services.ticket_book(actor=UserFactory(), session=session, payer="bpjs")
    client.force_login(other_officer)
    client.post("/admin/health/session/", {"action": "call_next", "_selected_action": [session.pk]})
    ticket.refresh_from_db()
    assert ticket.state == "booked"
    assert client.get(f"/admin/health/session/{session.pk}/change/").status_code == 302


def test_admin_quota_change_needs_a_reason_and_is_recorded(client, session, dkk):
    admin = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=dkk)
    client.force_login(admin)
    url = f"/admin/health/session/{session.pk}/change/"
    inline = {
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
    }

    refused = client.post(url, {"quota": "40", "change_reason": "", **inline})
    assert refused.status_code == 200
    session.refresh_from_db()
    assert session.quota == 30

    client.post(url, {"quota": "40", "change_reason": "Dokter kedua", **inline})
    session.refresh_from_db()
    assert session.quota == 40
    change = session.changes.get()
    assert (change.actor, change.from_value, change.to_value) == (admin, "30", "40")


# --- tasks --------------------------------------------------------------------------------------


def test_materialise_task_is_idempotent(dkk, settings):
    settings.HEALTH_MATERIALISE_DAYS = 7
    point = ServicePointFactory(facility__agency=dkk)
    for weekday in range(7):
        Schedule.objects.create(
            service_point=point, weekday=weekday, starts_at=dt.time(8), ends_at=dt.time(12), quota=5
        )
    first = tasks.materialise_sessions.delay().get()
    second = tasks.materialise_sessions.delay().get()
    assert (first, second) == (7, 0)
    assert Session.objects.count() == 7


def test_reminder_is_sent_once_before_the_estimated_turn(
    dkk, citizen, django_capture_on_commit_callbacks
):
    session = SessionFactory(
        service_point__facility__agency=dkk, starts_at=timezone.now() + dt.timedelta(minutes=20)
    )
    later = SessionFactory(
        service_point__facility__agency=dkk, starts_at=timezone.now() + dt.timedelta(hours=3)
    )
    services.ticket_book(actor=citizen, session=session, payer="bpjs")
    services.ticket_book(actor=citizen, session=later, payer="bpjs")

    assert tasks.send_reminders.delay().get() == 1
    assert tasks.send_reminders.delay().get() == 0
    assert Notification.objects.filter(recipient=citizen, key__endswith=":reminder").count() == 1

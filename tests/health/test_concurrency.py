"""The morning rush, on PostgreSQL with real concurrent transactions (one connection per thread).

PostgreSQL here allows 100 connections (shared with other test databases), so the requests are
fired by a pool of 40 threads all at once; every request is a real HTTP-level API call through
DRF in its own transaction. The last test breaks the numbering on purpose and checks that the
rush's checks notice: they could not pass by luck.
"""

import contextlib
import threading
import time
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient

from health import services
from health.exceptions import QuotaFull
from health.models import Session, Ticket
from tests.factories import UserFactory
from tests.health.factories import SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40


def fire(requests):
    """Run ``(user, session_uuid)`` bookings concurrently; returns (user, status, code) per
    request (code: the error code, or the ticket's number)."""
    from concurrent.futures import ThreadPoolExecutor

    start = threading.Barrier(min(THREADS, len(requests)))

    def one(args):
        user, session_uuid = args
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                start.wait(timeout=10)
            client = APIClient(raise_request_exception=False)
            client.force_authenticate(user)
            response = client.post(
                "/api/v1/kesehatan/tickets/",
                {"session": str(session_uuid), "payer": "bpjs"},
                format="json",
            )
            if response.status_code >= 500:
                return user, response.status_code, "server_error"
            body = response.json()
            code = body["errors"][0]["code"] if response.status_code >= 400 else body["number"]
            return user, response.status_code, code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, requests))


def rush_problems(results, session, quota):
    """Everything wrong with the outcome of a rush (an empty list: the rush went right)."""
    problems = []
    statuses = Counter(status for _, status, _ in results)
    if statuses != {201: quota, 409: len(results) - quota}:
        problems.append(f"statuses {dict(statuses)}")
    codes = {code for _, status, code in results if status == 409}
    if not codes <= {"quota_full", "already_booked"}:
        problems.append(f"codes {codes}")
    winners = {user.pk for user, status, _ in results if status == 201}
    # "already booked" only for someone who really holds a ticket (not a masked number clash)
    if any(s == 409 and c == "already_booked" and u.pk not in winners for u, s, c in results):
        problems.append("already_booked answered to someone without a ticket")
    if sorted(c for _, s, c in results if s == 201) != list(range(1, quota + 1)):
        problems.append("the answered numbers are not 1..quota")
    tickets = Ticket.objects.filter(session=session)
    if sorted(tickets.values_list("number", flat=True)) != list(range(1, quota + 1)):
        problems.append("the stored numbers are not 1..quota")
    if max(Counter(tickets.values_list("owner_id", flat=True)).values(), default=0) > 1:
        problems.append("someone holds two tickets")
    session = Session.objects.get(pk=session.pk)
    if (session.last_number, session.taken_count) != (quota, quota):
        problems.append(f"counters {(session.last_number, session.taken_count)}")
    return problems


def rush(dkk):
    session = SessionFactory(service_point__facility__agency=dkk, quota=30)
    users = [UserFactory() for _ in range(200)]
    # 200 people, and 10 of them press the button twice at the same moment
    requests = [(user, session.uuid) for user in users] + [(u, session.uuid) for u in users[:10]]
    return session, fire(requests)


def test_rush_of_210_bookings_on_quota_30_gives_exactly_tickets_1_to_30(dkk):
    session, results = rush(dkk)

    assert rush_problems(results, session, 30) == []


def test_the_same_person_booking_twice_at_once_gets_one_ticket(dkk):
    session = SessionFactory(service_point__facility__agency=dkk, quota=100)
    users = [UserFactory() for _ in range(30)]

    results = fire([(u, session.uuid) for u in users] * 2)

    assert Counter(status for _, status, _ in results) == {201: 30, 409: 30}
    assert {code for _, status, code in results if status == 409} == {"already_booked"}
    assert Counter(u.pk for u, status, _ in results if status == 201) == {u.pk: 1 for u in users}
    assert Ticket.objects.filter(session=session).count() == 30
    assert sorted(Ticket.objects.filter(session=session).values_list("number", flat=True)) == list(
        range(1, 31)
    )


def test_the_rush_checks_notice_a_numbering_without_its_lock(dkk, monkeypatch):
    """Take the number by read-then-write (no lock): the same rush must then go wrong."""

    def racy_number_take(*, session_id, now):
        current = Session.objects.values("last_number", "taken_count", "quota").get(pk=session_id)
        if current["taken_count"] >= current["quota"]:
            return None
        time.sleep(0.005)  # widen the gap between the read and the write
        Session.objects.filter(pk=session_id).update(
            last_number=current["last_number"] + 1, taken_count=current["taken_count"] + 1
        )
        return current["last_number"] + 1

    monkeypatch.setattr(services, "_number_take", racy_number_take)

    session, results = rush(dkk)

    assert rush_problems(results, session, 30) != []


def test_places_freed_after_a_rush_go_to_the_next_rush_despite_the_full_marker(dkk):
    """The first rush fills the session and leaves its full marker; five cancellations (real
    commits) void it, and a second rush gets exactly the five places, numbered on from 31."""
    session = SessionFactory(service_point__facility__agency=dkk, quota=30)
    first = fire([(UserFactory(), session.uuid) for _ in range(60)])
    assert rush_problems(first, session, 30) == []
    with pytest.raises(QuotaFull):
        services.booking_refused_early(session_uuid=session.uuid)  # the rush left the marker

    for ticket in Ticket.objects.filter(session=session).order_by("number")[:5]:
        services.ticket_cancel(actor=ticket.owner, ticket=ticket)
    second = fire([(UserFactory(), session.uuid) for _ in range(40)])

    assert Counter(status for _, status, _ in second) == {201: 5, 409: 35}
    assert {code for _, status, code in second if status == 409} == {"quota_full"}
    assert sorted(code for _, status, code in second if status == 201) == [31, 32, 33, 34, 35]
    session.refresh_from_db()
    assert (session.last_number, session.taken_count) == (35, 30)

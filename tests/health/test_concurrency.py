"""The morning rush, on PostgreSQL with real concurrent transactions (one connection per thread).

PostgreSQL here allows 100 connections (shared with other test databases), so the requests are
fired by a pool of 40 threads all at once; every request is a real HTTP-level API call through
DRF in its own transaction.
"""

import contextlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from rest_framework.test import APIClient

from health.models import Session, Ticket
from tests.factories import UserFactory
from tests.health.factories import SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 40


def fire(requests):
    """Run ``(user, session_uuid)`` bookings concurrently; returns (status, code) per request."""
    start = threading.Barrier(min(THREADS, len(requests)))

    def one(args):
        user, session_uuid = args
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                start.wait(timeout=10)
            client = APIClient()
            client.force_authenticate(user)
            response = client.post(
                "/api/v1/kesehatan/tickets/",
                {"session": str(session_uuid), "payer": "bpjs"},
                format="json",
            )
            body = response.json()
            code = body["errors"][0]["code"] if response.status_code >= 400 else body["number"]
            return response.status_code, code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, requests))


def test_rush_of_210_bookings_on_quota_30_gives_exactly_tickets_1_to_30(dkk):
    session = SessionFactory(service_point__facility__agency=dkk, quota=30)
    users = [UserFactory() for _ in range(200)]
    # 200 people, and 10 of them press the button twice at the same moment
    requests = [(user, session.uuid) for user in users] + [(u, session.uuid) for u in users[:10]]

    results = fire(requests)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 30, 409: 180}
    assert {code for status, code in results if status == 409} <= {"quota_full", "already_booked"}
    assert sorted(code for status, code in results if status == 201) == list(range(1, 31))
    numbers = list(
        Ticket.objects.filter(session=session).order_by("number").values_list("number", flat=True)
    )
    assert numbers == list(range(1, 31))
    per_person = Counter(Ticket.objects.filter(session=session).values_list("owner_id", flat=True))
    assert max(per_person.values()) == 1
    session = Session.objects.get(pk=session.pk)
    assert (session.last_number, session.taken_count) == (30, 30)


def test_the_same_person_booking_twice_at_once_gets_one_ticket(dkk):
    session = SessionFactory(service_point__facility__agency=dkk, quota=100)
    users = [UserFactory() for _ in range(30)]

    results = fire([(u, session.uuid) for u in users] * 2)

    assert Counter(status for status, _ in results) == {201: 30, 409: 30}
    assert {code for status, code in results if status == 409} == {"already_booked"}
    assert Ticket.objects.filter(session=session).count() == 30
    assert sorted(Ticket.objects.filter(session=session).values_list("number", flat=True)) == list(
        range(1, 31)
    )

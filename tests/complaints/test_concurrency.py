"""Under real concurrency (PostgreSQL): racing transitions, supports and intake."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from balikpapan_untuk_warga.api.errors import ApplicationError
from complaints import services
from complaints.models import Category, Complaint, Supporter
from complaints.workflow import State
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, point
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 6


def race(function, times=THREADS):
    barrier = threading.Barrier(times)

    def run():
        try:
            barrier.wait()
            try:
                return function()
            except ApplicationError as exc:
                return exc.get_codes()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(times)]]


def test_racing_starts_start_it_once(citizen, dpu_officer):
    complaint = services.complaint_create(
        actor=citizen,
        text="x",
        category=Category.objects.get(code="jalan_rusak"),
        **point(INSIDE),
    )
    outcomes = race(lambda: services.complaint_start(actor=dpu_officer, complaint=complaint))
    assert sum(isinstance(o, Complaint) for o in outcomes) == 1
    assert [o for o in outcomes if not isinstance(o, Complaint)] == ["invalid_transition"] * (
        THREADS - 1
    )
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS
    assert StatusHistory.objects.filter(object_id=complaint.pk, transition="start").count() == 1


def test_racing_supports_count_once(citizen, other_citizen):
    complaint = services.complaint_create(
        actor=citizen, text="x", category=Category.objects.get(code="sampah"), **point(INSIDE)
    )
    outcomes = race(lambda: services.complaint_support(actor=other_citizen, complaint=complaint))
    assert sum(isinstance(o, Supporter) for o in outcomes) == 1
    assert Supporter.objects.count() == 1


def test_racing_intake_gets_gapless_tracking_numbers(seeded):
    citizens = [UserFactory() for _ in range(THREADS)]
    road = Category.objects.get(code="jalan_rusak")
    queue = list(citizens)
    lock = threading.Lock()

    def file():
        with lock:
            actor = queue.pop()
        return services.complaint_create(actor=actor, text="x", category=road, **point(INSIDE))

    race(file)
    numbers = sorted(Complaint.objects.values_list("tracking_number", flat=True))
    assert [int(n.rsplit("-", 1)[1]) for n in numbers] == list(range(1, THREADS + 1))

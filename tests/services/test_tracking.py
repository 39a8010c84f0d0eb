"""Tracking numbers: per prefix and year, unique and gapless — under concurrency and rollback."""

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections, transaction

from services.workflow.models import TrackingCounter
from services.workflow.tracking import tracking_number_next

pytestmark = pytest.mark.django_db


def take(prefix="DUK", year=2026):
    with transaction.atomic():
        return tracking_number_next(prefix=prefix, year=year)


def test_numbers_count_up_per_prefix_and_year():
    assert [take() for _ in range(3)] == ["DUK-2026-000001", "DUK-2026-000002", "DUK-2026-000003"]
    assert take(prefix="PBB") == "PBB-2026-000001"
    assert take(year=2027) == "DUK-2027-000001"
    assert take() == "DUK-2026-000004"
    counters = TrackingCounter.objects.order_by("prefix", "year")
    assert [(c.prefix, c.year, c.last_number) for c in counters] == [
        ("DUK", 2026, 4),
        ("DUK", 2027, 1),
        ("PBB", 2026, 1),
    ]


def test_the_year_is_the_local_year_in_wita():
    # 31 Dec 2026 16:30 UTC is already 1 Jan 2027 00:30 in Balikpapan (UTC+8).
    late = dt.datetime(2026, 12, 31, 16, 30, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=late), transaction.atomic():
        number = tracking_number_next(prefix="DUK")
    assert number == "DUK-2027-000001"


def test_a_rolled_back_creation_gives_its_number_back():
    assert take() == "DUK-2026-000001"
    with pytest.raises(RuntimeError, match="insert failed"), transaction.atomic():
        assert tracking_number_next(prefix="DUK", year=2026) == "DUK-2026-000002"
        raise RuntimeError("insert failed")
    assert take() == "DUK-2026-000002"
    assert TrackingCounter.objects.get(prefix="DUK", year=2026).last_number == 2


def test_the_first_number_of_a_year_rolled_back_leaves_no_counter():
    with pytest.raises(RuntimeError), transaction.atomic():
        tracking_number_next(prefix="DUK", year=2030)
        raise RuntimeError
    assert not TrackingCounter.objects.filter(year=2030).exists()
    assert take(year=2030) == "DUK-2030-000001"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_rather_than_risk_a_gap():
    assert not connection.in_atomic_block  # autocommit, as in a view without atomic()
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"):
        tracking_number_next(prefix="DUK", year=2026)
    assert not TrackingCounter.objects.exists()


@pytest.mark.parametrize("prefix", ["D", "duk", "DUKCAP", "DU1", "DÜK", ""])
def test_a_prefix_is_two_to_five_uppercase_letters(prefix):
    with pytest.raises(ValueError, match="prefix"):
        take(prefix=prefix)
    assert not TrackingCounter.objects.exists()


def test_queries_one_update_and_one_insert_for_the_first_of_a_year(django_assert_num_queries):
    with transaction.atomic():
        # UPDATE … RETURNING finds no counter; INSERT … ON CONFLICT DO NOTHING; UPDATE again.
        with django_assert_num_queries(3):
            tracking_number_next(prefix="DUK", year=2026)
        # UPDATE … RETURNING.
        with django_assert_num_queries(1):
            tracking_number_next(prefix="DUK", year=2026)


# --- PostgreSQL: many threads at once -----------------------------------------------------------

THREADS = 8
PER_THREAD = 25


def _run_threads(work):
    barrier = threading.Barrier(THREADS)
    results: list = []
    errors: list = []
    lock = threading.Lock()

    def run(index):
        try:
            barrier.wait(timeout=30)
            mine = work(index)
            with lock:
                results.extend(mine)
        except Exception as exc:  # reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()
    assert errors == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creations_get_distinct_contiguous_numbers():
    def work(_index):
        return [take() for _ in range(PER_THREAD)]

    numbers = _run_threads(work)
    total = THREADS * PER_THREAD
    assert len(numbers) == total
    assert sorted(numbers) == [f"DUK-2026-{n:06d}" for n in range(1, total + 1)]
    assert TrackingCounter.objects.get(prefix="DUK", year=2026).last_number == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_creations_with_rollbacks_leave_no_gap():
    """Every fifth creation of each thread fails after taking its number: the committed numbers
    are still exactly 1..N, and the counter says N."""

    class Failed(Exception):
        pass

    def work(_index):
        committed = []
        for attempt in range(PER_THREAD):
            try:
                with transaction.atomic():
                    number = tracking_number_next(prefix="DUK", year=2026)
                    if attempt % 5 == 4:
                        raise Failed
                committed.append(number)
            except Failed:
                pass
        return committed

    numbers = _run_threads(work)
    total = THREADS * (PER_THREAD - PER_THREAD // 5)
    assert len(numbers) == total == 160
    assert sorted(numbers) == [f"DUK-2026-{n:06d}" for n in range(1, total + 1)]
    assert TrackingCounter.objects.get(prefix="DUK", year=2026).last_number == total


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_first_numbers_of_a_new_year_do_not_collide():
    """All threads start on a year with no counter row yet: one insert wins, nobody fails."""

    def work(_index):
        return [take(year=2031)]

    numbers = _run_threads(work)
    assert sorted(numbers) == [f"DUK-2031-{n:06d}" for n in range(1, THREADS + 1)]

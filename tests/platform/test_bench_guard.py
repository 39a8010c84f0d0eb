"""The CI regression guard of issue 10: three hot endpoints, timed in-process on the test
database, against generous fixed bounds.

Not the benchmark (``make bench`` is): the bounds are several times what these requests cost,
so only a real slowdown (a lost index, a query per row, a cache no longer used) fails, not a
busy CI machine. Each request goes through the whole middleware stack and real token
authentication (an allauth app session), as the app's would. pytest-benchmark reports the
figures when it is enabled (it turns itself off under xdist); the bound is checked on our own
timings either way.
"""

from __future__ import annotations

import os
import statistics
import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from payments.services import payment_create
from tests.factories import UserFactory
from tests.health.factories import SessionFactory
from tests.payments.factories import PbbBillFactory, RetribusiBillFactory, bppdrd

# Median milliseconds per request. These requests take ~10-65 ms on a 2-core machine shared by
# many busy processes (load average 11-17), a few ms on a quiet one: the bound leaves room for a
# loaded CI runner and still fails a slowdown of several times. BENCH_GUARD_MS overrides it.
BOUND_MS = float(os.environ.get("BENCH_GUARD_MS", "150"))
ROUNDS = 15  # stays under the per-IP limits of the public endpoints (30 look-ups a minute)

pytestmark = pytest.mark.django_db


def _token(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _guard(benchmark, client: Client, url: str, **headers) -> None:
    timings: list[float] = []

    def one():
        began = time.perf_counter()
        response = client.get(url, **headers)
        timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.content[:300]

    one()  # warm: first-use imports and caches are not what is guarded
    timings.clear()
    benchmark.pedantic(one, rounds=ROUNDS, iterations=1)
    if benchmark.disabled:  # under xdist or --benchmark-disable it ran once: time the rest here
        for _ in range(ROUNDS - 1):
            one()
    median_ms = statistics.median(timings) * 1000
    assert median_ms < BOUND_MS, f"{url}: median {median_ms:.1f} ms per request (bound {BOUND_MS})"


def test_payment_status_poll_is_fast(benchmark, settings):
    settings.PAYMENTS_PROVIDER = "sandbox"
    bppdrd()
    citizen = UserFactory()
    payment = payment_create(actor=citizen, bill=RetribusiBillFactory(payer=citizen))
    _guard(
        benchmark,
        Client(),
        f"/api/v1/pembayaran/payments/{payment.uuid}/",
        HTTP_X_SESSION_TOKEN=_token(citizen),
    )


def test_now_serving_poll_is_fast(benchmark):
    session = SessionFactory()
    _guard(benchmark, Client(), f"/api/v1/kesehatan/sessions/{session.uuid}/now-serving/")


def test_bill_lookup_by_nop_is_fast(benchmark):
    bill = PbbBillFactory()
    _guard(benchmark, Client(), f"/api/v1/pembayaran/lookup/?nop={bill.tax_object.nop}")

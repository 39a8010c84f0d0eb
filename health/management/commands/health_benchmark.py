"""Benchmark (not a test): a burst of concurrent bookings against a running server.

    DATABASE_URL=postgres://… DJANGO_DEBUG=0 … gunicorn -w 2 balikpapan_untuk_warga.wsgi \\
        -b 127.0.0.1:8000 &
    DATABASE_URL=postgres://… python manage.py health_benchmark --url http://127.0.0.1:8000 \\
        --requests 1000 --concurrency 50 --quota 300

(``--quota 1000`` makes every request a booking; ``DATABASE_CONN_MAX_AGE=60`` on the server
keeps its database connections between requests, as a deployment would.)

It creates (in the server's database) a session with ``--quota`` places and one citizen per
request with an allauth session token, fires every booking at once from ``--concurrency``
threads, then prints throughput, latency percentiles, the answers by status and code, and checks
that the tickets are numbered 1…N without gap or duplicate. Run it against a throw-away
benchmark database: the citizens, tickets and their append-only status history stay (only the
login sessions it made are deleted).
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


class Command(BaseCommand):
    help = "Measure booking throughput and latency under a burst against a running server."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--requests", type=int, default=1000)
        parser.add_argument("--concurrency", type=int, default=50)
        parser.add_argument("--quota", type=int, default=300)

    def handle(self, *args, url, requests, concurrency, quota, **options):
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url must be an http(s) URL.")
        from accounts.models import User
        from health.models import Facility, ServicePoint, Session, Ticket
        from services.models import Agency

        agency, _ = Agency.objects.get_or_create(
            code="dkk", defaults={"name": "Dinas Kesehatan", "short_name": "DKK", "kind": "dinas"}
        )
        stamp = int(time.time())
        facility = Facility.objects.create(
            code=f"bench-{stamp}",
            kind="puskesmas",
            name="Benchmark",
            agency=agency,
            latitude=-1.27,
            longitude=116.83,
        )
        point = ServicePoint.objects.create(
            facility=facility, agency=agency, kind="polyclinic", code="umum", name="Umum"
        )
        starts_at = timezone.now() + dt.timedelta(hours=2)
        session = Session.objects.create(
            service_point=point,
            date=timezone.localdate(starts_at),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=3),
            quota=quota,
        )
        users = User.objects.bulk_create(
            User(email=f"bench-{stamp}-{i}@example.test", full_name=f"Bench {i}")
            for i in range(requests)
        )
        tokens = []
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            tokens.append(store.session_key)
        body = json.dumps({"session": str(session.uuid), "payer": "bpjs"}).encode()

        def one(token):
            request = urllib.request.Request(  # noqa: S310 — http(s) checked above
                f"{url}/api/v1/kesehatan/tickets/",
                data=body,
                method="POST",
                headers={"Content-Type": "application/json", "X-Session-Token": token},
            )
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                    status, payload = response.status, json.loads(response.read())
            except urllib.error.HTTPError as exc:
                status = exc.code
                try:
                    payload = json.loads(exc.read())
                except ValueError:
                    payload = {}
            elapsed = time.perf_counter() - began
            code = (payload.get("errors") or [{}])[0].get("code", "") if status >= 400 else ""
            return status, code, elapsed

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, tokens))
        wall = time.perf_counter() - began

        latencies = sorted(r[2] for r in results)
        q = statistics.quantiles(latencies, n=100)
        numbers = sorted(Ticket.objects.filter(session=session).values_list("number", flat=True))
        answers = Counter(f"{s} {c}".strip() for s, c, _ in results)
        self.stdout.write(
            f"{requests} bookings, {concurrency} threads, quota {quota}: {wall:.2f} s, "
            f"{requests / wall:.0f} req/s\n"
            f"latency p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
            f"p99 {q[98] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms\n"
            f"answers: {dict(answers)}\n"
            f"tickets: {len(numbers)}, numbered 1..{len(numbers)} without gap: "
            f"{numbers == list(range(1, len(numbers) + 1))}"
        )
        # The created rows stay (status history is append-only by design): run it against a
        # benchmark database, not a real one.
        SessionStore.get_model_class().objects.filter(session_key__in=tokens).delete()

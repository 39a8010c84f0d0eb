"""The benchmark's per-run objects, and the database checks after the write scenarios.

Run with the server's environment (``bench/env.py``) against the benchmark database::

    python -m bench.fixtures prepare OUT.json [--burst 500 --webhooks 1000 --manifest PATH]
    python -m bench.fixtures verify STATE.json [--timeout 60]

``prepare`` creates what each run consumes (a fresh session with quota 100 for the booking
burst and its 500 citizens, pending payments for the payment webhooks, the reader citizen's own
payments) and collects what the read scenarios look up (NOPs, a "now serving" session, search
words), from the seeded data's manifest (``var/scale/manifest.json``) when there is one, else
from ``seed_demo``'s data. Citizens get an allauth app session token minted directly in the
session store (what ``/_allauth/app/v1/auth/login`` returns), since 500 password hashes would
take minutes; ``bench/run.py`` also signs one citizen in through the real login endpoint.

``verify`` counts the effects in the database: tickets in the burst session, payments paid and
their ``paid`` events, WhatsApp messages stored; it waits for the Celery worker to apply the
queued notifications.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

BOOKING_QUOTA = 100
SEARCH_TERMS = ["akta", "ktp", "pajak", "puskesmas", "sampah", "izin", "kartu keluarga", "pbb"]


def _setup():
    import django

    django.setup()


def _tokens(users) -> list[str]:
    """App session tokens, stored by the configured session engine, as a sign-in through the
    app stores them (with ``cached_db``, in Redis and in PostgreSQL)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore
    tokens = []
    for user in users:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        tokens.append(store.session_key)
    return tokens


def _citizens(stamp: int, label: str, count: int):
    from accounts.models import User

    return User.objects.bulk_create(
        User(email=f"bench-{stamp}-{label}-{i}@bench.test", full_name=f"Bench {label} {i}")
        for i in range(count)
    )


def _levy_payments(*, stamp: int, label: str, payer, count: int) -> list:
    """``count`` retribusi bills of ``payer``, each with one pending QRIS payment made by the
    real service (so that each also has its status history and activity item)."""
    from payments.models import Bill
    from payments.services import payment_create

    due = dt.date.today() + dt.timedelta(days=30)
    bills = Bill.objects.bulk_create(
        Bill(
            kind=Bill.Kind.RETRIBUSI,
            number=f"BENCH-{stamp}-{label}-{i}",
            payer=payer,
            payer_name=payer.full_name,
            description="Retribusi benchmark",
            principal=35000 + i,
            due_date=due,
        )
        for i in range(count)
    )
    return [payment_create(actor=payer, bill=bill) for bill in bills]


def _sessions(stamp: int):
    from django.utils import timezone

    from health.models import Facility, ServicePoint, Session
    from services.models import Agency

    agency, _ = Agency.objects.get_or_create(
        code="dkk", defaults={"name": "Dinas Kesehatan", "short_name": "DKK", "kind": "dinas"}
    )
    facility = Facility.objects.create(
        code=f"bench-{stamp}",
        kind="puskesmas",
        name=f"Puskesmas Benchmark {stamp}",
        agency=agency,
        latitude=-1.27,
        longitude=116.83,
    )
    point = ServicePoint.objects.create(
        facility=facility, agency=agency, kind="polyclinic", code="umum", name="Umum"
    )
    starts_at = timezone.now() + dt.timedelta(hours=2)
    return [
        Session.objects.create(
            service_point=point,
            date=timezone.localdate(starts_at),
            starts_at=starts_at + dt.timedelta(hours=4 * i),
            ends_at=starts_at + dt.timedelta(hours=4 * i + 3),
            quota=BOOKING_QUOTA,
        )
        for i in range(2)
    ]


def _manifest(path: str | None) -> dict:
    if path and Path(path).exists():
        return json.loads(Path(path).read_text())
    return {}


def _pick(manifest: dict, *keys: str) -> list:
    for key in keys:
        value = manifest.get(key)
        if value:
            return value if isinstance(value, list) else [value]
    return []


def prepare(
    *, burst: int, webhooks: int, duplicates: float, reader_payments: int, manifest_path: str | None
) -> dict:
    _setup()
    from payments.models import Bill, TaxObject

    stamp = int(time.time() * 1000)
    manifest = _manifest(manifest_path)

    # Bill by NOP: the manifest's NOPs, else every tax object with a bill (the demo's two).
    nops = [
        str(n.get("nop", "") if isinstance(n, dict) else n).replace(".", "").replace("-", "")
        for n in _pick(manifest, "nops", "nop")
    ]
    nops = [n for n in nops if n]
    if not nops:
        nops = list(
            TaxObject.objects.filter(bills__kind=Bill.Kind.PBB)
            .values_list("nop", flat=True)
            .distinct()[:50]
        )

    # The reader: a citizen of our own with pending payments to poll (and as many activity items);
    # the activity feed also signs in the manifest's citizens, the busiest first.
    (reader,) = _citizens(stamp, "reader", 1)
    own = _levy_payments(stamp=stamp, label="reader", payer=reader, count=reader_payments)
    (reader_token,) = _tokens([reader])

    now_serving, booking = _sessions(stamp)
    burst_users = _citizens(stamp, "burst", burst)
    burst_tokens = _tokens(burst_users)

    distinct = max(1, round(webhooks * (1 - duplicates)))
    (payer,) = _citizens(stamp, "payer", 1)
    hook_payments = _levy_payments(stamp=stamp, label="hook", payer=payer, count=distinct)

    return {
        "stamp": stamp,
        "manifest": bool(manifest),
        # The citizens with the most activity first (a full feed to page through).
        "manifest_logins": [
            c if isinstance(c, str) else c.get("email") or c.get("login") or c.get("username")
            for c in (_pick(manifest, "heavy_citizens") + _pick(manifest, "citizens"))[:16]
        ],
        "password": manifest.get("password") or "WargaBalikpapan#2026",
        "nops": nops,
        "search_terms": SEARCH_TERMS,
        "reader_token": reader_token,
        "reader_payments": [str(p.uuid) for p in own],
        # The seeded city's session when there is one (a real facility's queue), else ours.
        "now_serving_session": manifest.get("now_serving_session_uuid") or str(now_serving.uuid),
        "booking_session": str(booking.uuid),
        "booking_session_pk": booking.pk,
        "booking_quota": BOOKING_QUOTA,
        "burst_tokens": burst_tokens,
        "hook_payments": [{"order_id": p.order_id, "amount": p.amount} for p in hook_payments],
        "hook_payment_pks": [p.pk for p in hook_payments],
        "whatsapp_prefix": f"wamid.BENCH{stamp}.",
    }


def verify(state: dict, *, timeout: float) -> dict:
    """Count the write scenarios' effects; wait up to ``timeout`` seconds for the worker."""
    _setup()
    from django.db.models import Count

    from channels.models import Message
    from health.models import Ticket
    from payments.models import Payment, PaymentEvent, WebhookDelivery

    pks = state["hook_payment_pks"]
    deadline = time.monotonic() + timeout
    while True:
        paid = Payment.objects.filter(pk__in=pks, state="paid").count()
        inbound = Message.objects.filter(direction="in", wamid__startswith=state["whatsapp_prefix"])
        unprocessed = inbound.filter(processed_at__isnull=True).count()
        if (paid == len(pks) and not unprocessed) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    events = (
        PaymentEvent.objects.filter(payment_id__in=pks, status="paid")
        .values("payment_id")
        .annotate(n=Count("id"))
    )
    per_payment = [row["n"] for row in events]
    tickets = Ticket.objects.filter(session_id=state["booking_session_pk"])
    numbers = sorted(tickets.values_list("number", flat=True))
    return {
        "booking": {
            "tickets": len(numbers),
            "numbered_without_gap": numbers == list(range(1, len(numbers) + 1)),
        },
        "payments": {
            "distinct": len(pks),
            "paid": paid,
            "paid_events": sum(per_payment),
            "most_events_per_payment": max(per_payment, default=0),
            "deliveries_stored": WebhookDelivery.objects.filter(payment_id__in=pks).count(),
        },
        "whatsapp": {
            "stored": inbound.count(),
            "distinct_ids": inbound.values("wamid").distinct().count(),
            "unprocessed": unprocessed,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fixtures")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out")
    p.add_argument("--burst", type=int, default=500)
    p.add_argument("--webhooks", type=int, default=1000)
    p.add_argument("--duplicates", type=float, default=0.1)
    p.add_argument("--reader-payments", type=int, default=25)
    p.add_argument("--manifest")
    v = sub.add_parser("verify")
    v.add_argument("state")
    v.add_argument("--timeout", type=float, default=60)
    v.add_argument("--out")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        state = prepare(
            burst=args.burst,
            webhooks=args.webhooks,
            duplicates=args.duplicates,
            reader_payments=args.reader_payments,
            manifest_path=args.manifest,
        )
        Path(args.out).write_text(json.dumps(state))
    else:
        result = verify(json.loads(Path(args.state).read_text()), timeout=args.timeout)
        text = json.dumps(result)
        if args.out:
            Path(args.out).write_text(text)
        else:
            sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

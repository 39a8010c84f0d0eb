"""Celery fan-out: ``make bench-celery``.

10,000 notifications (one email delivery each) are created while two Celery workers on Redis
(the cluster's worker command and broker) hand them to a stub provider
(``stub_provider.RecordingBackend``) that records, in Redis, each delivery's uuid and the time it
was handed over, refusing to overwrite a first hand-over. ``--mode bulk`` (the default): one
event for 10,000 citizens through ``notify_many`` (a warning to everyone in an area);
``--mode single``: ``notify()`` once per notification, to 1,000 citizens in turn (how a module
reports status changes one by one). ``--producers`` threads create them.

Budget (issue 10): at least 99 % handed to the provider within 10 s of the notification's
creation, none lost, none twice. Lost = a delivery the provider never saw within ``--wait``
seconds after the last creation; twice = a second hand-over of the same delivery.

The cluster's own workers must not run meanwhile (they would take these tasks with the console
backends): the script refuses while ``make cluster`` runs. It starts its two workers itself, with
the stub provider and no quiet hours, and stops them at the end. Results:
``bench/results/celery-fanout.json`` and a summary on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster

RESULTS = cluster.ROOT / "bench" / "results" / "celery-fanout.json"
STUB = "deploy.cluster.stub_provider.RecordingBackend"
BUDGET_SECONDS = 10.0
BUDGET_SHARE = 0.99


def worker_env(run: str) -> dict[str, str]:
    return {
        **{f"NOTIFICATION_{c}_BACKEND": STUB for c in ("EMAIL", "SMS", "WHATSAPP", "PUSH")},
        "NOTIFICATION_QUIET_HOURS": "",  # the measurement must not depend on the time of day
        "STUB_PROVIDER_KEY": f"buw:stub-provider:{run}",
        "STUB_PROVIDER_REDIS": cluster.cluster_env()["CACHE_URL"],
    }


def setup_django(extra: dict[str, str]) -> None:
    os.environ.update(cluster.cluster_env(extra))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balikpapan_untuk_warga.settings")
    sys.path.insert(0, str(cluster.ROOT))
    import django

    django.setup()


def recipients(count: int) -> list:
    from accounts.models import User
    from services.notifications.models import ChannelPreference

    emails = [f"fanout-{i}@cluster.invalid" for i in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [
            User(email=e, full_name=f"Warga Uji {e[7:-16]}", password="!")
            for e in emails
            if e not in existing
        ]
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    have = set(
        ChannelPreference.objects.filter(user__in=users, channel="email").values_list(
            "user_id", flat=True
        )
    )
    ChannelPreference.objects.bulk_create(
        [
            ChannelPreference(user=u, channel="email", topic_status=True)
            for u in users
            if u.pk not in have
        ]
    )
    ChannelPreference.objects.filter(user__in=users, channel="email").update(
        topic_status=True, is_digest=False
    )
    return users


CONTEXT = {"title": "Uji sebaran notifikasi", "tracking_number": "UJI", "state_label": "Diproses"}


def produce(mode: str, users: list, run: str, start: int, stop: int, errors: list) -> None:
    from django.db import connection

    from services.notifications.services import notify, notify_many

    try:
        if mode == "bulk":  # one event for many people: a warning to everyone in an area
            notify_many(
                recipients=users[start:stop],
                event="status_changed",
                key=f"fanout:{run}",
                context=CONTEXT,
            )
            return
        for i in range(start, stop):
            notify(
                recipient=users[i % len(users)],
                event="status_changed",
                key=f"fanout:{run}:{i}",
                context={
                    "title": "Uji sebaran notifikasi",
                    "tracking_number": f"UJI-{i:05d}",
                    "state_label": "Diproses",
                },
            )
    except Exception as exc:  # reported, not swallowed: the run then fails
        errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def start_workers(env: dict[str, str]) -> list[subprocess.Popen]:
    cluster.LOGS.mkdir(parents=True, exist_ok=True)
    processes = []
    for name in ("fanout-worker1", "fanout-worker2"):
        log = open(cluster.LOGS / f"{name}.log", "ab")  # noqa: SIM115
        processes.append(
            subprocess.Popen(
                cluster.worker_command(name),
                cwd=cluster.ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        log.close()
    return processes


def stop_workers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_workers(expected: int, timeout: float = 120) -> bool:
    from balikpapan_untuk_warga.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= expected:
            return True
    return False


def _previous_runs(keep: int = 6) -> list[dict]:
    """The headline figures of the last runs kept in the results file (before/after a change)."""
    try:
        last = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return []
    fields = (
        "run", "label", "when_utc", "setup", "creation_rate_per_s", "handover_rate_per_s",
        "latency_s", "within_10s_share", "lost", "twice", "passed",
    )  # fmt: skip
    head = {name: last.get(name) for name in fields}
    return [head, *last.get("previous_runs", [])][:keep]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument(
        "--mode",
        choices=["bulk", "single"],
        default="bulk",
        help="bulk: one event for --notifications people (notify_many); single: notify() per "
        "notification, to --recipients people in turn",
    )
    parser.add_argument("--recipients", type=int, default=1_000, help="single mode only")
    parser.add_argument("--producers", type=int, default=4, help="threads calling notify()")
    parser.add_argument("--wait", type=float, default=120.0, help="seconds after the last creation")
    parser.add_argument("--label", default="", help="a note stored with the results")
    args = parser.parse_args()
    if cluster.running_supervisor():
        print("The cluster runs: its workers would take these tasks. Stop it (make cluster-stop).")
        return 1

    run = uuid.uuid4().hex[:8]
    extra = worker_env(run)
    env = cluster.cluster_env(extra)
    cluster.ensure_database(env)
    cluster.manage(env, "migrate", "--noinput", "-v", "0")
    setup_django(extra)
    import redis
    from django.db.models import Count

    from balikpapan_untuk_warga.celery import app
    from services.notifications.models import Delivery, Notification

    store = redis.Redis.from_url(extra["STUB_PROVIDER_REDIS"])
    app.control.purge()  # leftovers of an interrupted run would be sent with this run's
    users = recipients(args.notifications if args.mode == "bulk" else args.recipients)
    workers = start_workers(env)
    try:
        if not wait_workers(2):
            print("The two workers did not answer in 120 s; see var/cluster/logs/fanout-*.log")
            return 1
        print(
            f"Run {run}: {args.notifications} notifications, {args.producers} producers…",
            flush=True,
        )
        errors: list[str] = []
        per = -(-args.notifications // args.producers)
        threads = [
            threading.Thread(
                target=produce,
                args=(
                    args.mode,
                    users,
                    run,
                    p * per,
                    min((p + 1) * per, args.notifications),
                    errors,
                ),
            )
            for p in range(args.producers)
        ]
        t0 = time.time()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        created_s = time.time() - t0
        deliveries = Delivery.objects.filter(notification__key__startswith=f"fanout:{run}")
        expected = deliveries.count()
        print(
            f"Created in {created_s:.1f} s ({args.notifications / created_s:.0f}/s); "
            f"{expected} deliveries; waiting for the provider…",
            flush=True,
        )
        deadline = time.time() + args.wait
        while time.time() < deadline and store.hlen(extra["STUB_PROVIDER_KEY"]) < expected:
            time.sleep(0.5)
        drained_s = time.time() - t0
        time.sleep(2)  # a late second hand-over would show up now
        handed = {
            k.decode(): float(v) for k, v in store.hgetall(extra["STUB_PROVIDER_KEY"]).items()
        }
        twice = [x.decode() for x in store.lrange(f"{extra['STUB_PROVIDER_KEY']}:twice", 0, -1)]
        rows = list(deliveries.values_list("uuid", "notification__created_at", "status"))
    finally:
        stop_workers(workers)

    latencies = sorted(
        handed[str(u)] - created.timestamp() for u, created, _ in rows if str(u) in handed
    )
    lost = [str(u) for u, _, _ in rows if str(u) not in handed]
    within = sum(1 for x in latencies if x <= BUDGET_SECONDS)
    statuses: dict[str, int] = {}
    for _, _, status in rows:
        statuses[status] = statuses.get(status, 0) + 1

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 3)

    notifications = Notification.objects.filter(key__startswith=f"fanout:{run}")
    result = {
        "run": run,
        "label": args.label,
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load_average_after": os.getloadavg(),
            "note": "2 cores shared with other agents: timings are noisy",
        },
        "command": "make bench-celery  # " + " ".join(sys.argv),
        "setup": {
            "broker": env["CELERY_BROKER_URL"],
            "workers": 2,
            "concurrency_per_worker": cluster.WORKER_CONCURRENCY,
            "mode": args.mode,
            "producers": args.producers,
            "recipients": len(users),
            "provider": STUB,
        },
        "notifications": notifications.count(),
        "per_notification_deliveries": list(
            notifications.annotate(n=Count("deliveries")).values_list("n", flat=True).distinct()
        ),
        "deliveries": len(rows),
        "handed_to_provider": len(handed),
        "creation_seconds": round(created_s, 2),
        "creation_rate_per_s": round(args.notifications / created_s, 1),
        "all_handed_after_seconds": round(drained_s, 2) if not lost else None,
        "handover_rate_per_s": round(len(handed) / drained_s, 1) if drained_s else None,
        "latency_s": {
            "p50": pct(0.50),
            "p95": pct(0.95),
            "p99": pct(0.99),
            "max": round(latencies[-1], 3),
        }
        if latencies
        else None,
        "within_10s_share": round(within / len(rows), 4) if rows else None,
        "lost": len(lost),
        "lost_sample": lost[:10],
        "twice": len(twice),
        "twice_sample": twice[:10],
        "delivery_statuses": statuses,
        "producer_errors": errors,
    }
    result["passed"] = bool(
        rows
        and not errors
        and result["within_10s_share"] >= BUDGET_SHARE
        and not lost
        and not twice
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result["previous_runs"] = _previous_runs()
    RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
    store.delete(extra["STUB_PROVIDER_KEY"], f"{extra['STUB_PROVIDER_KEY']}:twice")
    lat = result["latency_s"] or {}
    print("\n=== Celery fan-out: 10,000 notifications, two workers on Redis ===")
    print(
        f"Created {result['notifications']} notifications in {result['creation_seconds']} s "
        f"({result['creation_rate_per_s']}/s); {result['deliveries']} deliveries"
    )
    print(
        f"Handed to the provider: {result['handed_to_provider']}, all after "
        f"{result['all_handed_after_seconds']} s ({result['handover_rate_per_s']}/s); latency "
        f"p50 {lat.get('p50')} s, p95 {lat.get('p95')} s, p99 {lat.get('p99')} s, max "
        f"{lat.get('max')} s"
    )
    print(
        f"Within 10 s: {result['within_10s_share']:.2%}; lost {result['lost']}; twice "
        f"{result['twice']}; statuses {statuses}; producer errors {len(errors)}"
    )
    print(f"PASSED: {result['passed']}   ->  {RESULTS.relative_to(cluster.ROOT)}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

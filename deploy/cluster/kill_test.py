"""Kill one web instance under load: ``make cluster-kill-test``.

Against the cluster of ``cluster.py`` (started here in the background when it does not run, and
stopped again at the end), readers send GETs (anonymous and signed-in) and writers file
complaints with ``Idempotency-Key`` through the balancer. After ``--kill-at`` seconds the whole
process group of ``web1`` (gunicorn master and workers) gets SIGKILL, as a crashed machine would;
the supervisor starts it again after ``CLUSTER_RESTART_DELAY`` seconds and the balancer's
``/readyz`` checks put it back.

What must hold:

* reads: only requests in flight on the killed instance may fail, and the balancer retries
  those (GET only), so a client sees (almost) none; nothing fails outside the kill window;
* writes: a POST in flight on the killed instance is not retried by the balancer (it may have
  done its work); the writer retries it with the same key, as the app would. Every acknowledged
  (2xx) key has exactly one complaint, no key has two, and a key that was never acknowledged has
  at most one (it may have committed before the kill).

Complaints carry ``[kill-test <run> <key>]`` in their text, which is how they are counted in
PostgreSQL afterwards. Results: ``bench/results/cluster-kill.json`` and a summary on stdout.
"""

from __future__ import annotations

import argparse
import collections
import csv
import io
import json
import os
import platform
import random
import signal
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster

RESULTS = cluster.ROOT / "bench" / "results" / "cluster-kill.json"
USER_EMAIL = "kill-test@cluster.invalid"
USER_PASSWORD = "Kill-Test#" + "Balikpapan2026"
ANON_GETS = [
    "/api/v1/catalog/services/?limit=20",
    "/api/v1/catalog/home/",
    "/api/v1/pengaduan/categories/",
    "/api/v1/kesehatan/facilities/",
]
USER_GETS = ["/api/v1/me/", "/api/v1/activity/?limit=20", "/api/v1/notifications/unread-count/"]
WRITE_PATH = "/api/v1/pengaduan/complaints/"
RETRYABLE = {409, 502, 503, 504}
# Seconds a writer keeps retrying one key: past the idempotency lease, as the app does. A POST
# in flight on the killed instance leaves its key "in progress" until the lease (a setting,
# 60 s) runs out; until then a retry is answered 409, after it the retry runs the request.
KEY_DEADLINE = float(os.environ.get("IDEMPOTENCY_LEASE_SECONDS", "60")) + 15.0
AFTER_RETURN = 8.0  # seconds of load after the victim is back in the balancer
MAX_EXTRA = 90.0  # at most this much longer than --duration waiting for it to come back


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.keys: dict[str, dict] = {}

    def request(self, **row) -> None:
        with self.lock:
            self.requests.append(row)


def setup_django() -> None:
    os.environ.update(cluster.cluster_env())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balikpapan_untuk_warga.settings")
    sys.path.insert(0, str(cluster.ROOT))
    import django

    django.setup()


def ensure_user() -> None:
    from accounts.models import User

    user = User.objects.filter(email=USER_EMAIL).first()
    if user is None:
        user = User(email=USER_EMAIL, full_name="Uji Ketahanan Klaster")
    user.set_password(USER_PASSWORD)
    user.save()


def login(client: httpx.Client) -> str:
    response = client.post(
        "/_allauth/app/v1/auth/login", json={"email": USER_EMAIL, "password": USER_PASSWORD}
    )
    response.raise_for_status()
    return response.json()["meta"]["session_token"]


def reader(stop: threading.Event, recorder: Recorder, token: str, started: float) -> None:
    rng = random.Random()  # noqa: S311 - a request mix, not a secret
    with httpx.Client(base_url=cluster.BALANCER_URL, timeout=30) as client:
        while not stop.is_set():
            if rng.random() < 0.5:
                path, headers = rng.choice(ANON_GETS), {}
            else:
                path, headers = rng.choice(USER_GETS), {"X-Session-Token": token}
            t0 = time.monotonic()
            try:
                response = client.get(path, headers=headers)
                status, server = response.status_code, response.headers.get("X-Served-By", "")
            except httpx.HTTPError as exc:
                status, server = type(exc).__name__, ""
            recorder.request(
                kind="GET",
                path=path.split("?")[0],
                t=t0 - started,
                ms=(time.monotonic() - t0) * 1000,
                status=status,
                server=server,
            )


def writer(stop: threading.Event, recorder: Recorder, token: str, started: float, run: str, n: int):
    headers = {"X-Session-Token": token, "Content-Type": "application/json"}
    with httpx.Client(base_url=cluster.BALANCER_URL, timeout=30) as client:
        sequence = 0
        while not stop.is_set():
            sequence += 1
            key = f"{run}-w{n}-{sequence}"
            body = json.dumps(
                {
                    "text": f"Genangan air setinggi lutut, got tersumbat [kill-test {run} {key}]",
                    "latitude": "-1.262100",
                    "longitude": "116.833000",
                }
            ).encode()  # the same bytes on every retry: the key's fingerprint covers the body
            attempts: list[dict] = []
            first = time.monotonic()
            outcome = "gave_up"
            while True:
                t0 = time.monotonic()
                try:
                    response = client.post(
                        WRITE_PATH, content=body, headers={**headers, "Idempotency-Key": key}
                    )
                    status = response.status_code
                    server = response.headers.get("X-Served-By", "")
                    replayed = response.headers.get("Idempotent-Replayed") == "true"
                except httpx.HTTPError as exc:
                    status, server, replayed = type(exc).__name__, "", False
                attempts.append({"status": status, "server": server, "replayed": replayed})
                recorder.request(
                    kind="POST",
                    path=WRITE_PATH,
                    t=t0 - started,
                    ms=(time.monotonic() - t0) * 1000,
                    status=status,
                    server=server,
                    key=key,
                    attempt=len(attempts),
                )
                if isinstance(status, int) and 200 <= status < 300:
                    outcome = "acknowledged"
                    break
                if isinstance(status, int) and status not in RETRYABLE:
                    outcome = f"refused_{status}"
                    break
                if time.monotonic() - first > KEY_DEADLINE:
                    break
                time.sleep(1.0 if status == 409 else 0.5)
            with recorder.lock:
                recorder.keys[key] = {
                    "outcome": outcome,
                    "attempts": attempts,
                    "t": first - started,
                }


def haproxy_states() -> dict[str, str]:
    try:
        text = httpx.get(f"http://127.0.0.1:{cluster.STATS_PORT}/;csv", timeout=2).text
    except httpx.HTTPError:
        return {}
    rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
    return {row["svname"]: row["status"] for row in rows if row["pxname"] == "app"}


def killer(args, started: float, events: list, stop: threading.Event) -> None:
    time.sleep(args.kill_at)
    pid = cluster.child_pid(args.victim)
    if pid is None:
        events.append({"t": time.monotonic() - started, "event": f"{args.victim} not running"})
        return
    os.killpg(pid, signal.SIGKILL)
    events.append({"t": time.monotonic() - started, "event": f"SIGKILL {args.victim} group {pid}"})
    port = cluster.WEB_PORTS[args.victim]
    answered = False
    last_state = None
    while not stop.is_set():
        state = haproxy_states().get(args.victim)
        if state and state != last_state:
            events.append({"t": time.monotonic() - started, "event": f"balancer: {state}"})
            last_state = state
        if not answered:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                    answered = True
                    events.append(
                        {"t": time.monotonic() - started, "event": f"{args.victim} answers"}
                    )
            except httpx.HTTPError:
                pass
        if answered and last_state == "UP":
            return
        time.sleep(0.25)


def summarise(args, recorder: Recorder, events: list, run: str, duration: float) -> dict:
    from complaints.models import Complaint

    kill_t = next((e["t"] for e in events if e["event"].startswith("SIGKILL")), None)
    back_t = next((e["t"] for e in events if e["event"] == "balancer: UP"), None)
    window = (kill_t, (back_t or duration) + 1.0) if kill_t is not None else None

    def in_window(t: float) -> bool:
        return window is not None and window[0] - 0.5 <= t <= window[1]

    gets = [r for r in recorder.requests if r["kind"] == "GET"]
    posts = [r for r in recorder.requests if r["kind"] == "POST"]

    def ok(r):
        return isinstance(r["status"], int) and r["status"] < 500 and r["status"] != 409

    get_failed = [r for r in gets if not ok(r)]
    served_by = collections.Counter(r["server"] or "-" for r in gets + posts if ok(r))
    latencies = sorted(r["ms"] for r in gets if ok(r))

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    tag = f"[kill-test {run} "
    texts = Complaint.objects.filter(text__contains=tag).values_list("text", flat=True)
    per_key = collections.Counter(t.split(tag, 1)[1].rstrip("]") for t in texts)
    keys = recorder.keys
    acknowledged = {k for k, v in keys.items() if v["outcome"] == "acknowledged"}
    not_acknowledged = set(keys) - acknowledged
    retried = {k for k, v in keys.items() if len(v["attempts"]) > 1}
    outcomes = collections.Counter(v["outcome"] for v in keys.values())
    result = {
        "run": run,
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "host": platform.node(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
            "note": "2 cores shared with other agents: timings are noisy",
        },
        "command": "make cluster-kill-test  # " + " ".join(sys.argv),
        "topology": {
            "balancer": "HAProxy (active /readyz checks every 1 s, fall 2 rise 2)",
            "web": f"2 gunicorn instances x {cluster.WEB_WORKERS} sync workers",
            "restart_delay_s": cluster.RESTART_DELAY,
        },
        "load": {
            "duration_s": round(duration, 1),
            "readers": args.readers,
            "writers": args.writers,
            "victim": args.victim,
            "kill_at_s": args.kill_at,
        },
        "timeline": [{"t": round(e["t"], 2), "event": e["event"]} for e in events],
        "kill_window_s": [round(x, 2) for x in window] if window else None,
        "reads": {
            "requests": len(gets),
            "failed": len(get_failed),
            "failed_in_kill_window": sum(1 for r in get_failed if in_window(r["t"])),
            "failed_outside_kill_window": sum(1 for r in get_failed if not in_window(r["t"])),
            "failures": collections.Counter(str(r["status"]) for r in get_failed),
            "requests_per_s": round(len(gets) / duration, 1),
            "p50_ms": pct(0.50) if latencies else None,
            "p95_ms": pct(0.95) if latencies else None,
            "p99_ms": pct(0.99) if latencies else None,
        },
        "writes": {
            "keys": len(keys),
            "post_requests": len(posts),
            "acknowledged": len(acknowledged),
            "not_acknowledged": len(not_acknowledged),
            "outcomes": outcomes,
            "keys_retried": len(retried),
            "failed_attempts": collections.Counter(
                str(r["status"])
                for r in posts
                if not (isinstance(r["status"], int) and r["status"] < 300)
            ),
            "replayed_responses": sum(
                1 for v in keys.values() for a in v["attempts"] if a["replayed"]
            ),
            "complaints_created": sum(per_key.values()),
            "keys_with_two_or_more_complaints": sorted(k for k, c in per_key.items() if c > 1),
            "acknowledged_without_complaint": sorted(acknowledged - set(per_key)),
            "created_but_not_acknowledged": sorted(not_acknowledged & set(per_key)),
            "retried_keys_detail": {
                k: [a["status"] for a in keys[k]["attempts"]] for k in sorted(retried)
            },
        },
        "served_by": served_by,
    }
    result["passed"] = (
        result["reads"]["failed_outside_kill_window"] == 0
        and not result["writes"]["keys_with_two_or_more_complaints"]
        and not result["writes"]["acknowledged_without_complaint"]
        and served_by.get(args.victim, 0) > 0
        and (back_t is not None)
    )
    return result


def print_summary(result: dict) -> None:
    reads, writes = result["reads"], result["writes"]
    print("\n=== Kill one web instance under load ===")
    for event in result["timeline"]:
        print(f"  t={event['t']:6.2f}s  {event['event']}")
    print(
        f"Reads : {reads['requests']} GETs ({reads['requests_per_s']}/s), failed {reads['failed']} "
        f"(in kill window {reads['failed_in_kill_window']}, outside "
        f"{reads['failed_outside_kill_window']}) {dict(reads['failures'])}; "
        f"p50 {reads['p50_ms']} ms, p95 {reads['p95_ms']} ms, p99 {reads['p99_ms']} ms"
    )
    print(
        f"Writes: {writes['keys']} keys, {writes['acknowledged']} acknowledged, "
        f"{writes['not_acknowledged']} not {dict(writes['outcomes'])}; "
        f"{writes['keys_retried']} retried, failed attempts {dict(writes['failed_attempts'])}, "
        f"replays {writes['replayed_responses']}"
    )
    print(
        f"        complaints created {writes['complaints_created']}; keys with 2+: "
        f"{len(writes['keys_with_two_or_more_complaints'])}; acknowledged without one: "
        f"{len(writes['acknowledged_without_complaint'])}; created but not acknowledged: "
        f"{len(writes['created_but_not_acknowledged'])}"
    )
    print(f"Served by: {dict(result['served_by'])}")
    print(f"PASSED: {result['passed']}   ->  {RESULTS.relative_to(cluster.ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=40.0, help="seconds of load")
    parser.add_argument("--kill-at", type=float, default=12.0, help="seconds into the load")
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--victim", default="web1", choices=sorted(cluster.WEB_PORTS))
    args = parser.parse_args()

    started_here = cluster.running_supervisor() is None
    if started_here:
        print("Starting the cluster in the background…", flush=True)
        if cluster.up(seed=True, detach=True) != 0:
            return 1
    try:
        setup_django()
        ensure_user()
        with httpx.Client(base_url=cluster.BALANCER_URL, timeout=30) as client:
            token = login(client)
        run = uuid.uuid4().hex[:8]
        recorder, events, stop = Recorder(), [], threading.Event()
        started = time.monotonic()
        threads = [
            threading.Thread(target=reader, args=(stop, recorder, token, started))
            for _ in range(args.readers)
        ] + [
            threading.Thread(target=writer, args=(stop, recorder, token, started, run, n))
            for n in range(args.writers)
        ]
        kill_thread = threading.Thread(target=killer, args=(args, started, events, stop))
        for thread in [*threads, kill_thread]:
            thread.start()
        print(
            f"Load for {args.duration:g} s (longer until {args.victim} has been back for "
            f"{AFTER_RETURN:g} s); {args.victim} is killed at {args.kill_at:g} s…",
            flush=True,
        )
        time.sleep(args.duration)
        kill_thread.join(timeout=MAX_EXTRA)
        back = next((e["t"] for e in events if e["event"] == "balancer: UP"), None)
        if back is not None:
            time.sleep(max(0.0, back + AFTER_RETURN - (time.monotonic() - started)))
        stop.set()
        for thread in [*threads, kill_thread]:
            thread.join()
        duration = time.monotonic() - started
        result = summarise(args, recorder, events, run, duration)
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print_summary(result)
        return 0 if result["passed"] else 1
    finally:
        if started_here:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())

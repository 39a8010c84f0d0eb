"""``make bench``: the city-scale benchmark (issue 10). See ``docs/performance.md``.

    python bench/run.py                      # full run: seed (once), sweep 2/3/5 workers, writes
    python bench/run.py --smoke              # tiny scale, 2 s per scenario (tests/platform)
    python bench/run.py --base-url http://127.0.0.1:8080 --no-server   # against `make cluster`
    python bench/run.py --print-env          # the server environment the benchmark expects

Steps: make sure the PostgreSQL database exists (``BENCH_DATABASE_URL``), migrate it, seed it
with ``manage.py seed_scale`` (skipped when it already holds that scale; ``--reseed`` forces it),
prepare the run's own objects (``bench/fixtures.py``), start a Celery worker and gunicorn as in
production (``bench/env.py``), drive each scenario with ``wrk`` (or, for bursts and uploads, an
asyncio loop or Python threads: ``bench/load.py``) on loopback, check the write scenarios'
effects in the database, then write ``bench/results/latest.json`` and regenerate
``docs/performance.md`` (``bench/report.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load, scenarios  # noqa: E402
from bench.env import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, VAR, server_env  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
MANIFEST = ROOT / "var" / "scale" / "manifest.json"
PORTS = range(8100, 8200)


def log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    p.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    p.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "1.0")))
    p.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "20")))
    p.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", "3")))
    p.add_argument("--clients", type=int, default=scenarios.CLIENTS)
    p.add_argument(
        "--workers",
        default=os.environ.get("BENCH_WORKERS", "2,3,5"),
        help="gunicorn worker counts of the sweep (comma-separated)",
    )
    p.add_argument("--burst", type=int, default=500, help="booking requests fired at once")
    p.add_argument("--webhooks", type=int, default=1000, help="deliveries per webhook scenario")
    p.add_argument("--webhook-seconds", type=float, default=10.0)
    p.add_argument(
        "--photo-rate", type=float, default=10.0, help="complaints with a photo filed a second"
    )
    p.add_argument(
        "--reader-payments", type=int, default=25, help="payments the poll cycles through"
    )
    p.add_argument("--only", default="", help="comma-separated scenario names")
    p.add_argument("--reseed", action="store_true", help="seed again even if already seeded")
    p.add_argument("--smoke", action="store_true", help="tiny scale, 2 s per scenario")
    p.add_argument("--base-url", default="", help="benchmark a server started elsewhere")
    p.add_argument(
        "--no-server", action="store_true", help="start no gunicorn/celery (with --base-url)"
    )
    p.add_argument(
        "--port", type=int, default=0, help="gunicorn port (default: free one in 8100-8199)"
    )
    p.add_argument("--out", default=str(RESULTS / "latest.json"))
    p.add_argument("--doc", default=str(ROOT / "docs" / "performance.md"), help="'' to skip")
    p.add_argument("--print-env", action="store_true")
    args = p.parse_args(argv)
    if args.smoke:
        args.scale = min(args.scale, 0.001)
        args.seconds, args.warmup = 2.0, 0.5
        args.burst, args.webhooks, args.webhook_seconds = 150, 50, 2.0
        args.reader_payments = 5
        if "BENCH_WORKERS" not in os.environ and "--workers" not in (argv or sys.argv):
            args.workers = "2"
    if args.no_server and not args.base_url:
        p.error("--no-server needs --base-url")
    args.worker_counts = [int(w) for w in args.workers.split(",") if w.strip()]
    return args


# --- database and seed ---------------------------------------------------------------------------


def _pg(url: str, dbname: str | None = None):
    import psycopg
    from environ import Env

    cfg = Env.db_url_config(url)
    return psycopg.connect(
        host=cfg.get("HOST") or None,
        port=cfg.get("PORT") or None,
        user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None,
        dbname=dbname or cfg["NAME"],
        autocommit=True,
    )


def ensure_database(url: str) -> None:
    from environ import Env

    name = Env.db_url_config(url)["NAME"]
    with _pg(url, "postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def seeded_scale(url: str) -> float | None:
    """The scale this database was seeded at (table ``bench_seed``, one row, outside Django's
    models: it belongs to the benchmark database alone), or ``None``."""
    with _pg(url) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_seed "
            "(scale double precision, seeded_at timestamptz, seconds double precision, "
            "command text, manifest jsonb)"
        )
        row = conn.execute("SELECT scale FROM bench_seed LIMIT 1").fetchone()
        return row[0] if row else None


def seed_record(url: str, *, scale: float, seconds: float, command: str, manifest: dict | None):
    with _pg(url) as conn:
        conn.execute("DELETE FROM bench_seed")
        conn.execute(
            "INSERT INTO bench_seed VALUES (%s, now(), %s, %s, %s)",
            [scale, seconds, command, json.dumps(manifest) if manifest else None],
        )


def seed_info(url: str) -> dict:
    with _pg(url) as conn:
        row = conn.execute(
            "SELECT scale, seeded_at, seconds, command, manifest FROM bench_seed"
        ).fetchone()
    if not row:
        return {}
    return {
        "scale": row[0],
        "seeded_at": row[1].isoformat(),
        "seconds": row[2],
        "command": row[3],
        "manifest": row[4],
    }


def has_seed_scale() -> bool:
    return any(ROOT.glob("*/management/commands/seed_scale.py"))


def manage(env: dict, *args: str, timeout: float = 7200) -> None:
    log("manage.py " + " ".join(args))
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout
    )


def seed(env: dict, *, url: str, scale: float, reseed: bool) -> None:
    """Seed ``scale`` once per database: ``seed_scale`` when the project has it, else the demo
    data (``seed_demo``; the run's own fixtures then make up what the scenarios need)."""
    current = seeded_scale(url)
    if current is not None and math.isclose(current, scale) and not reseed:
        log(f"database already seeded at scale {current}: not seeding again (--reseed forces it)")
        return
    began = time.perf_counter()
    if has_seed_scale():
        args = ["seed_scale", "--scale", str(scale)]
        if current is not None or reseed:
            args.append("--reset")
        manage(env, *args)
        manifest = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else None
    else:
        log("manage.py seed_scale does not exist yet: seeding the demo data instead")
        args = ["seed_demo"]
        manage(env, *args)
        manifest = None
    seconds = time.perf_counter() - began
    seed_record(url, scale=scale, seconds=seconds, command=" ".join(args), manifest=manifest)
    log(f"seeded in {seconds:.1f} s")


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


# The floor route and the X-Queries header: on for every server the benchmark measures.
BENCH_SWITCHES = {"BENCH_FLOOR": "true", "BENCH_COUNT_QUERIES": "true"}


class Server:
    """gunicorn with ``workers`` sync workers, as in production (bench switches on)."""

    def __init__(self, env: dict, *, workers: int, port: int):
        self.env = {**env, **BENCH_SWITCHES}
        self.workers, self.port = workers, port
        self.proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        VAR.mkdir(parents=True, exist_ok=True)
        logfile = open(VAR / "gunicorn.log", "ab")  # noqa: SIM115 — closed with the process
        self.proc = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "balikpapan_untuk_warga.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=logfile,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited ({self.proc.returncode}); see {VAR / 'gunicorn.log'}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def worker_rss_mb(self) -> list[float]:
        return (
            [round(rss_kb(pid) / 1024, 1) for pid in children(self.proc.pid)] if self.proc else []
        )

    def stop(self) -> None:
        stop_process(self.proc)
        self.proc = None


class Worker:
    """The run's Celery workers on its broker, as deployed (docs/deployment.md): one for the
    default queue (webhooks, bookings, notifications), one for the ``images`` queue (upload
    processing, public photo blurring), so a flood of photos cannot hold up the payments."""

    # queue, concurrency, nice (BENCH_CELERY_NICE: the default queue's; images 5 lower still).
    # 0 by default: at nice 10 the booking burst's p99 was worse (4.3-4.7 s against 3.7 s), a
    # priority inversion: a starved task holding a transaction makes the requests wait on it.
    NICE = int(os.environ.get("BENCH_CELERY_NICE", "0"))
    QUEUES = (("celery", 2, NICE), ("images", 1, min(NICE + 5, 19)))

    def __init__(self, env: dict):
        self.env = env
        self.procs: list[subprocess.Popen] = []

    def start(self) -> None:
        subprocess.run(
            [str(BIN / "celery"), "-A", "balikpapan_untuk_warga", "purge", "-f"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            check=False,
            timeout=60,
        )
        logfile = open(VAR / "celery.log", "ab")  # noqa: SIM115
        for queue, concurrency, niceness in self.QUEUES:
            # A deployment runs Celery on machines of its own; here it shares the two cores
            # with gunicorn. The image worker runs at a lower priority (it holds no lock anyone
            # waits for); the default queue's at BENCH_CELERY_NICE.
            self.procs.append(
                subprocess.Popen(
                    [
                        "nice",
                        "-n",
                        str(niceness),
                        str(BIN / "celery"),
                        "-A",
                        "balikpapan_untuk_warga",
                        "worker",
                        "--queues",
                        queue,
                        "--concurrency",
                        str(concurrency),
                        "--loglevel",
                        "WARNING",
                        "--hostname",
                        f"bench-{queue}-{os.getpid()}@%h",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=logfile,
                    stderr=logfile,
                    start_new_session=True,
                )
            )

    def stop(self) -> None:
        for proc in self.procs:
            stop_process(proc)
        self.procs = []


def stop_process(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return sorted(out)


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- the run -------------------------------------------------------------------------------------


def manifest_for(url: str) -> Path | None:
    """This database's seed manifest: the copy kept in its ``bench_seed`` row (the file under
    ``var/scale/`` is the last seeded database's, perhaps another one), else that file when it
    names this database."""
    from environ import Env

    manifest = None
    try:
        manifest = seed_info(url).get("manifest")
    except Exception:  # no bench_seed table: a database seeded without the benchmark
        manifest = None
    if manifest is None and MANIFEST.exists():
        candidate = json.loads(MANIFEST.read_text())
        if candidate.get("database") in (None, Env.db_url_config(url)["NAME"]):
            manifest = candidate
    if manifest is None:
        return None
    path = VAR / f"manifest-{os.getpid()}.json"
    path.write_text(json.dumps(manifest))
    return path


def fixtures(env: dict, args, *, state_path: Path) -> dict:
    manifest = manifest_for(args.database_url)
    cmd = [
        sys.executable,
        "-m",
        "bench.fixtures",
        "prepare",
        str(state_path),
        "--burst",
        str(args.burst),
        "--webhooks",
        str(args.webhooks),
        "--reader-payments",
        str(args.reader_payments),
    ]
    if manifest:
        cmd += ["--manifest", str(manifest)]
    log("preparing the run's fixtures")
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=1800)
    state_path.chmod(0o600)  # session tokens of throw-away benchmark citizens
    return json.loads(state_path.read_text())


def verify(env: dict, state_path: Path, timeout: float) -> dict:
    out = state_path.with_suffix(".verify.json")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.fixtures",
            "verify",
            str(state_path),
            "--timeout",
            str(timeout),
            "--out",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout + 300,
    )
    return json.loads(out.read_text())


def login(base_url: str, email: str, password: str) -> str | None:
    """Sign in through allauth headless's app client, as the mobile app does."""
    client = load.Client(base_url)
    status, body, _ = client.send(
        load.Req(
            "POST",
            "/_allauth/app/v1/auth/login",
            {"Content-Type": "application/json"},
            json.dumps({"email": email, "password": password}).encode(),
        )
    )
    client.close()
    if status != 200:
        log(f"login of a sample citizen answered {status}")
        return None
    return json.loads(body).get("meta", {}).get("session_token")


def sample_queries(base_url: str, requests: list[load.Req], n: int = 5) -> int | None:
    """The SQL statements per request, from the server's ``X-Queries`` header (bench mode);
    the median of a few requests after the load, so caches are as warm as under load."""
    client = load.Client(base_url)
    counts = []
    for i in range(n):
        _, _, headers = client.send(requests[i % len(requests)])
        if "x-queries" in headers:
            counts.append(int(headers["x-queries"]))
    client.close()
    return int(statistics.median(counts)) if counts else None


def _steady(base_url: str, requests, args, seconds: float) -> dict:
    """One steady run; a load generator that fails is tried once more, then the scenario is
    recorded as failed (every request an error) rather than ending the whole run."""
    for attempt in (1, 2):
        try:
            return load.steady(base_url, requests, clients=args.clients, seconds=seconds)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            log(f"  load generator failed (attempt {attempt}): {exc}")
            failure = str(exc)[:500]
    return {
        "generator": "failed",
        "error": failure,
        "requests": 0,
        "seconds": seconds,
        "rps": 0.0,
        "p50_ms": None,
        "p95_ms": None,
        "p99_ms": None,
        "max_ms": None,
        "errors": 1,
    }


def run_reads(base_url: str, state: dict, args, names: list[str]) -> dict:
    results = {}
    for name in names:
        requests = scenarios.read_requests(name, state)
        if args.warmup > 0:
            _steady(base_url, requests, args, args.warmup)
        result = _steady(base_url, requests, args, args.seconds)
        result["clients"] = args.clients
        result["queries_per_request"] = sample_queries(base_url, requests)
        results[name] = result
        log(
            f"  {name:22} {result['rps']:8.1f} req/s  p50 {result['p50_ms']} p95 {result['p95_ms']} "
            f"p99 {result['p99_ms']} ms  errors {result['errors']}  queries {result['queries_per_request']}"
        )
    return results


def tasks_settled(redis_url: str, timeout: float = 180) -> float:
    """Wait until the default Celery queue is empty and no task of it is in a worker's hands
    (kombu's Redis transport: the ``celery`` list and the ``unacked`` hash), so that a write
    scenario is not measured beside the previous one's tasks (the webhooks leave 1,800). The
    ``images`` queue is not waited for: its worker runs behind, as image workers would.
    Returns the seconds waited."""
    import redis

    began = time.monotonic()
    client = redis.Redis.from_url(redis_url)
    try:
        while time.monotonic() - began < timeout:
            if not client.llen("celery") and not client.hlen("unacked"):
                break
            time.sleep(0.5)
    except redis.RedisError:
        pass
    finally:
        client.close()
    return round(time.monotonic() - began, 1)


def run_writes(base_url: str, state: dict, args, names: list[str]) -> dict:
    results = {}

    def settle():
        if not args.no_server:
            log(f"  (Celery's default queue settled after {tasks_settled(args.redis_url)} s)")

    if "booking_burst" in names:
        requests = scenarios.booking_requests(state, args.burst)
        result, answers = load.burst_at_once(base_url, requests)
        result["concurrency"] = len(requests)
        result["quota"] = state["booking_quota"]
        result["server_errors"] = sum(1 for status, _ in answers if status >= 500)
        # 409 (quota full, already booked) is the right answer once the places are gone.
        result["errors"] = sum(1 for status, _ in answers if status not in (201, 409))
        result["answer_codes"] = _codes(answers)
        results["booking_burst"] = result
        log(f"  booking_burst          {result['statuses']}  p99 {result['p99_ms']} ms")
    rate = args.webhooks / args.webhook_seconds
    if "payment_webhooks" in names:
        settle()
        requests, distinct = scenarios.payment_webhook_requests(state, args.webhooks)
        result, answers = load.burst(base_url, requests, concurrency=args.clients, rate=rate)
        result.update(
            deliveries=len(requests),
            distinct=distinct,
            target_rate=rate,
            target_seconds=args.webhook_seconds,
        )
        results["payment_webhooks"] = result
        log(f"  payment_webhooks       {result['statuses']}  p99 {result['p99_ms']} ms")
    if "whatsapp_webhooks" in names:
        settle()
        distinct = len(state["hook_payments"])
        requests = scenarios.whatsapp_webhook_requests(state, args.webhooks, distinct)
        result, answers = load.burst(base_url, requests, concurrency=args.clients, rate=rate)
        result.update(
            deliveries=len(requests),
            distinct=distinct,
            target_rate=rate,
            target_seconds=args.webhook_seconds,
        )
        results["whatsapp_webhooks"] = result
        log(f"  whatsapp_webhooks      {result['statuses']}  p99 {result['p99_ms']} ms")
    # Last: its photos queue heavy Celery tasks (blurring) that would delay the webhooks' own
    # tasks, and with them the exactly-once check.
    # The budget's case: citizens arriving at a flood night's rate (open loop, --photo-rate a
    # second for the measured seconds); then, for the record, what 32 clients filing back to
    # back get when the two workers are saturated by uploads.
    photo = (
        scenarios.noise_jpeg()
        if {"complaint_photo", "complaint_photo_saturation"} & set(names)
        else b""
    )
    if "complaint_photo" in names:
        settle()
        queries: list[int] = []
        flow = scenarios.complaint_flow(state, photo, queries)
        count = max(1, round(args.photo_rate * args.seconds))
        result = load.paced(
            base_url, flow, rate=args.photo_rate, count=count, concurrency=args.clients
        )
        result.update(
            target_rate=args.photo_rate,
            photo_bytes=len(photo),
            requests_are="flows (upload + file = 2 HTTP requests)",
            queries_per_request=int(statistics.median(queries)) if queries else None,
        )
        results["complaint_photo"] = result
        log(f"  complaint_photo        {result['statuses']}  p95 {result['p95_ms']} ms")
    if "complaint_photo_saturation" in names:
        # no settle(): kombu keeps one "unacked" hash for every queue, so the image worker's
        # tasks in hand (the paced row's blurring) would hold the wait to its limit
        load.drain(base_url)
        queries = []
        flow = scenarios.complaint_flow(state, photo, queries)
        result = load.closed_loop(base_url, flow, clients=args.clients, seconds=args.seconds)
        result.update(
            clients=args.clients,
            photo_bytes=len(photo),
            requests_are="flows (upload + file = 2 HTTP requests)",
            queries_per_request=int(statistics.median(queries)) if queries else None,
        )
        results["complaint_photo_saturation"] = result
        log(f"  complaint_saturation   {result['statuses']}  p95 {result['p95_ms']} ms")
    return results


def _codes(answers) -> dict:
    counts: dict[str, int] = {}
    for status, body in answers:
        code = ""
        if status >= 400:
            try:
                code = (json.loads(body).get("errors") or [{}])[0].get("code", "")
            except (ValueError, AttributeError):
                code = "?"
        key = f"{status} {code}".strip()
        counts[key] = counts.get(key, 0) + 1
    return counts


def apply_checks(results: dict, verified: dict | None) -> None:
    """Attach the effects found in the database to the write scenarios."""
    if not verified:
        return
    if "booking_burst" in results:
        r = results["booking_burst"]
        r["tickets"] = verified["booking"]["tickets"]
        r["numbered_without_gap"] = verified["booking"]["numbered_without_gap"]
    if "payment_webhooks" in results:
        v = verified["payments"]
        results["payment_webhooks"]["effects"] = v
        results["payment_webhooks"]["exactly_once"] = (
            v["paid"] == v["distinct"] == v["paid_events"] and v["most_events_per_payment"] == 1
        )
    if "whatsapp_webhooks" in results:
        v = verified["whatsapp"]
        results["whatsapp_webhooks"]["effects"] = v
        results["whatsapp_webhooks"]["exactly_once"] = (
            v["stored"] == v["distinct_ids"] == results["whatsapp_webhooks"]["distinct"]
            and v["unprocessed"] == 0
        )


def judge(results: dict, floor_rps: float | None) -> None:
    """Ratio to the floor, and each budget's verdict."""
    for name, r in results.items():
        scenario = scenarios.BY_NAME[name]
        if floor_rps and scenario.kind == "read":
            r["ratio_to_floor"] = round(r["rps"] / floor_rps, 3)
        checks = {}
        b = scenario.budget
        if "ratio_min" in b and r.get("ratio_to_floor") is not None:
            checks["ratio"] = r["ratio_to_floor"] >= b["ratio_min"]
        for key, field in (("p95_max", "p95_ms"), ("p99_max", "p99_ms")):
            if key in b and r.get(field) is not None:
                checks[field] = r[field] <= b[key]
        if "errors_max" in b:
            checks["errors"] = r["errors"] <= b["errors_max"]
        if "server_errors_max" in b:
            checks["server_errors"] = r.get("server_errors", 0) <= b["server_errors_max"]
        if "queries_max" in b and r.get("queries_per_request") is not None:
            checks["queries"] = r["queries_per_request"] <= b["queries_max"]
        if b.get("tickets_exact") and "tickets" in r:
            checks["tickets"] = r["tickets"] == r["quota"] and r.get("numbered_without_gap", False)
        if b.get("exactly_once") and "exactly_once" in r:
            checks["exactly_once"] = r["exactly_once"]
        if b.get("in_time") and r.get("target_seconds"):
            # The deliveries went out at the target rate only if the server kept up with it.
            checks["in_time"] = r["seconds"] <= r["target_seconds"] * 1.1
        r["budget"] = b
        r["checks"] = checks
        r["pass"] = bool(checks) and all(checks.values())


def choose_workers(sweep: dict) -> int:
    """The smallest worker count whose throughput (geometric mean of the read scenarios' req/s,
    the floor left out) is within 5 % of the best."""
    scores = {}
    for workers, results in sweep.items():
        rates = [
            r["rps"] for name, r in results["scenarios"].items() if name != "floor" and r["rps"] > 0
        ]
        scores[workers] = math.exp(sum(map(math.log, rates)) / len(rates)) if rates else 0.0
        results["score_rps_geomean"] = round(scores[workers], 1)
    best = max(scores.values())
    return min(w for w, s in scores.items() if s >= 0.95 * best)


def machine(args, argv) -> dict:
    import django

    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        with _pg(args.database_url) as conn:
            pg_version = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # a remote database we cannot reach from here
        pg_version = None
    git = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    wrk = (
        subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        if load.have_wrk()
        else None
    )
    return {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["bench/run.py", *(sys.argv[1:] if argv is None else argv)]),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg_version,
        "wrk": (wrk.stdout or wrk.stderr).split("\n")[0].strip() if wrk else None,
        "git_commit": git.stdout.strip() or None,
        "git_dirty": bool(dirty.stdout.strip()),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = {**os.environ, **server_env(database_url=args.database_url, redis_url=args.redis_url)}
    if args.print_env:
        from bench.env import shell_exports

        exported = server_env(database_url=args.database_url, redis_url=args.redis_url)
        print(shell_exports({**exported, **BENCH_SWITCHES}))
        return 0
    only = {n for n in args.only.split(",") if n}
    read_names = [
        s.name for s in scenarios.READS if not only or s.name in only or s.name == "floor"
    ]
    write_names = [s.name for s in scenarios.WRITES if not only or s.name in only]
    info = machine(args, argv)
    log(f"machine: {info['cpu_count']} CPU, load {info['load_average_at_start']}")
    VAR.mkdir(parents=True, exist_ok=True)

    seed_meta = {}
    if not args.no_server:
        ensure_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        seed(env, url=args.database_url, scale=args.scale, reseed=args.reseed)
        seed_meta = seed_info(args.database_url)
        seed_meta.pop("manifest", None)
    state_path = VAR / f"state-{os.getpid()}.json"
    state = fixtures(env, args, state_path=state_path)

    worker = None if args.no_server else Worker(env)
    servers_used = []
    sweep: dict[int, dict] = {}
    result: dict = {
        "machine": info,
        "seed": seed_meta,
        "settings": {
            "clients": args.clients,
            "seconds": args.seconds,
            "warmup": args.warmup,
            "scale": args.scale,
            "burst": args.burst,
            "webhooks": args.webhooks,
            "webhook_seconds": args.webhook_seconds,
            "smoke": args.smoke,
            "base_url": args.base_url or None,
            "generator": "wrk" if load.have_wrk() else "python",
        },
    }
    try:
        if worker:
            worker.start()
        port = args.port or (0 if args.no_server else free_port())

        def session_tokens(base_url: str) -> None:
            tokens = [state["reader_token"]]
            logins = [x for x in state["manifest_logins"] if x][:4] or [
                "warga@demo.balikpapan.test"
            ]
            for email in logins:
                token = login(base_url, email, state["password"])
                if token:
                    tokens.append(token)
            state["activity_tokens"] = tokens
            state["logged_in_through_api"] = len(tokens) - 1

        last: Server | None = None  # the sweep's last server, kept for the writes if chosen
        if args.no_server:
            session_tokens(args.base_url)
            log(f"reads against {args.base_url}")
            sweep["external"] = {"scenarios": run_reads(args.base_url, state, args, read_names)}
            chosen = "external"
        else:
            for workers in args.worker_counts:
                if last is not None:
                    last.stop()
                last = Server(env, workers=workers, port=port)
                servers_used.append(last)
                last.start()
                if "activity_tokens" not in state:
                    session_tokens(last.base_url)
                log(f"reads with {workers} gunicorn workers")
                reads = run_reads(last.base_url, state, args, read_names)
                sweep[workers] = {"scenarios": reads, "worker_rss_mb": last.worker_rss_mb()}
            chosen = choose_workers(sweep) if len(sweep) > 1 else next(iter(sweep))
            if last is not None and last.workers != chosen:
                last.stop()
        result["workers"] = {
            "sweep": {
                str(k): {
                    "score_rps_geomean": v.get("score_rps_geomean"),
                    "worker_rss_mb": v.get("worker_rss_mb"),
                    "rps": {n: r["rps"] for n, r in v["scenarios"].items()},
                    "p99_ms": {n: r["p99_ms"] for n, r in v["scenarios"].items()},
                }
                for k, v in sweep.items()
            },
            "chosen": chosen,
            "rule": "smallest worker count within 5 % of the best geometric-mean req/s of the reads",
        }
        results = dict(sweep[chosen]["scenarios"])
        if write_names:
            if args.no_server:
                log(f"writes against {args.base_url}")
                results.update(run_writes(args.base_url, state, args, write_names))
                rss = []
            else:
                server = (
                    last
                    if last is not None and last.proc
                    else Server(env, workers=chosen, port=port)
                )
                if server.proc is None:
                    servers_used.append(server)
                    server.start()
                try:
                    log(f"writes with {chosen} gunicorn workers")
                    results.update(run_writes(server.base_url, state, args, write_names))
                    rss = server.worker_rss_mb()
                finally:
                    server.stop()
            log("checking the effects in the database")
            # the worker's effects are waited for only when webhooks were sent
            hooks = {"payment_webhooks", "whatsapp_webhooks"} & set(write_names)
            timeout = (60 if args.smoke else 120) if hooks else 0
            apply_checks(results, verify(env, state_path, timeout=timeout))
        else:
            rss = sweep[chosen].get("worker_rss_mb", [])
        floor = results.get("floor", {}).get("rps")
        judge(results, floor)
        result["scenarios"] = results
        result["memory"] = {
            "worker_rss_mb_after_writes": rss,
            "worker_rss_mb_after_reads": {str(k): v.get("worker_rss_mb") for k, v in sweep.items()},
            "budget_mb": 200,
        }
        all_rss = [x for v in sweep.values() for x in (v.get("worker_rss_mb") or [])] + list(rss)
        result["memory"]["pass"] = bool(all_rss) and max(all_rss) < 200
        result["state"] = {
            "logged_in_through_api": state.get("logged_in_through_api"),
            "manifest": state.get("manifest"),
        }
    finally:
        for server in servers_used:
            server.stop()
        if worker:
            worker.stop()
        state_path.unlink(missing_ok=True)
        state_path.with_suffix(".verify.json").unlink(missing_ok=True)
        (VAR / f"manifest-{os.getpid()}.json").unlink(missing_ok=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"wrote {out}")
    if args.doc:
        from bench.report import write_doc

        write_doc(result, Path(args.doc))
        log(f"wrote {args.doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A production-shaped cluster on one machine: ``make cluster`` / ``make cluster-stop``.

    HAProxy :8200 ──► gunicorn web1 :8201 ─┐
                 └──► gunicorn web2 :8202 ─┼──► PostgreSQL (DATABASE_URL)
    celery worker1, worker2, beat ─────────┴──► Redis: cache db 8, broker db 9
    (worker1 consumes the default queue only, worker2 also the "images" queue)

Everything runs with ``DJANGO_DEBUG=false`` and real (generated) secrets, as in production; only
TLS is missing (the balancer would terminate it, so ``DJANGO_SECURE_SSL_REDIRECT=false``).

``up`` (the default) prepares the database (migrate), the static files (collectstatic, served by
whitenoise) and the balancer's configuration (from ``templates/`` into ``var/cluster/``), starts
every process in its own process group, waits until the balancer answers ``/readyz`` and then
supervises: a process that dies is started again after ``CLUSTER_RESTART_DELAY`` seconds (as
systemd's ``Restart=always`` would). Ctrl-C or SIGTERM stops them all: the balancer first (no new
requests), then web and Celery with SIGTERM (gunicorn finishes its requests, a worker its tasks),
then SIGKILL for anything still alive after ``CLUSTER_STOP_TIMEOUT`` seconds.

``up --detach`` runs the same supervisor in the background (log in ``var/cluster/logs``);
``stop`` stops it (and, if the supervisor itself was killed, its children from their pid files);
``status`` prints what runs. ``kill_test.py`` and ``celery_fanout.py`` import the helpers here.

Environment: anything set in the caller's environment wins over the defaults below (e.g.
``DATABASE_URL`` to run against the benchmark's data set). Secrets are generated once into
``var/cluster/secrets.json`` (mode 600) and reused, so that data encrypted by one start (NIKs,
sessions) is readable by the next.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STATE = ROOT / "var" / "cluster"
LOGS = STATE / "logs"
PIDS = STATE / "pids"
SUPERVISOR_PID = STATE / "supervisor.pid"
BIN = ROOT / ".venv" / "bin"

PORT = int(os.environ.get("CLUSTER_PORT", "8200"))
WEB_PORTS = {"web1": PORT + 1, "web2": PORT + 2}
STATS_PORT = PORT + 9
BALANCER_URL = f"http://127.0.0.1:{PORT}"
WEB_WORKERS = int(os.environ.get("CLUSTER_WEB_WORKERS", "2"))
WORKER_CONCURRENCY = int(os.environ.get("CLUSTER_WORKER_CONCURRENCY", "2"))
GUNICORN_TIMEOUT = 30
RESTART_DELAY = float(os.environ.get("CLUSTER_RESTART_DELAY", "5"))
STOP_TIMEOUT = float(os.environ.get("CLUSTER_STOP_TIMEOUT", "25"))

# Every load-generator client on loopback has the address 127.0.0.1, so the per-address limits of
# production (120 anonymous requests a minute) would measure the throttle, not the system.
# CLUSTER_PRODUCTION_RATES=1 keeps the production rates.
LOAD_TEST_RATES = {
    "API_THROTTLE_ANON": "1000000/min",
    "API_THROTTLE_USER": "1000000/min",
    "API_THROTTLE_LOOKUP": "1000000/min",
    "API_THROTTLE_COMPLAINT": "1000000/hour",
    "API_THROTTLE_UPLOAD": "1000000/min",
    "OPEN311_READS_PER_MINUTE": "1000000",
    "OPEN311_POSTS_PER_HOUR": "1000000",
}


def defaults() -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": BALANCER_URL,
        # TLS would end at the balancer; on loopback there is none, so no redirect to https.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        # One proxy (the balancer) in front: the client is the last X-Forwarded-For entry.
        "DJANGO_NUM_PROXIES": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/buw_cluster",
        "DATABASE_CONN_MAX_AGE": "60",
        "CACHE_URL": "redis://127.0.0.1:6379/8",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9",
        # One directory shared by both web instances and the workers (object storage on many
        # machines: STORAGE_BACKEND).
        "PRIVATE_MEDIA_ROOT": str(STATE / "private"),
        "PORTAL_BASE_URL": BALANCER_URL,
        "PYTHONPATH": str(ROOT),  # deploy.cluster.* (the fan-out's stub provider) is importable
        "PYTHONUNBUFFERED": "1",
    }


def _generate_secrets() -> dict[str, str]:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    pkcs8 = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8)
    rsa_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        *pkcs8, serialization.NoEncryption()
    )
    ed_pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
        *pkcs8, serialization.NoEncryption()
    )
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "NIK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NIK_HASH_KEY": secrets.token_urlsafe(48),
        "IDP_OIDC_PRIVATE_KEY": rsa_pem.decode(),
        "RECEIPT_SIGNING_KEY": ed_pem.decode(),
    }


def load_secrets() -> dict[str, str]:
    path = STATE / "secrets.json"
    if not path.exists():
        STATE.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(_generate_secrets(), handle)
    return json.loads(path.read_text())


def cluster_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every cluster process: defaults < generated secrets < the caller's."""
    env = defaults()
    if os.environ.get("CLUSTER_PRODUCTION_RATES") != "1":
        env.update(LOAD_TEST_RATES)
    env.update(load_secrets())
    env.update(os.environ)
    env.update(extra or {})
    return env


# --- Commands -----------------------------------------------------------------------------------


def web_command(name: str) -> list[str]:
    command = [
        str(BIN / "gunicorn"),
        "balikpapan_untuk_warga.wsgi",
        f"--bind=127.0.0.1:{WEB_PORTS[name]}",
        f"--workers={WEB_WORKERS}",
        f"--name=buw-{name}",
        f"--timeout={GUNICORN_TIMEOUT}",
        "--graceful-timeout=20",
        # X-Forwarded-Proto/-For are believed from the balancer on loopback only.
        "--forwarded-allow-ips=127.0.0.1",
        "--error-logfile=-",
        # The app is imported once by the master and forked: workers share its memory and a
        # restarted instance is up sooner.
        "--preload",
        # gunicorn 27's control socket defaults to one path per user: each instance its own.
        f"--control-socket={STATE / (name + '.ctl')}",
    ]
    if os.environ.get("CLUSTER_ACCESS_LOG") == "1":
        command.append("--access-logfile=-")
    return command


def worker_command(
    name: str, *, concurrency: int = WORKER_CONCURRENCY, queues: str | None = None
) -> list[str]:
    """``queues``: comma-separated queues to consume; ``None``: every queue the settings declare
    (``CELERY_TASK_QUEUES``: the default ``celery`` and ``images``)."""
    command = [
        str(BIN / "celery"),
        "-A",
        "balikpapan_untuk_warga",
        "worker",
        f"--hostname={name}@%h",
        f"--concurrency={concurrency}",
        f"--loglevel={os.environ.get('CLUSTER_CELERY_LOGLEVEL', 'WARNING')}",
    ]
    if queues:
        command.append(f"--queues={queues}")
    return command


def beat_command() -> list[str]:
    return [
        str(BIN / "celery"),
        "-A",
        "balikpapan_untuk_warga",
        "beat",
        "--loglevel=INFO",
        f"--schedule={STATE / 'celerybeat-schedule'}",
        f"--pidfile={STATE / 'celerybeat.pid'}",
    ]


def balancer_command() -> list[str]:
    return ["haproxy", "-db", "-f", str(STATE / "haproxy.cfg")]


def commands() -> dict[str, list[str]]:
    return {
        "web1": web_command("web1"),
        "web2": web_command("web2"),
        # worker1 only the default queue: webhooks and notifications never wait behind photos;
        # worker2 both, so that image work ("images" queue) has a consumer.
        "worker1": worker_command("worker1", queues="celery"),
        "worker2": worker_command("worker2"),
        "beat": beat_command(),
        "balancer": balancer_command(),
    }


# --- Preparation --------------------------------------------------------------------------------


def ensure_haproxy() -> None:
    """Install Debian's haproxy when missing, as .ci/run does for Chromium."""
    if shutil.which("haproxy"):
        return
    print("Installing from Debian: haproxy", flush=True)
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=apt_env)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "haproxy"],
        check=True,
        env=apt_env,
    )


def ensure_database(env: dict[str, str]) -> None:
    """Create the PostgreSQL database named in DATABASE_URL if it does not exist yet."""
    url = env["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"Created database {name}.", flush=True)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def render_balancer_config() -> Path:
    servers = "\n".join(f"    server {name} 127.0.0.1:{port}" for name, port in WEB_PORTS.items())
    text = (
        (HERE / "templates" / "haproxy.cfg")
        .read_text()
        .format(
            state_dir=STATE,
            bind_host="127.0.0.1",
            port=PORT,
            stats_port=STATS_PORT,
            server_timeout=GUNICORN_TIMEOUT + 5,
            check_interval_ms=1000,
            # As many connections per instance as it has workers: the rest wait in HAProxy's queue
            # (and go to the other instance if this one dies), not in a dead process's backlog.
            server_maxconn=WEB_WORKERS,
            servers=servers,
        )
    )
    path = STATE / "haproxy.cfg"
    path.write_text(text)
    subprocess.run(["haproxy", "-c", "-q", "-f", str(path)], check=True)
    return path


def prepare(env: dict[str, str], *, seed: bool) -> None:
    ensure_haproxy()
    for directory in (STATE, LOGS, PIDS, STATE / "private"):
        directory.mkdir(parents=True, exist_ok=True)
    ensure_database(env)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if seed:
        manage(env, "seed_demo")
    render_balancer_config()


# --- Supervision --------------------------------------------------------------------------------


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def running_supervisor() -> int | None:
    pid = read_pid(SUPERVISOR_PID)
    return pid if pid and is_running(pid) else None


def child_pid(name: str) -> int | None:
    """The pid (= process group id) of the cluster's process ``name``, if it runs."""
    pid = read_pid(PIDS / f"{name}.pid")
    return pid if pid and is_running(pid) else None


def wait_ready(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


class Supervisor:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}
        self.died_at: dict[str, float] = {}
        self.stopping = False

    def start(self, name: str) -> None:
        log = open(LOGS / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it open
        # Own process group: Ctrl-C in the terminal reaches the supervisor only, which stops the
        # children in order; and a kill of the group takes a gunicorn master with its workers.
        process = subprocess.Popen(
            commands()[name],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        self.processes[name] = process
        (PIDS / f"{name}.pid").write_text(str(process.pid))
        print(f"  {name:9} pid {process.pid}", flush=True)

    def start_all(self) -> None:
        for name in commands():
            self.start(name)

    def poll(self) -> None:
        """Restart what died, after RESTART_DELAY seconds."""
        now = time.monotonic()
        for name, process in list(self.processes.items()):
            code = process.poll()
            if code is None:
                continue
            if name not in self.died_at:
                self.died_at[name] = now
                print(
                    f"{_now()} {name} exited ({code}); restarting in {RESTART_DELAY:g} s",
                    flush=True,
                )
                _kill_group(process.pid, signal.SIGKILL)  # leftovers of the group, if any
            elif now - self.died_at[name] >= RESTART_DELAY:
                del self.died_at[name]
                print(f"{_now()} restarting {name}", flush=True)
                self.start(name)

    def stop_all(self) -> None:
        self.stopping = True
        order = ["balancer", "beat", "web1", "web2", "worker1", "worker2"]
        for name in order:
            process = self.processes.get(name)
            if process and process.poll() is None:
                _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for name in order:
            process = self.processes.get(name)
            if process is None:
                continue
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop in {STOP_TIMEOUT:g} s: SIGKILL", flush=True)
                _kill_group(process.pid, signal.SIGKILL)
                process.wait()
            _kill_group(process.pid, signal.SIGKILL)  # stray children of the group
            (PIDS / f"{name}.pid").unlink(missing_ok=True)


def _kill_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def _now() -> str:
    return time.strftime("%H:%M:%S")


def up(*, seed: bool, detach: bool) -> int:
    if running_supervisor():
        print(f"The cluster already runs (supervisor pid {running_supervisor()}).")
        return 1
    if detach:
        return _detach(seed=seed)
    env = cluster_env()
    prepare(env, seed=seed)
    SUPERVISOR_PID.write_text(str(os.getpid()))
    supervisor = Supervisor(env)
    stop_requested = []

    def request_stop(signum, frame):
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        print(f"Starting the cluster (logs in {LOGS}):", flush=True)
        supervisor.start_all()
        if wait_ready(f"{BALANCER_URL}/readyz", timeout=90):
            print(
                f"Ready: {BALANCER_URL}/ (balancer), instances {WEB_PORTS['web1']} and "
                f"{WEB_PORTS['web2']}, HAProxy stats http://127.0.0.1:{STATS_PORT}/. "
                "Ctrl-C (or make cluster-stop) stops everything.",
                flush=True,
            )
        else:
            print("The balancer did not answer /readyz in 90 s; see the logs.", flush=True)
        while not stop_requested:
            supervisor.poll()
            time.sleep(0.2)
    finally:
        print("Stopping the cluster…", flush=True)
        supervisor.stop_all()
        SUPERVISOR_PID.unlink(missing_ok=True)
        print("Stopped.", flush=True)
    return 0


def _detach(*, seed: bool) -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / "supervisor.log", "ab")  # noqa: SIM115
    args = [sys.executable, str(Path(__file__).resolve()), "up"] + (["--seed"] if seed else [])
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"The cluster failed to start; see {LOGS / 'supervisor.log'}.")
            return 1
        if running_supervisor() and wait_ready(f"{BALANCER_URL}/readyz", timeout=1):
            print(f"The cluster runs in the background (supervisor pid {process.pid}).")
            return 0
        time.sleep(1)
    print("The cluster did not become ready in 300 s; stopping it.")
    stop()
    return 1


def stop() -> int:
    pid = running_supervisor()
    if pid:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT + 10
        while is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.3)
    # Whatever is left (the supervisor was killed itself, or did not finish in time).
    for path in PIDS.glob("*.pid") if PIDS.exists() else []:
        child = read_pid(path)
        if child and is_running(child):
            _kill_group(child, signal.SIGTERM)
            time.sleep(1)
            _kill_group(child, signal.SIGKILL)
        path.unlink(missing_ok=True)
    if pid and is_running(pid):
        os.kill(pid, signal.SIGKILL)
    SUPERVISOR_PID.unlink(missing_ok=True)
    print("The cluster is stopped.")
    return 0


def status() -> int:
    pid = running_supervisor()
    print(f"supervisor: {'pid ' + str(pid) if pid else 'not running'}")
    for name in commands():
        child = child_pid(name)
        print(f"{name:9} {'pid ' + str(child) if child else '-'}")
    return 0 if pid else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="up", choices=["up", "stop", "status"])
    parser.add_argument("--detach", action="store_true", help="run in the background")
    parser.add_argument("--seed", action="store_true", help="load the demo data (seed_demo)")
    args = parser.parse_args()
    if args.command == "stop":
        return stop()
    if args.command == "status":
        return status()
    return up(seed=args.seed, detach=args.detach)


if __name__ == "__main__":
    sys.exit(main())

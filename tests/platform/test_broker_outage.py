"""The broker dies in the middle of a burst of notifications and comes back: every notification
is delivered, and exactly once.

A real redis-server of the test's own (a free port, append-only file with fsync on every write,
in a temporary directory) and a real Celery worker process against it, sharing the test's
PostgreSQL database. While the broker is down, publishing fails: the ``Delivery`` row stays
``queued`` and the beat sweeper (run here as beat would) queues it again. Messages the worker had
taken but could not acknowledge (acks_late) are handed out again when the broker is back; the
delivery's claim in the database (queued → sending) makes the second run a no-op. The "provider"
writes one line per accepted message, so a duplicate would show.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.db.models import Count

from services.notifications import notify, services
from services.notifications.models import Delivery
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOTAL = 200
KILL_AT = 80  # the broker dies after this many notifications …
BACK_AT = 110  # … and is back (with its data) before this one
DEADLINE = 240  # seconds for all of them to be sent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, port: int, directory: Path):
        self.port, self.directory, self.process = port, directory, None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                "--protected-mode",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        for _ in range(100):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        """A crash, not a clean shutdown: only what reached the append-only file survives."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def broker(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server on PATH")
    data = tmp_path / "redis"
    data.mkdir()
    server = RedisServer(_free_port(), data)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def live_client(broker):
    """This process publishes to the test's broker, with the production publish settings (a
    failed publish gives up within about a second; the Delivery row is what survives)."""
    from balikpapan_untuk_warga.celery import app

    url = f"redis://127.0.0.1:{broker.port}/0"
    keys = ("task_always_eager", "broker_write_url", "broker_read_url")
    saved = {key: app.conf.get(key) for key in keys}
    # broker_url itself is pinned by the CELERY_BROKER_URL setting; the read/write URLs win.
    app.conf.update(
        task_always_eager=False,
        broker_write_url=url,
        broker_read_url=url,
    )
    _reset_pools(app)
    yield app
    app.pool.force_close_all()
    _reset_pools(app)
    app.conf.update(saved)


def _reset_pools(app):
    """Connections are pooled per app; the next publish opens new ones to the current URL."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def worker(broker, tmp_path):
    record = tmp_path / "provider.log"
    record.touch()
    log = tmp_path / "worker.log"
    db = django_settings.DATABASES["default"]
    database_url = "postgres://{user}{password}@{host}:{port}/{name}".format(
        user=db.get("USER") or "",
        password=(":" + db["PASSWORD"]) if db.get("PASSWORD") else "",
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        name=db["NAME"],  # the test database, where this test's rows are committed
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{broker.port}/0",
        "CELERY_RESULT_BACKEND": "",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "NOTIFICATION_EMAIL_BACKEND": "tests.platform.outage_worker.RecordingBackend",
        "OUTAGE_RECORD_FILE": str(record),
        "LOG_FORMAT": "text",
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.platform.outage_worker",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield record, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.broker
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # the worker reads what this test commits
def test_every_notification_is_delivered_exactly_once_across_a_broker_outage(
    settings, broker, live_client, worker
):
    record, worker_log = worker
    settings.NOTIFICATION_SWEEP_GRACE = 0
    settings.NOTIFICATION_BACKENDS = {
        **settings.NOTIFICATION_BACKENDS,
        "email": "tests.platform.outage_worker.RecordingBackend",
    }
    citizen = UserFactory(email="warga@example.test")
    context = {"title": "KTP", "tracking_number": "DUK-2026-000001", "state_label": "Selesai"}

    for index in range(TOTAL):
        if index == KILL_AT:
            broker.kill()
        if index == BACK_AT:
            broker.start()
        notification = notify(
            recipient=citizen,
            event="status_changed",
            key=f"outage-test:{index}",
            context=context,
            topic="transactional",  # email only, no quiet hours
        )
        assert notification is not None  # the request's own work never fails with the broker

    assert Delivery.objects.count() == TOTAL
    # While it was down, nothing could be queued: those rows wait for the sweeper.
    assert Delivery.objects.filter(status=Delivery.Status.QUEUED).count() >= BACK_AT - KILL_AT

    started = time.monotonic()
    last_sweep = 0.0
    while Delivery.objects.filter(status=Delivery.Status.SENT).count() < TOTAL:
        if time.monotonic() - started > DEADLINE:
            states = dict(Delivery.objects.order_by().values_list("status").annotate(n=Count("id")))
            pytest.fail(f"not all sent: {states}\n{worker_log.read_text()[-3000:]}")
        if time.monotonic() - last_sweep > 15:  # beat runs it every few minutes
            services.deliveries_sweep()
            last_sweep = time.monotonic()
        time.sleep(0.5)

    # Let redeliveries of unacknowledged messages (visibility timeout 10 s) run, then count.
    time.sleep(15)
    lines = record.read_text().split()
    uuids = {str(value) for value in Delivery.objects.values_list("uuid", flat=True)}
    assert len(lines) == TOTAL, f"{len(lines) - len(set(lines))} duplicate(s)"
    assert set(lines) == uuids
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}

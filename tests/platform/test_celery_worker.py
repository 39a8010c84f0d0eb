"""A real Celery worker process on the real broker runs a task sent from here."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def live_celery():
    """Make this process a Celery client of the real broker (the suite runs tasks eagerly)."""
    from balikpapan_untuk_warga.celery import app

    broker = os.environ["CELERY_BROKER_URL"]
    saved = {
        key: app.conf.get(key) for key in ("task_always_eager", "broker_url", "result_backend")
    }
    app.conf.update(
        task_always_eager=False,
        broker_url=broker,
        result_backend=os.environ.get("CELERY_RESULT_BACKEND") or broker,
    )
    yield app
    app.conf.update(saved)


@pytest.mark.broker
def test_a_real_worker_completes_a_task(live_celery):
    from services.tasks import ping

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "balikpapan_untuk_warga",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        result = ping.apply_async(args=["halo"], queue=queue)
        assert result.get(timeout=60) == {"pong": "halo", "worker": result.get()["worker"]}
        assert result.status == "SUCCESS"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()

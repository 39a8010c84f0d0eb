"""``bench/run.py --smoke`` end to end: a dedicated PostgreSQL database, gunicorn with DEBUG off,
a Celery worker, every scenario driven for a second, the effects checked in the database.

It checks the harness, not the figures. The database (``<DATABASE_URL's name>_benchsmoke``) is
kept between runs: the first run migrates and seeds it (minutes on a busy machine), later runs
only add their own fixtures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import scenarios

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
def test_bench_smoke_runs_every_scenario_without_errors(tmp_path):
    from environ import Env

    url = os.environ["DATABASE_URL"]
    name = Env.db_url_config(url)["NAME"]
    smoke_url = url.rsplit("/", 1)[0] + f"/{name}_benchsmoke"
    # A Redis database of its own (12): the smoke run's worker must not take the tasks other
    # tests queue on the suite's broker database, nor they its.
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    redis = os.environ.get("BENCH_REDIS_URL") or broker.rsplit("/", 1)[0] + "/12"
    out = tmp_path / "smoke.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    completed = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--warmup",
            "0",
            "--database-url",
            smoke_url,
            "--redis-url",
            redis,
            "--out",
            str(out),
            "--doc",
            "",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    result = json.loads(out.read_text())
    assert set(result["scenarios"]) == {s.name for s in scenarios.READS + scenarios.WRITES}
    for name, row in result["scenarios"].items():
        assert row["requests"] > 0, name
        assert row["errors"] == 0, (name, row)
    burst = result["scenarios"]["booking_burst"]
    assert burst["tickets"] == burst["quota"] == 100
    assert burst["server_errors"] == 0
    assert result["scenarios"]["payment_webhooks"]["exactly_once"]
    assert result["scenarios"]["whatsapp_webhooks"]["exactly_once"]
    assert result["scenarios"]["floor"]["queries_per_request"] == 0
    assert result["memory"]["worker_rss_mb_after_writes"]

"""A notification provider that records what it is handed, for ``celery_fanout.py``.

Configured as ``NOTIFICATION_<CHANNEL>_BACKEND=deploy.cluster.stub_provider.RecordingBackend`` in
the Celery workers' environment. Each message is recorded in Redis (``STUB_PROVIDER_REDIS``,
under ``STUB_PROVIDER_KEY``) as delivery uuid → time handed over, with ``HSETNX``: a second
hand-over of the same delivery does not overwrite the first, it is appended to ``<key>:twice``.
So "none twice" is checked by the provider itself, across both workers, not inferred from the
app's own bookkeeping. ``STUB_PROVIDER_LATENCY_MS`` makes each call take that long (a real
provider's round trip).
"""

from __future__ import annotations

import os
import time
from functools import cached_property

import redis

from services.notifications.backends import BaseBackend, OutgoingMessage, SendResult


class RecordingBackend(BaseBackend):
    @cached_property
    def _redis(self) -> redis.Redis:
        return redis.Redis.from_url(
            os.environ.get("STUB_PROVIDER_REDIS", "redis://127.0.0.1:6379/8")
        )

    def send(self, message: OutgoingMessage) -> SendResult:
        latency = float(os.environ.get("STUB_PROVIDER_LATENCY_MS", "0")) / 1000
        if latency:
            time.sleep(latency)
        key = os.environ.get("STUB_PROVIDER_KEY", "buw:stub-provider")
        now = f"{time.time():.6f}"
        if not self._redis.hsetnx(key, message.idempotency_key, now):
            self._redis.rpush(f"{key}:twice", f"{message.idempotency_key} {now}")
        return SendResult(provider_message_id=f"stub-{message.idempotency_key}")

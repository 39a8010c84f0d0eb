"""The Celery app and the recording email provider of the broker-outage test's worker process
(``celery -A tests.platform.outage_worker worker``).

A short visibility timeout: a message whose ack was lost with the broker connection is handed out
again after 10 s instead of an hour, so the test sees the redelivery that acks_late allows — and
that the delivery's claim in the database must turn into a no-op.
"""

import fcntl
import os

from balikpapan_untuk_warga.celery import app
from services.notifications.backends import BaseBackend, SendResult

app.conf.broker_transport_options = {"visibility_timeout": 10}

__all__ = ["RecordingBackend", "app"]


class RecordingBackend(BaseBackend):
    """The "provider": one line per message it accepted, in ``OUTAGE_RECORD_FILE``."""

    def send(self, message):
        path = os.environ["OUTAGE_RECORD_FILE"]
        with open(path, "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(message.idempotency_key + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return SendResult(provider_message_id=message.idempotency_key)

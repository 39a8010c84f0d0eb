"""Platform tasks."""

import socket

from celery import shared_task


@shared_task(name="services.ping", ignore_result=False, time_limit=10, soft_time_limit=8)
def ping(payload: str = "") -> dict[str, str]:
    """Answer from whichever worker runs it: proves the broker and a worker are alive."""
    return {"pong": payload, "worker": socket.gethostname()}

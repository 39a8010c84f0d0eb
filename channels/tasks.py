"""Celery tasks of the channels app. Each takes an id, loads fresh and is safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(name="channels.process_inbound", ignore_result=True, soft_time_limit=60, time_limit=90)
def process_inbound(message_id: int) -> str:
    """Run the WhatsApp dialogue for one stored message (a second run finds it processed)."""
    from channels.whatsapp.conversation import message_process

    return message_process(message_id=message_id)


@shared_task(
    bind=True,
    name="channels.send_outbound",
    ignore_result=True,
    max_retries=None,
    soft_time_limit=90,
    time_limit=120,
)
def send_outbound(self, message_id: int) -> str:
    """Send one WhatsApp reply; a failure that may pass is retried with backoff (60 s doubled,
    at most an hour), and marked failed after ``WHATSAPP_SEND_RETRIES`` retries."""
    from channels.whatsapp.services import SendLater, outbound_send

    retries = self.request.retries
    try:
        return outbound_send(
            message_id=message_id, is_last_attempt=retries >= settings.WHATSAPP_SEND_RETRIES
        )
    except SendLater:
        raise self.retry(countdown=min(60 * 2**retries, 3600)) from None


@shared_task(name="channels.sweep", ignore_result=True)
def sweep() -> int:
    """Beat, every few minutes: process stored messages and send queued replies whose task was
    lost (a broker that was down) or had to wait for a retry."""
    from channels.whatsapp import services

    inbound, outbound = services.inbound_pending_ids(), services.outbound_pending_ids()
    for task, ids in ((process_inbound, inbound), (send_outbound, outbound)):
        for message_id in ids:
            try:
                task.delay(message_id)
            except Exception as exc:  # one message must not hold up the others
                logger.error("WhatsApp message %s: %s.", message_id, type(exc).__name__)
    return len(inbound) + len(outbound)

"""Celery tasks of services.notifications. Each takes ids, loads fresh and is safe to run twice.

Retries are explicit (``self.retry`` on :class:`~services.notifications.services.RetryLater`)
rather than ``autoretry_for``: the delivery must be put back to ``queued`` with its next time
before the retry is scheduled, and marked failed with the reason after the last one — which the
service does, so that the retry count lives in the database (``attempts``) and survives a retry
message lost by the broker and re-queued by the sweeper.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings

from services.notifications import scheduling, services

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="notifications.deliver", ignore_result=True, max_retries=None)
def deliver(self, delivery_id: int) -> str:
    """Send one delivery: exactly once, whatever the broker does (see ``delivery_send``)."""
    try:
        return services.delivery_send(delivery_id=delivery_id, is_retry=self.request.retries > 0)
    except services.RetryLater as retry:
        raise self.retry(eta=retry.at) from None


@shared_task(name="notifications.deliver_batch", ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Send a chunk of deliveries queued together (see ``services.dispatch``): each exactly once,
    as ``deliver`` does; one that may succeed later gets its own ``deliver`` task."""
    return services.deliveries_send_batch(delivery_ids=delivery_ids)


@shared_task(bind=True, name="notifications.send_digest", ignore_result=True, max_retries=None)
def send_digest(self, recipient_id: int) -> int:
    """One person's daily digest email; a second run finds nothing waiting and sends nothing."""
    is_last_attempt = self.request.retries >= settings.NOTIFICATION_MAX_RETRIES
    try:
        return services.digest_send(recipient_id=recipient_id, is_last_attempt=is_last_attempt)
    except services.RetryLater:
        raise self.retry(
            countdown=scheduling.retry_delay(self.request.retries).total_seconds()
        ) from None


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests() -> int:
    """Beat, daily: queue a digest for everyone with something waiting for it."""
    recipient_ids = services.digest_recipient_ids()
    for recipient_id in recipient_ids:
        try:
            send_digest.delay(recipient_id)
        except Retry:  # eager mode only: the first attempt ran here and failed
            logger.info("The digest of user %s failed its first attempt.", recipient_id)
        except Exception as exc:  # one person's failure must not hold up the others' digests
            logger.error(
                "The digest of user %s could not be queued or run (%s).",
                recipient_id,
                type(exc).__name__,
            )
    return len(recipient_ids)


@shared_task(name="notifications.sweep_deliveries", ignore_result=True)
def sweep_deliveries() -> dict[str, int]:
    """Beat, every few minutes: see ``services.deliveries_sweep``."""
    return services.deliveries_sweep()

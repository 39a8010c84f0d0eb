"""Celery tasks: apply stored gateway notifications, expire stale QR codes, reconcile pending
payments with the gateway. All are idempotent and call the services; they take ids and load fresh
rows."""

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from payments import services
from payments.models import Payment
from payments.workflow import PaymentState


@shared_task(name="payments.process_notification", soft_time_limit=50, time_limit=60)
def process_notification(delivery_id: int) -> bool:
    return services.notification_process(delivery_id=delivery_id)


@shared_task(name="payments.process_stored_notifications", soft_time_limit=280, time_limit=300)
def process_stored_notifications() -> int:
    """Safety net: notifications stored while the queue was unreachable."""
    return services.notifications_process_stored()


@shared_task(name="payments.expire_stale", time_limit=120)
def expire_stale() -> int:
    return services.payments_expire_stale()


@shared_task(name="payments.reconcile_pending", time_limit=600)
def reconcile_pending() -> int:
    """Ask the gateway about payments pending (or expired unpaid) for longer than N minutes."""
    cutoff = timezone.now() - dt.timedelta(minutes=settings.PAYMENTS_RECONCILE_AFTER_MINUTES)
    since = timezone.now() - dt.timedelta(days=2)
    ids = Payment.objects.filter(
        state__in=[PaymentState.PENDING, PaymentState.EXPIRED],
        created_at__lte=cutoff,
        created_at__gte=since,
    ).values_list("pk", flat=True)[:500]
    return sum(1 for payment_id in ids if services.payment_reconcile(payment_id=payment_id))

"""Writes on notifications: :func:`notify` (what modules call), sending deliveries (what the tasks
call), the inbox, preferences and devices (what the API calls).

Exactly once: an event is notified once per (recipient, key) — the unique constraint decides —
and has one delivery per channel — another unique constraint. A delivery is sent only by whoever
moves it from ``queued`` to ``sending`` in one conditional UPDATE, so a task delivered twice by
the broker, a retry and the sweeper can never send it twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial
from typing import TYPE_CHECKING

from celery.exceptions import Retry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from services.activity.models import ActivityItem
from services.activity.texts import in_language
from services.notifications import rendering, scheduling
from services.notifications.backends import (
    BackendError,
    DeliveryRejected,
    OutgoingMessage,
    PushTarget,
    SendResult,
    get_backend,
)
from services.notifications.exceptions import DeliveryNotFailed
from services.notifications.models import (
    DELIVERY_CHANNELS,
    Channel,
    ChannelPreference,
    Delivery,
    Device,
    Notification,
    Topic,
)
from services.notifications.selectors import (
    Preferences,
    notification_preferences_for,
    notification_preferences_for_many,
)

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)
Status = Delivery.Status

DIGEST_EVENT = "digest"
#: Recipients per transaction in notify_many(), and deliveries per task in dispatch(): large
#: enough that the per-query and per-commit costs are shared by many, small enough that one
#: task is done in well under a second.
FANOUT_CHUNK = 500
DISPATCH_CHUNK = 100


class RetryLater(Exception):
    """The backend failed in a way that may pass: the task retries at ``at``."""

    def __init__(self, at: dt.datetime, reason: str):
        super().__init__(reason)
        self.at = at
        self.reason = reason


# --- notify() ----------------------------------------------------------------------------------


def notify(
    *,
    recipient: User,
    event: str,
    key: str,
    context: dict | None = None,
    obj=None,
    topic: str = "status",
    urgent: bool = False,
) -> Notification | None:
    """Queue a notification of `event` for `recipient` about `obj`. `key` identifies the event
    (e.g. f"civil_registry:{request.uuid}:history:{history.id}"); the same (recipient, key) twice
    does nothing the second time. Creates the in-app inbox item now and queues one Delivery per
    channel the recipient has opted into (transaction.on_commit → Celery task); returns the inbox
    item (None if it already existed).

    ``context`` feeds the event's templates (see :mod:`services.notifications.rendering`); it is
    not stored. ``app_link``/``portal_link`` in it set the item's links, else they are taken from
    the recipient's activity item for ``obj``. ``urgent`` skips quiet hours and the digest.
    """
    _check_event(event=event, topic=topic, key=key)
    if Notification.objects.filter(recipient=recipient, key=key).exists():
        return None

    if obj is not None and obj.pk is None:
        raise ValueError("notify() needs a saved object.")
    content_type, object_id = (
        (ContentType.objects.get_for_model(obj), str(obj.pk)) if obj is not None else (None, "")
    )
    context = dict(context or {})
    app_link, portal_link = _links(recipient, context, content_type, object_id)
    context.update(
        recipient_name=recipient.full_name,
        app_link=app_link,
        portal_url=_absolute(portal_link),
    )
    texts = rendering.render_event(event, context)
    now = timezone.now()

    with transaction.atomic():
        try:
            with transaction.atomic():  # a concurrent notify() with the same key may win
                notification = Notification.objects.create(
                    recipient=recipient,
                    event=event,
                    key=key,
                    topic=topic,
                    is_urgent=urgent,
                    title=texts.title,
                    body=texts.body,
                    short_body=texts.short_body,
                    content_type=content_type,
                    object_id=object_id,
                    app_link=app_link,
                    portal_link=portal_link,
                    created_at=now,
                )
        except IntegrityError:
            return None
        deliveries = Delivery.objects.bulk_create(
            _plan_deliveries(notification, recipient=recipient, now=now)
        )
    queued = [(d.pk, d.scheduled_for) for d in deliveries if d.status == Status.QUEUED]
    if queued:
        transaction.on_commit(partial(dispatch, queued))
    return notification


def _check_event(*, event: str, topic: str, key: str) -> None:
    """The arguments :func:`notify` and :func:`notify_many` refuse (programming errors)."""
    rendering.check_event_name(event)
    if topic not in Topic.values:
        raise ValueError(f"Unknown notification topic {topic!r}; use one of {Topic.values}.")
    if not key or len(key) > 255:
        raise ValueError("A notification key is 1–255 characters.")


def notify_many(
    *,
    recipients,
    event: str,
    key: str,
    context: dict | None = None,
    topic: str = "status",
    urgent: bool = False,
) -> int:
    """The same event for many people at once (a flood warning to a kelurahan, a city-wide
    announcement): each recipient gets what :func:`notify` would give them, once per (recipient,
    key). Instead of some eight queries and a commit per recipient, each chunk of
    :data:`FANOUT_CHUNK` recipients takes a handful of queries and one commit, and its deliveries
    are queued a hundred to a task (see :func:`dispatch`). Returns how many inbox items were
    created. A broadcast is about nobody's own item: links, if any, come in ``context``.
    """
    _check_event(event=event, topic=topic, key=key)
    recipients = list(recipients)
    return sum(
        _notify_chunk(
            recipients[start : start + FANOUT_CHUNK],
            event=event,
            key=key,
            context=dict(context or {}),
            topic=topic,
            urgent=urgent,
        )
        for start in range(0, len(recipients), FANOUT_CHUNK)
    )


def _notify_chunk(recipients, *, event, key, context, topic, urgent) -> int:
    done = set(
        Notification.objects.filter(
            recipient_id__in=[r.pk for r in recipients], key=key
        ).values_list("recipient_id", flat=True)
    )
    todo = [r for r in recipients if r.pk not in done]
    if not todo:
        return 0
    preferences = notification_preferences_for_many(users=todo)
    with_device = set(Device.objects.filter(user__in=todo).values_list("user_id", flat=True))
    app_link = str(context.get("app_link") or "")
    portal_link = str(context.get("portal_link") or "")
    notifications = []
    for recipient in todo:
        texts = rendering.render_event(
            event,
            {
                **context,
                "recipient_name": recipient.full_name,
                "app_link": app_link,
                "portal_url": _absolute(portal_link),
            },
        )
        notifications.append(
            Notification(
                recipient=recipient,
                event=event,
                key=key,
                topic=topic,
                is_urgent=urgent,
                title=texts.title,
                body=texts.body,
                short_body=texts.short_body,
                app_link=app_link,
                portal_link=portal_link,
            )
        )
    now = timezone.now()  # after the rendering: when the rows go in
    for notification in notifications:
        notification.created_at = now
    try:
        with transaction.atomic():
            Notification.objects.bulk_create(notifications)
            deliveries = Delivery.objects.bulk_create(
                [
                    delivery
                    for n in notifications
                    for delivery in _plan_deliveries(
                        n,
                        recipient=n.recipient,
                        now=now,
                        preferences=preferences[n.recipient.pk],
                        has_device=n.recipient.pk in with_device,
                    )
                ]
            )
    except IntegrityError:
        # A concurrent notify() of the same key won for someone here: one by one, the unique
        # constraint decides for each as it does in notify().
        return sum(
            1
            for r in todo
            if notify(
                recipient=r, event=event, key=key, context=context, topic=topic, urgent=urgent
            )
        )
    queued = [(d.pk, d.scheduled_for) for d in deliveries if d.status == Status.QUEUED]
    if queued:
        transaction.on_commit(partial(dispatch, queued))
    return len(notifications)


def _links(recipient, context: dict, content_type, object_id: str) -> tuple[str, str]:
    app_link = str(context.get("app_link") or "")
    portal_link = str(context.get("portal_link") or "")
    if content_type is not None and not (app_link or portal_link):
        links = (
            ActivityItem.objects.filter(
                content_type=content_type, object_id=object_id, owner=recipient
            )
            .values_list("app_link", "portal_link")
            .first()
        )
        if links:
            app_link, portal_link = links
    return app_link, portal_link


def _absolute(link: str) -> str:
    if link.startswith("/"):
        return settings.PORTAL_BASE_URL.rstrip("/") + link
    return link


def _plan_deliveries(
    notification: Notification,
    *,
    recipient: User,
    now,
    preferences: Preferences | None = None,
    has_device: bool | None = None,
) -> list[Delivery]:
    """One delivery per outside channel the recipient chose for this topic and can be reached on.
    ``preferences`` and ``has_device`` are looked up when not given (notify_many gives them)."""
    if not recipient.is_active:
        return []
    if notification.topic == Topic.TRANSACTIONAL:
        channels = [Channel.EMAIL] if recipient.email else []
        preferences = Preferences(channels={}, email_digest=False)
    else:
        preferences = preferences or notification_preferences_for(user=recipient)
        channels = [
            channel
            for channel in DELIVERY_CHANNELS
            if preferences.allows(channel, notification.topic)
            and _reachable(recipient, channel, has_device=has_device)
        ]
    deliveries = []
    for channel in channels:
        if channel == Channel.EMAIL and preferences.email_digest and not notification.is_urgent:
            status, scheduled_for = Status.AWAITING_DIGEST, scheduling.next_digest_at(now)
        else:
            status = Status.QUEUED
            scheduled_for = scheduling.not_before(
                now, channel=channel, is_urgent=notification.is_urgent
            )
        deliveries.append(
            Delivery(
                notification=notification,
                channel=channel,
                status=status,
                scheduled_for=scheduled_for,
                created_at=now,
                updated_at=now,
            )
        )
    return deliveries


def _reachable(recipient: User, channel: str, *, has_device: bool | None = None) -> bool:
    if channel == Channel.EMAIL:
        return bool(recipient.email)
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return bool(recipient.phone and recipient.phone_verified)
    if has_device is not None:
        return has_device
    return Device.objects.filter(user=recipient).exists()


def dispatch(items: list[tuple[int, dt.datetime]]) -> None:
    """Queue the delivery task for each (delivery id, not before). A broker that is down does not
    fail the caller: the delivery stays queued and the sweeper queues it again."""
    from services.notifications.tasks import deliver, deliver_batch

    now = timezone.now()
    # With a broker, the deliveries due now go DISPATCH_CHUNK to a task (one claim, one read and
    # one commit of their results per task instead of per delivery; see deliveries_send_batch).
    # Eagerly (make run, tests) each runs in the caller as before.
    due = [] if settings.CELERY_TASK_ALWAYS_EAGER else [pk for pk, at in items if at <= now]
    if len(due) > 1:
        for start in range(0, len(due), DISPATCH_CHUNK):
            chunk = due[start : start + DISPATCH_CHUNK]
            try:
                deliver_batch.apply_async((chunk,))
            except Exception as exc:
                logger.error(
                    "%d deliveries could not be queued (%s); the sweeper will retry them.",
                    len(chunk),
                    type(exc).__name__,
                )
        batched = set(due)
        items = [item for item in items if item[0] not in batched]
    for delivery_id, not_before in items:
        try:
            deliver.apply_async((delivery_id,), eta=not_before if not_before > now else None)
        except Retry:
            # Only with CELERY_TASK_ALWAYS_EAGER (and eager propagation): the first attempt ran
            # here and failed; the delivery is queued for its retry, which the sweeper runs.
            logger.info("Delivery %s failed its first attempt; it will be retried.", delivery_id)
        except Exception as exc:
            # The class name only: a message or traceback may quote an address or a text.
            logger.error(
                "Delivery %s could not be queued or run now (%s); the sweeper will retry it.",
                delivery_id,
                type(exc).__name__,
            )


# --- Sending -----------------------------------------------------------------------------------


def delivery_send(*, delivery_id: int, is_retry: bool = False) -> str:
    """Send one delivery if it is still to be sent; returns what happened ("sent", "failed",
    "skipped"), or raises :class:`RetryLater` after a failure that may pass.

    A first attempt waits for ``scheduled_for`` (quiet hours); a retry was scheduled for its time
    by the task queue. ``NOTIFICATION_MAX_RETRIES`` retries follow the first attempt.
    """
    now = timezone.now()
    claim = Delivery.objects.filter(pk=delivery_id, status=Status.QUEUED)
    if not is_retry:
        claim = claim.filter(scheduled_for__lte=now)
    if not claim.update(status=Status.SENDING, attempts=F("attempts") + 1, updated_at=now):
        return "skipped"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    result = _attempt(delivery)
    if result is None:
        return "failed"
    _mark_sent(delivery, result)
    return "sent"


def deliveries_send_batch(*, delivery_ids: list[int]) -> dict[str, int]:
    """What :func:`delivery_send` does, for a chunk queued together by :func:`dispatch`: the due
    deliveries still queued are claimed in one transaction (the same conditional UPDATE per row,
    so a delivery another task or the sweeper took is skipped), read in one query, handed to
    their backends one by one, and the sent ones recorded in one transaction. A failure that may
    pass queues that delivery's own retry (``deliver`` at its time); an unexpected error fails
    that delivery only. Returns how many were sent, failed, retried and skipped."""
    now = timezone.now()
    claimed = _claim_many(delivery_ids, now=now)
    counts = {"sent": 0, "failed": 0, "retried": 0, "skipped": len(delivery_ids) - len(claimed)}
    sent = []
    for delivery in Delivery.objects.select_related("notification__recipient").filter(
        pk__in=claimed
    ):
        try:
            result = _attempt(delivery)
        except RetryLater as retry:
            counts["retried"] += 1
            dispatch([(delivery.pk, retry.at)])
            continue
        except Exception as exc:  # _attempt marked it failed; the rest of the chunk goes on
            logger.error("Delivery %s failed unexpectedly (%s).", delivery.pk, type(exc).__name__)
            counts["failed"] += 1
            continue
        if result is None:
            counts["failed"] += 1
        else:
            sent.append((delivery, result))
    _mark_sent_many(sent)
    counts["sent"] = len(sent)
    return counts


def _claim_many(delivery_ids: list[int], *, now) -> list[int]:
    """Move the due, queued deliveries among ``delivery_ids`` to ``sending``; returns their ids.
    The rows are locked first (PostgreSQL; rows locked by another claimer are left to it), so
    that the one UPDATE changes exactly the rows read. Without row locks (SQLite) a mismatch
    falls back to the conditional UPDATE per row of delivery_send."""
    due = Delivery.objects.filter(status=Status.QUEUED, scheduled_for__lte=now)
    fields = {"status": Status.SENDING, "attempts": F("attempts") + 1, "updated_at": now}
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids)
            .order_by()
            .values_list("pk", flat=True)
        )
        if due.filter(pk__in=ids).update(**fields) == len(ids):
            return ids
        transaction.set_rollback(True)
    with transaction.atomic():
        return [pk for pk in delivery_ids if due.filter(pk=pk).update(**fields)]


def _mark_sent_many(sent: list[tuple[Delivery, SendResult]]) -> None:
    """:func:`_mark_sent` for many, in one UPDATE."""
    if not sent:
        return
    now = timezone.now()
    delivered = [delivery.pk for delivery, result in sent if result.is_delivered]
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[d.pk for d, _ in sent], status=Status.SENDING).update(
            status=Case(
                When(pk__in=delivered, then=Value(Status.DELIVERED)), default=Value(Status.SENT)
            ),
            sent_at=now,
            delivered_at=Case(When(pk__in=delivered, then=Value(now)), default=None),
            provider_message_id=Case(
                *[
                    When(pk=delivery.pk, then=Value(result.provider_message_id[:255]))
                    for delivery, result in sent
                    if result.provider_message_id
                ],
                default=Value(""),
            ),
            updated_at=now,
        )
        for delivery, result in sent:
            if result.invalid_tokens:
                Device.objects.filter(
                    user_id=delivery.notification.recipient_id, token__in=result.invalid_tokens
                ).delete()


def _attempt(delivery: Delivery) -> SendResult | None:
    """Hand a claimed delivery to its backend: the result, or None when it failed for good (then
    marked failed); raises :class:`RetryLater` after a failure that may pass."""
    try:
        return get_backend(delivery.channel).send(_message_for(delivery))
    except DeliveryRejected as exc:
        _fail(delivery, exc.reason)
        return None
    except BackendError as exc:
        if delivery.attempts > settings.NOTIFICATION_MAX_RETRIES:
            _fail(delivery, exc.reason)
            return None
        at = scheduling.not_before(
            timezone.now() + scheduling.retry_delay(delivery.attempts - 1),
            channel=delivery.channel,
            is_urgent=delivery.notification.is_urgent,
        )
        Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
            status=Status.QUEUED,
            scheduled_for=at,
            failure_reason=exc.reason,
            updated_at=delivery.updated_at,  # the claim's time, as before
        )
        logger.warning(
            "Delivery %s by %s failed (%s), attempt %d; retrying.",
            delivery.pk,
            delivery.channel,
            exc.reason,
            delivery.attempts,
        )
        raise RetryLater(at, exc.reason) from exc
    except Exception as exc:
        _fail(delivery, f"unexpected error ({type(exc).__name__})")
        raise


def _message_for(delivery: Delivery) -> OutgoingMessage:
    notification = delivery.notification
    recipient = notification.recipient
    language = recipient.preferred_language
    if not recipient.is_active:
        raise DeliveryRejected("account deactivated")
    common = {
        "channel": delivery.channel,
        "language": language,
        "event": notification.event,
        "title": in_language(notification.title, language),
        "idempotency_key": str(delivery.uuid),
    }
    if delivery.channel == Channel.EMAIL:
        if not recipient.email:
            raise DeliveryRejected("no email address")
        return OutgoingMessage(
            to=recipient.email,
            text=in_language(notification.body, language),
            link=_absolute(notification.portal_link),
            **common,
        )
    short = in_language(notification.short_body, language)
    if delivery.channel in (Channel.SMS, Channel.WHATSAPP):
        if not (recipient.phone and recipient.phone_verified):
            raise DeliveryRejected("no verified phone number")
        return OutgoingMessage(to=recipient.phone, text=short, **common)
    devices = tuple(
        PushTarget(platform=device.platform, token=device.token)
        for device in recipient.devices.order_by("id")
    )
    if not devices:
        raise DeliveryRejected("no registered device")
    return OutgoingMessage(to="", text=short, link=notification.app_link, devices=devices, **common)


def _mark_sent(delivery: Delivery, result: SendResult) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=Status.DELIVERED if result.is_delivered else Status.SENT,
        sent_at=now,
        delivered_at=now if result.is_delivered else None,
        provider_message_id=result.provider_message_id[:255],
        updated_at=now,
    )
    if result.invalid_tokens:
        Device.objects.filter(
            user_id=delivery.notification.recipient_id, token__in=result.invalid_tokens
        ).delete()


def _fail(delivery: Delivery, reason: str) -> None:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=Status.FAILED, failed_at=now, failure_reason=reason[:255], updated_at=now
    )
    logger.warning(
        "Delivery %s by %s failed for good after %d attempt(s): %s.",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        reason,
    )


def delivery_mark_delivered(*, channel: str, provider_message_id: str, at=None) -> bool:
    """A provider's receipt (a later webhook): the message reached the person."""
    at = at or timezone.now()
    return bool(
        Delivery.objects.filter(
            channel=channel, provider_message_id=provider_message_id, status=Status.SENT
        ).update(status=Status.DELIVERED, delivered_at=at, updated_at=timezone.now())
    )


def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """Staff send a failed delivery again, with a fresh set of attempts."""
    now = timezone.now()
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=Status.FAILED).update(
            status=Status.QUEUED, scheduled_for=now, attempts=0, failed_at=None, updated_at=now
        )
        if not updated:
            raise DeliveryNotFailed()
        transaction.on_commit(partial(dispatch, [(delivery.pk, now)]))
    logger.info("Delivery %s queued again by staff user %s.", delivery.pk, actor.pk)
    delivery.refresh_from_db()
    return delivery


def deliveries_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run by beat every few minutes: queue again deliveries whose task was lost (a broker that
    was down, quiet-hours deferrals in eager mode), and fail those stuck in ``sending`` since
    longer than a task may run (the worker died mid-send: it may or may not have arrived, so it
    is not sent again)."""
    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.NOTIFICATION_SWEEP_GRACE)
    due = list(
        Delivery.objects.filter(status=Status.QUEUED, scheduled_for__lte=now - grace)
        .order_by("scheduled_for")
        .values_list("pk", "scheduled_for")[: settings.NOTIFICATION_SWEEP_BATCH]
    )
    stuck_before = now - dt.timedelta(seconds=2 * settings.CELERY_TASK_TIME_LIMIT) - grace
    stuck = Delivery.objects.filter(status=Status.SENDING, updated_at__lt=stuck_before).update(
        status=Status.FAILED,
        failed_at=now,
        failure_reason="interrupted while sending; it may not have arrived",
        updated_at=now,
    )
    dispatch(due)
    return {"queued": len(due), "failed": stuck}


# --- The daily digest --------------------------------------------------------------------------


def digest_recipient_ids() -> list[int]:
    return list(
        Delivery.objects.filter(status=Status.AWAITING_DIGEST)
        .order_by()  # DISTINCT over the recipient alone, not the default ordering's columns
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )


def digest_send(*, recipient_id: int, is_last_attempt: bool) -> int:
    """Send one email with everything waiting for the recipient's digest; returns how many items
    it held (0: nothing was waiting, e.g. a second run). Raises :class:`RetryLater`."""
    from accounts.models import User

    now = timezone.now()
    waiting = list(
        Delivery.objects.filter(
            status=Status.AWAITING_DIGEST,
            channel=Channel.EMAIL,
            notification__recipient_id=recipient_id,
        ).values_list("pk", flat=True)
    )
    if not waiting:
        return 0
    batch = uuid.uuid4()
    # The claim: the status is re-checked on each row, so two runs never take the same item.
    claimed = Delivery.objects.filter(pk__in=waiting, status=Status.AWAITING_DIGEST).update(
        status=Status.SENDING, digest_batch=batch, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return 0
    in_batch = Delivery.objects.filter(digest_batch=batch, status=Status.SENDING)
    recipient = User.objects.get(pk=recipient_id)
    if not (recipient.is_active and recipient.email):
        _fail_batch(in_batch, "no email address" if recipient.is_active else "account deactivated")
        return 0
    language = recipient.preferred_language
    notifications = [
        delivery.notification
        for delivery in in_batch.select_related("notification").order_by("notification__created_at")
    ]
    context = {
        "recipient_name": recipient.full_name,
        "items": [
            {
                "title": in_language(n.title, language),
                "text": in_language(n.short_body, language),
                "created_at": n.created_at,
                "portal_url": _absolute(n.portal_link),
            }
            for n in notifications
        ],
    }
    message = OutgoingMessage(
        channel=Channel.EMAIL,
        to=recipient.email,
        language=language,
        event=DIGEST_EVENT,
        title=" ".join(rendering.render(DIGEST_EVENT, "subject", language, context).split()),
        text=rendering.render(DIGEST_EVENT, "body", language, context),
        link=_absolute("/"),
        idempotency_key=str(batch),
    )
    try:
        result = get_backend(Channel.EMAIL).send(message)
    except DeliveryRejected as exc:
        _fail_batch(in_batch, exc.reason)
        return 0
    except BackendError as exc:
        if is_last_attempt:
            _fail_batch(in_batch, exc.reason)
            return 0
        in_batch.update(status=Status.AWAITING_DIGEST, digest_batch=None, failure_reason=exc.reason)
        raise RetryLater(timezone.now(), exc.reason) from exc
    sent_at = timezone.now()
    in_batch.update(
        status=Status.SENT,
        sent_at=sent_at,
        provider_message_id=result.provider_message_id[:255],
        updated_at=sent_at,
    )
    return len(notifications)


def _fail_batch(in_batch, reason: str) -> None:
    now = timezone.now()
    count = in_batch.update(
        status=Status.FAILED, failed_at=now, failure_reason=reason[:255], updated_at=now
    )
    logger.warning("A digest of %d item(s) failed for good: %s.", count, reason)


# --- The inbox, preferences and devices (the API) ----------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read; reading it again keeps the first time."""
    if notification.recipient_id != actor.pk:
        raise PermissionError("Not the recipient of this notification.")
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_preferences_update(
    *,
    actor: User,
    channels: dict[str, dict[str, bool]],
    email_digest: bool,
    source: str = "api",
    consent_versions: dict[str, str] | None = None,
) -> Preferences:
    """Replace the actor's choices: ``channels`` has every outside channel and every topic.

    Each outside channel is an optional processing (UU PDP): a channel whose topics change is
    recorded as a consent (``notifications_<channel>``: granted while any topic is on, with the
    topics as detail) against the version of the text shown (``consent_versions``; absent: the
    current one). An outdated version refuses the whole change with nothing written."""
    from accounts import consent

    with transaction.atomic():
        for channel in DELIVERY_CHANNELS:
            topics = channels[channel.value]
            digest = channel == Channel.EMAIL and email_digest
            ChannelPreference.objects.update_or_create(
                user=actor,
                channel=channel.value,
                defaults={
                    **{f"topic_{topic}": bool(value) for topic, value in topics.items()},
                    "is_digest": digest,
                },
            )
            chosen = sorted(topic for topic, value in topics.items() if value)
            purpose = f"notifications_{channel.value}"
            consent.consent_record(
                user=actor,
                purpose=purpose,
                granted=bool(chosen),
                source=source,
                version=(consent_versions or {}).get(purpose),
                detail=",".join(chosen + (["digest"] if digest and chosen else [])),
                only_if_changed=True,
            )
    return notification_preferences_for(user=actor)


def notification_channel_withdraw(*, actor: User, channel: str) -> None:
    """Turn off every topic of one outside channel (the consent to it was withdrawn)."""
    ChannelPreference.objects.filter(user=actor, channel=channel).update(
        topic_status=False,
        topic_payment=False,
        topic_reminder=False,
        topic_news=False,
        is_digest=False,
        updated_at=timezone.now(),
    )


def device_register(*, actor: User, platform: str, token: str) -> tuple[Device, bool]:
    """Register a push token for the actor; returns (device, created). The same token again is
    the same device; a token registered by someone else moves to the actor (the phone changed
    hands or accounts), under a new uuid."""
    now = timezone.now()
    with transaction.atomic():
        device = Device.objects.select_for_update().filter(token=token).first()
        if device is None:
            try:
                with transaction.atomic():
                    device = Device.objects.create(
                        user=actor, platform=platform, token=token, created_at=now,
                        registered_at=now,
                    )  # fmt: skip
                return device, True
            except IntegrityError:
                device = Device.objects.select_for_update().get(token=token)
        fields = ["platform", "registered_at"]
        if device.user_id != actor.pk:
            device.user, device.uuid = actor, uuid.uuid4()
            fields += ["user", "uuid"]
        device.platform, device.registered_at = platform, now
        device.save(update_fields=fields)
    return device, False


def device_remove(*, actor: User, device: Device) -> None:
    if device.user_id != actor.pk:
        raise PermissionError("Not the owner of this device.")
    device.delete()

"""Writes of the WhatsApp channel: verifying and storing deliveries, queueing replies, sending.

Flow: the webhook view checks the signature over the raw body and calls :func:`deliveries_store`,
which writes each new inbound message (``received``) and each status receipt, then queues
:func:`channels.tasks.process_inbound` after commit. The task runs the conversation
(:mod:`channels.whatsapp.conversation`), whose replies are outbound messages sent by
:func:`channels.tasks.send_outbound`. A message id seen before is skipped (Meta retries).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.identifiers import normalize_phone
from channels.models import Conversation, Message
from channels.whatsapp.client import get_client
from services.notifications.backends import BackendError, DeliveryRejected
from services.notifications.models import Channel as NotificationChannel
from services.notifications.services import delivery_mark_delivered

logger = logging.getLogger(__name__)

STATUS_ORDER = {"sent": 1, "delivered": 2, "read": 3}


class PayloadInvalid(ValueError):
    """The body is not a WhatsApp webhook payload."""


def signature_valid(*, body: bytes, header: str | None) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``, compared in
    constant time. No secret configured: nothing is valid."""
    secret = settings.WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


def verify_token_valid(*, mode: str | None, token: str | None) -> bool:
    expected = settings.WHATSAPP_VERIFY_TOKEN
    return bool(expected and mode == "subscribe" and token and hmac.compare_digest(token, expected))


def phone_from_wa_id(wa_id: str) -> str:
    """``6281234567890`` → ``+6281234567890`` (E.164), or ``""`` when it is not a number."""
    try:
        return normalize_phone(f"+{wa_id}")
    except Exception:  # ValidationError; an odd id is just not linkable
        return ""


def _changes(payload) -> list[dict]:
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        raise PayloadInvalid("not a WhatsApp Business Account payload")
    values = []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            if (change or {}).get("field") == "messages" and isinstance(change.get("value"), dict):
                values.append(change["value"])
    return values


def _text_of(message: dict) -> str:
    kind = message.get("type")
    if kind == "text":
        return str((message.get("text") or {}).get("body", ""))
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("id") or reply.get("title") or "")
    if kind == "button":
        return str((message.get("button") or {}).get("text", ""))
    if kind == "image":
        return str((message.get("image") or {}).get("caption", ""))
    if kind == "location":
        location = message.get("location") or {}
        return str(location.get("name") or location.get("address") or "")
    return ""


def deliveries_store(*, payload) -> dict[str, int]:
    """Store every new inbound message and status receipt of one webhook payload; queue the
    processing of the new messages after commit. Returns counts (new, duplicates, statuses)."""
    counts = {"new": 0, "duplicates": 0, "statuses": 0}
    new_ids: list[int] = []
    with transaction.atomic():
        for value in _changes(payload):
            names = {
                str(c.get("wa_id")): str((c.get("profile") or {}).get("name", ""))
                for c in value.get("contacts") or []
                if isinstance(c, dict)
            }
            for message in value.get("messages") or []:
                stored = _message_store(message, names)
                if stored is None:
                    counts["duplicates"] += 1
                else:
                    counts["new"] += 1
                    new_ids.append(stored.pk)
            for receipt in value.get("statuses") or []:
                counts["statuses"] += _status_record(receipt)
        if new_ids:
            transaction.on_commit(partial(_queue_processing, new_ids))
    return counts


def _message_store(message: dict, names: dict[str, str]) -> Message | None:
    if not isinstance(message, dict):
        raise PayloadInvalid("a message is not an object")
    wamid, wa_id = str(message.get("id") or ""), str(message.get("from") or "")
    if not wamid or not wa_id.isdigit():
        raise PayloadInvalid("a message has no id or sender")
    if Message.objects.filter(wamid=wamid).exists():
        return None
    phone = phone_from_wa_id(wa_id)
    if not phone:
        raise PayloadInvalid("the sender is not a phone number")
    conversation = conversation_for(phone=phone, wa_id=wa_id, profile_name=names.get(wa_id, ""))
    try:
        with transaction.atomic():
            return Message.objects.create(
                conversation=conversation,
                direction=Message.Direction.INBOUND,
                wamid=wamid,
                kind=str(message.get("type") or "unknown")[:20],
                text=_text_of(message)[:4096],
                payload=message,
                status=Message.Status.RECEIVED,
            )
    except IntegrityError:  # the same id stored by a concurrent delivery
        return None


def conversation_for(*, phone: str, wa_id: str = "", profile_name: str = "") -> Conversation:
    conversation, created = Conversation.objects.get_or_create(
        phone=phone, defaults={"wa_id": wa_id or phone.lstrip("+"), "profile_name": profile_name}
    )
    if not created and profile_name and conversation.profile_name != profile_name:
        conversation.profile_name = profile_name[:150]
        conversation.save(update_fields=["profile_name"])
    return conversation


def _status_record(receipt: dict) -> int:
    """A receipt for an outbound message: move its status forward (order is not guaranteed, so
    never backwards), and tell the notification kit when a notification arrived."""
    if not isinstance(receipt, dict):
        return 0
    wamid, status = str(receipt.get("id") or ""), str(receipt.get("status") or "")
    if not wamid:
        return 0
    message = Message.objects.filter(wamid=wamid, direction=Message.Direction.OUTBOUND).first()
    if status == "failed":
        if message is not None and message.status != Message.Status.FAILED:
            errors = receipt.get("errors") or [{}]
            message.status = Message.Status.FAILED
            message.failure_reason = f"WhatsApp: code {errors[0].get('code', '?')}"[:255]
            message.save(update_fields=["status", "failure_reason"])
        return 1
    if status not in STATUS_ORDER:
        return 0
    if message is not None and STATUS_ORDER[status] > STATUS_ORDER.get(message.status, 0):
        message.status = status
        message.save(update_fields=["status"])
    if status in ("delivered", "read"):
        at = _timestamp(receipt.get("timestamp"))
        delivery_mark_delivered(
            channel=NotificationChannel.WHATSAPP, provider_message_id=wamid, at=at
        )
    return 1


def _timestamp(value) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def _queue_processing(message_ids: list[int]) -> None:
    from channels.tasks import process_inbound

    for message_id in message_ids:
        try:
            process_inbound.delay(message_id)
        except Exception as exc:  # a broker down: the sweeper picks it up later
            logger.error(
                "WhatsApp message %s could not be queued (%s).", message_id, type(exc).__name__
            )


# --- outbound -----------------------------------------------------------------------------------


def reply_queue(*, conversation: Conversation, text: str, sent_by=None, complaint=None) -> Message:
    """Store a reply and send it after commit. Outside the 24-hour window (a staff reply days
    later) it goes as the ``staff_reply`` template."""
    template = ""
    if not conversation.window_open():
        template = f"{settings.WHATSAPP_TEMPLATE_PREFIX}staff_reply"
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        kind="template" if template else "text",
        text=text[:4096],
        template=template,
        status=Message.Status.QUEUED,
        sent_by=sent_by,
        complaint=complaint,
    )
    transaction.on_commit(partial(_queue_sending, message.pk))
    return message


def _queue_sending(message_id: int) -> None:
    from channels.tasks import send_outbound

    try:
        send_outbound.delay(message_id)
    except Exception as exc:  # eager retries exhausted or broker down
        logger.error("WhatsApp reply %s not sent now (%s).", message_id, type(exc).__name__)


class SendLater(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def outbound_send(*, message_id: int, is_last_attempt: bool) -> str:
    """Send one queued reply: "sent", "failed", "skipped", or :class:`SendLater` when the
    provider may take it later. Claimed by one conditional UPDATE, so it is sent once."""
    now = timezone.now()
    from django.db.models import F

    claimed = Message.objects.filter(
        pk=message_id, direction=Message.Direction.OUTBOUND, status=Message.Status.QUEUED
    ).update(attempts=F("attempts") + 1, status=Message.Status.SENT, processed_at=now)
    if not claimed:
        return "skipped"
    message = Message.objects.select_related("conversation").get(pk=message_id)
    conversation = message.conversation
    client = get_client()
    try:
        if message.template:
            provider_id = client.send_template(
                to=conversation.phone,
                name=message.template,
                language=conversation.language,
                parameters=[message.text],
            )
        else:
            provider_id = client.send_text(to=conversation.phone, text=message.text)
    except DeliveryRejected as exc:
        _outbound_fail(message, exc.reason)
        return "failed"
    except BackendError as exc:
        if is_last_attempt:
            _outbound_fail(message, exc.reason)
            return "failed"
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.QUEUED, failure_reason=exc.reason, processed_at=None
        )
        raise SendLater(exc.reason) from exc
    except Exception as exc:  # never crash the worker on a provider surprise
        _outbound_fail(message, f"unexpected error ({type(exc).__name__})")
        return "failed"
    try:
        with transaction.atomic():
            Message.objects.filter(pk=message.pk).update(wamid=provider_id or None)
    except IntegrityError:
        logger.warning("WhatsApp returned an id already stored for reply %s.", message.pk)
    return "sent"


def _outbound_fail(message: Message, reason: str) -> None:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED, failure_reason=reason[:255]
    )
    logger.warning("WhatsApp reply %s failed: %s.", message.pk, reason)


def staff_reply(*, actor, conversation: Conversation, text: str, complaint=None) -> Message:
    """A staff member answers in the conversation (from the admin)."""
    text = (text or "").strip()
    if not text:
        raise ValueError("empty reply")
    with transaction.atomic():
        return reply_queue(conversation=conversation, text=text, sent_by=actor, complaint=complaint)


def _pending_ids(*, direction: str, status: str, grace_seconds: int) -> list[int]:
    before = timezone.now() - dt.timedelta(seconds=grace_seconds)
    return list(
        Message.objects.filter(direction=direction, status=status, created_at__lt=before)
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:500]
    )


def inbound_pending_ids(*, grace_seconds: int = 120) -> list[int]:
    """Stored messages not processed within ``grace_seconds`` (their task was lost)."""
    return _pending_ids(
        direction=Message.Direction.INBOUND,
        status=Message.Status.RECEIVED,
        grace_seconds=grace_seconds,
    )


def outbound_pending_ids(*, grace_seconds: int = 300) -> list[int]:
    """Queued replies whose send task was lost or whose eager retry could not wait."""
    return _pending_ids(
        direction=Message.Direction.OUTBOUND,
        status=Message.Status.QUEUED,
        grace_seconds=grace_seconds,
    )

"""Senders per channel, chosen by ``settings.NOTIFICATION_BACKENDS`` (channel → dotted path).

A backend gets an :class:`OutgoingMessage` and either returns a :class:`SendResult` or raises:

* :class:`BackendError` — it may work later (timeout, 5xx, rate limit): the task retries with
  exponential backoff and marks the delivery failed after the last attempt;
* :class:`DeliveryRejected` — it will never work (no such number, the person blocked us): the
  delivery is marked failed at once.

The ``reason`` of both is shown to staff and written to the log: a short phrase or a provider's
error code, never the address or the text of the message.

The WhatsApp Cloud API client (a later issue) must send a pre-approved template: it maps
``message.event`` and ``message.language`` to a template name and passes ``message.text`` as its
parameter, uses ``message.idempotency_key`` if the provider supports one, and reports delivery
receipts to :func:`services.notifications.services.delivery_mark_delivered` from its webhook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from services import sms


class BackendError(Exception):
    """Sending failed and may succeed if tried again later."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:255]


class DeliveryRejected(Exception):
    """Sending can never succeed; do not retry."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:255]


@dataclass(frozen=True)
class PushTarget:
    platform: str
    token: str


@dataclass(frozen=True)
class OutgoingMessage:
    channel: str
    #: The email address, the phone number (E.164), or "" for push (see ``devices``).
    to: str
    language: str
    event: str
    title: str
    #: The email body; for SMS, WhatsApp and push the short text.
    text: str
    link: str = ""
    devices: tuple[PushTarget, ...] = ()
    #: The delivery's uuid: stable across retries, for providers that de-duplicate.
    idempotency_key: str = ""


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str = ""
    #: The provider confirmed delivery to the person already (most only confirm later).
    is_delivered: bool = False
    #: Push tokens the provider reported as gone; their devices are removed.
    invalid_tokens: tuple[str, ...] = field(default_factory=tuple)


class BaseBackend:
    def send(self, message: OutgoingMessage) -> SendResult:
        raise NotImplementedError


def get_backend(channel: str) -> BaseBackend:
    try:
        path = settings.NOTIFICATION_BACKENDS[channel]
    except KeyError:
        raise ImproperlyConfigured(
            f"NOTIFICATION_BACKENDS has no backend for {channel!r}."
        ) from None
    return _load(path)


@lru_cache(maxsize=16)
def _load(path: str) -> BaseBackend:
    backend = import_string(path)()
    if not isinstance(backend, BaseBackend):
        raise ImproperlyConfigured(f"{path} is not a notification backend.")
    return backend


# --- Email and SMS: the project's own senders ---------------------------------------------------


class EmailBackend(BaseBackend):
    """Sends through Django's mail (``EMAIL_URL``)."""

    def send(self, message: OutgoingMessage) -> SendResult:
        body = f"{message.text}\n\n{message.link}\n" if message.link else message.text
        email = EmailMessage(
            subject=message.title,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers={"X-Notification-Id": message.idempotency_key},
        )
        try:
            email.send()
        except (OSError, ConnectionError) as exc:  # smtplib.SMTPException is an OSError
            raise BackendError(f"mail server: {type(exc).__name__}") from exc
        return SendResult()


class SMSBackend(BaseBackend):
    """Sends through :func:`services.sms.send_sms` (``SMS_BACKEND``)."""

    def send(self, message: OutgoingMessage) -> SendResult:
        try:
            sms.send_sms(to=message.to, body=message.text)
        except Exception as exc:  # the gateway's errors are its own; all of them may pass
            raise BackendError(f"SMS gateway: {type(exc).__name__}") from exc
        return SendResult()


# --- WhatsApp and push: console now, the providers' clients later -------------------------------


class ConsoleWhatsAppBackend(BaseBackend):
    """Prints the message to stdout (never to the log: the number is personal data)."""

    def send(self, message: OutgoingMessage) -> SendResult:
        print(
            f"--- WhatsApp to {message.to} ({message.event}) ---\n{message.text}\n---", flush=True
        )
        return SendResult()


class ConsolePushBackend(BaseBackend):
    def send(self, message: OutgoingMessage) -> SendResult:
        platforms = ", ".join(device.platform for device in message.devices)
        print(f"--- Push to {len(message.devices)} device(s) ({platforms}) ---", flush=True)
        print(f"{message.title}\n{message.text}\n---", flush=True)
        return SendResult()


#: Messages "sent" by :class:`LocmemBackend`, like ``django.core.mail.outbox``.
outbox: list[OutgoingMessage] = []


class LocmemBackend(BaseBackend):
    """For tests: keeps every message in :data:`outbox`, for any channel."""

    def send(self, message: OutgoingMessage) -> SendResult:
        outbox.append(message)
        return SendResult(provider_message_id=f"locmem-{len(outbox)}")

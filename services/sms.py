"""Pluggable SMS senders. The embedded default prints; tests use the in-memory outbox."""

import logging
from functools import lru_cache

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: Messages "sent" by :class:`LocmemSMSBackend`, like ``django.core.mail.outbox``.
outbox: list[dict[str, str]] = []


class BaseSMSBackend:
    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(BaseSMSBackend):
    """Prints the message to stdout (never to the log: the number and code are personal)."""

    def send(self, *, to: str, body: str) -> None:
        print(f"--- SMS to {to} ---\n{body}\n---", flush=True)


class LocmemSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> None:
        outbox.append({"to": to, "body": body})


@lru_cache(maxsize=4)
def _backend(path: str) -> BaseSMSBackend:
    return import_string(path)()


def send_sms(*, to: str, body: str) -> None:
    _backend(settings.SMS_BACKEND).send(to=to, body=body)

"""Senders of WhatsApp messages: the Cloud API client (httpx) and the console stand-in.

``WHATSAPP_CLIENT`` picks one (dotted path; the console by default). Both answer the same three
calls. Failures are reported with the notification kit's two exceptions, so the same client
serves the conversation's replies and the notification backend:

* :class:`~services.notifications.backends.BackendError` — may pass (timeouts, 5xx, 429 after
  the client's own short retries): the caller retries later with backoff;
* :class:`~services.notifications.backends.DeliveryRejected` — will not pass (a 4xx such as an
  unknown template or a number without WhatsApp).

Reasons carry the HTTP status and Meta's error code, never the number or the text.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from services.notifications.backends import BackendError, DeliveryRejected

logger = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Media:
    content: bytes
    mime_type: str


class MediaUnavailable(Exception):
    """The photo cannot be fetched (console mode, expired id, provider error)."""


def to_digits(phone: str) -> str:
    """E.164 ``+6281…`` → the digits the Cloud API takes (``6281…``)."""
    return "".join(ch for ch in phone if ch.isdigit())


class BaseClient:
    def send_text(self, *, to: str, text: str) -> str:
        """Send a free-form text (inside the 24-hour window); returns the provider's id."""
        raise NotImplementedError

    def send_template(self, *, to: str, name: str, language: str, parameters: list[str]) -> str:
        """Send a pre-approved template (outside the window); returns the provider's id."""
        raise NotImplementedError

    def download_media(self, *, media_id: str) -> Media:
        raise NotImplementedError


class ConsoleClient(BaseClient):
    """Prints to stdout (never to the log: the number is personal data). It cannot fetch photos."""

    counter = 0

    def _id(self) -> str:
        ConsoleClient.counter += 1
        return f"console-{ConsoleClient.counter}"

    def send_text(self, *, to: str, text: str) -> str:
        print(f"--- WhatsApp to {to} ---\n{text}\n---", flush=True)
        return self._id()

    def send_template(self, *, to: str, name: str, language: str, parameters: list[str]) -> str:
        print(f"--- WhatsApp template {name} ({language}) to {to} ---", flush=True)
        print("\n".join(parameters) + "\n---", flush=True)
        return self._id()

    def download_media(self, *, media_id: str) -> Media:
        raise MediaUnavailable("the console client cannot download media")


class CloudAPIClient(BaseClient):
    """Meta's WhatsApp Business Cloud API (``graph.facebook.com/<version>/<phone id>/messages``).

    A 429 or 5xx answer, a timeout or a broken connection is tried again up to
    ``WHATSAPP_HTTP_RETRIES`` times, waiting ``WHATSAPP_HTTP_BACKOFF`` seconds doubled each time
    (or the ``Retry-After`` the provider asks for, up to ``WHATSAPP_HTTP_BACKOFF_MAX``); then
    :class:`BackendError` hands the message back to the task queue's slower retries."""

    def __init__(self, transport: httpx.BaseTransport | None = None, sleep=time.sleep):
        self.base_url = settings.WHATSAPP_API_BASE_URL.rstrip("/")
        self.version = settings.WHATSAPP_API_VERSION
        self.phone_number_id = settings.WHATSAPP_PHONE_NUMBER_ID
        self.token = settings.WHATSAPP_ACCESS_TOKEN
        self.retries = settings.WHATSAPP_HTTP_RETRIES
        self.backoff = settings.WHATSAPP_HTTP_BACKOFF
        self.backoff_max = settings.WHATSAPP_HTTP_BACKOFF_MAX
        self.sleep = sleep
        self.http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(settings.WHATSAPP_HTTP_TIMEOUT),
            headers={"Authorization": f"Bearer {self.token}"},
        )

    # --- the calls

    def send_text(self, *, to: str, text: str) -> str:
        return self._send(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to_digits(to),
                "type": "text",
                "text": {"preview_url": False, "body": text[:4096]},
            }
        )

    def send_template(self, *, to: str, name: str, language: str, parameters: list[str]) -> str:
        template = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": p[:1024]} for p in parameters],
                }
            ]
        return self._send(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to_digits(to),
                "type": "template",
                "template": template,
            }
        )

    def download_media(self, *, media_id: str) -> Media:
        try:
            info = self._request("GET", f"{self.base_url}/{self.version}/{media_id}").json()
            url, mime_type = info["url"], info.get("mime_type", "")
            response = self._request("GET", url)
        except (BackendError, DeliveryRejected, KeyError, ValueError) as exc:
            raise MediaUnavailable(getattr(exc, "reason", type(exc).__name__)) from exc
        max_size = settings.UPLOAD_MAX_SIZE
        if len(response.content) > max_size:
            raise MediaUnavailable("media larger than UPLOAD_MAX_SIZE")
        return Media(content=response.content, mime_type=mime_type or "")

    # --- plumbing

    def _send(self, body: dict) -> str:
        url = f"{self.base_url}/{self.version}/{self.phone_number_id}/messages"
        response = self._request("POST", url, json=body)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError):
            raise BackendError("WhatsApp: unreadable answer") from None

    def _request(self, method: str, url: str, **kwargs) -> httpx.Response:
        attempt = 0
        while True:
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                reason = f"WhatsApp: {type(exc).__name__}"
                retry_after = None
            else:
                if response.status_code < 300:
                    return response
                reason = _reason(response)
                if response.status_code not in RETRYABLE_STATUS:
                    raise DeliveryRejected(reason)
                retry_after = _retry_after(response)
            if attempt >= self.retries:
                raise BackendError(reason)
            delay = min(
                retry_after if retry_after is not None else self.backoff * 2**attempt,
                self.backoff_max,
            )
            logger.warning("WhatsApp call failed (%s); retrying in %.1f s.", reason, delay)
            self.sleep(delay)
            attempt += 1


def _reason(response: httpx.Response) -> str:
    code = ""
    try:
        error = response.json().get("error", {})
        code = f", code {error.get('code')}" if error.get("code") is not None else ""
    except (ValueError, AttributeError):
        pass
    return f"WhatsApp: HTTP {response.status_code}{code}"


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


@lru_cache(maxsize=4)
def _client_class(path: str):
    return import_string(path)


def get_client() -> BaseClient:
    return _client_class(settings.WHATSAPP_CLIENT)()

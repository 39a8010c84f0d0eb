"""Fixtures of the channels tests: the complaint seed (agencies, kelurahan, categories, the
approximate boundary), the test-vector WhatsApp secrets (test-vectors §9), and helpers that post
signed webhook deliveries."""

from __future__ import annotations

import pytest
from django.test import Client, TestCase

from channels.models import Conversation, Message
from channels.whatsapp import payloads
from tests.complaints.conftest import seed_all

APP_SECRET = "bpp-test-app-secret-0001"
VERIFY_TOKEN = "bpp-verify-token-0001"
WA_ID = "6281234567890"
PHONE = "+6281234567890"
WEBHOOK = "/webhooks/whatsapp"


@pytest.fixture(autouse=True)
def _whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    settings.WHATSAPP_CLIENT = "channels.whatsapp.client.ConsoleClient"
    settings.WHATSAPP_API_BASE_URL = "https://graph.facebook.com"
    settings.WHATSAPP_API_VERSION = "v21.0"
    settings.WHATSAPP_PHONE_NUMBER_ID = "106540352242922"
    settings.WHATSAPP_ACCESS_TOKEN = "test-token"
    settings.WHATSAPP_HTTP_RETRIES = 2
    settings.WHATSAPP_HTTP_BACKOFF = 1.0


@pytest.fixture
def seeded(db):
    seed_all()


def post_signed(payload: dict, *, secret: str = APP_SECRET, client: Client | None = None):
    body, signature = payloads.signed(payload, secret)
    return post_raw(body, signature, client=client)


def post_raw(body: bytes, signature: str | None, *, client: Client | None = None):
    """POST like Meta; after-commit work (the Celery task, eager in tests) runs at once."""
    headers = {"HTTP_X_HUB_SIGNATURE_256": signature} if signature is not None else {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or Client()).post(WEBHOOK, body, content_type="application/json", **headers)


class Citizen:
    """A WhatsApp user: sends messages through the signed webhook and reads the replies."""

    def __init__(self, wa_id: str = WA_ID, name: str = "Warga Uji"):
        self.wa_id = wa_id
        self.name = name
        self.count = 0

    def _send(self, message: dict):
        response = post_signed(payloads.envelope(wa_id=self.wa_id, message=message, name=self.name))
        assert response.status_code == 200, response.content
        return self.new_replies()

    def new_replies(self) -> list[str]:
        conversation = Conversation.objects.filter(wa_id=self.wa_id).first()
        if conversation is None:
            return []
        replies = list(
            Message.objects.filter(conversation=conversation, direction=Message.Direction.OUTBOUND)
            .order_by("id")
            .values_list("text", flat=True)
        )
        new, self.count = replies[self.count :], len(replies)
        return new

    def says(self, body: str) -> str:
        return "\n".join(self._send(payloads.text(self.wa_id, body)))

    def shares_location(self, latitude: float, longitude: float, name: str = "") -> str:
        return "\n".join(self._send(payloads.location(self.wa_id, latitude, longitude, name)))

    def sends_photo(self, media_id: str) -> str:
        return "\n".join(self._send(payloads.image(self.wa_id, media_id)))

    @property
    def conversation(self) -> Conversation:
        return Conversation.objects.get(wa_id=self.wa_id)


@pytest.fixture
def whatsapp_citizen(seeded):
    return Citizen()

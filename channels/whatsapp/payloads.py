"""Webhook payloads as Meta sends them (domain-facts §5), for the simulator and the tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

WABA_ID = "102290129340398"
METADATA = {"display_phone_number": "6281100000000", "phone_number_id": "106540352242922"}


def envelope(*, wa_id: str, message: dict, name: str = "Warga") -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": METADATA,
                            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                            "messages": [message],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def status_envelope(*, wamid: str, status: str, recipient: str) -> dict:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": WABA_ID,
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": METADATA,
                            "statuses": [
                                {
                                    "id": wamid,
                                    "status": status,
                                    "timestamp": str(int(time.time())),
                                    "recipient_id": recipient,
                                }
                            ],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def _base(wa_id: str, kind: str, wamid: str | None) -> dict:
    return {
        "from": wa_id,
        "id": wamid or f"wamid.SIM{uuid.uuid4().hex.upper()}",
        "timestamp": str(int(time.time())),
        "type": kind,
    }


def text(wa_id: str, body: str, wamid: str | None = None) -> dict:
    return {**_base(wa_id, "text", wamid), "text": {"body": body}}


def location(wa_id: str, latitude: float, longitude: float, name: str = "", wamid=None) -> dict:
    place = {"latitude": latitude, "longitude": longitude}
    if name:
        place["name"] = name
    return {**_base(wa_id, "location", wamid), "location": place}


def image(wa_id: str, media_id: str, caption: str = "", wamid: str | None = None) -> dict:
    picture = {"mime_type": "image/jpeg", "sha256": "0" * 64, "id": media_id}
    if caption:
        picture["caption"] = caption
    return {**_base(wa_id, "image", wamid), "image": picture}


def signed(payload: dict, secret: str) -> tuple[bytes, str]:
    """The body bytes and their ``X-Hub-Signature-256`` header value."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    return body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

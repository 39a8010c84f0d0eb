"""The check-in QR: a signed token naming the ticket, shown on the citizen's ticket and scanned at
the facility (a camera in the staff app, or a keyboard-wedge barcode scanner typing into the
counter's admin page).

The token is ``<ticket uuid hex>:<HMAC signature>`` (``django.core.signing`` with its own salt):
it cannot be forged or guessed from the ticket's number or code, and a token of one ticket never
checks in another. It carries no personal data.
"""

from __future__ import annotations

import uuid

import segno
from django.core import signing
from django.core.cache import cache

from health.exceptions import InvalidCheckInToken

SALT = "health.ticket.check-in"


def check_in_token(ticket) -> str:
    return signing.Signer(salt=SALT).sign(ticket.uuid.hex)


def check_in_token_ticket_uuid(token: str) -> uuid.UUID:
    """The ticket's uuid from a scanned token; ``InvalidCheckInToken`` (400) if it was not signed
    here. Scanners may add whitespace or a newline: it is stripped."""
    try:
        value = signing.Signer(salt=SALT).unsign((token or "").strip())
        return uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError) as exc:
        raise InvalidCheckInToken() from exc


def check_in_qr_data_uri(ticket) -> str:
    """The QR of the token as an SVG data URI (about 3 KB, no request of its own). Drawing it
    takes tens of milliseconds and the token never changes: it is cached for a day."""
    key = f"health:check-in-qr:{ticket.uuid.hex}"
    uri = cache.get(key)
    if uri is None:
        qr = segno.make(check_in_token(ticket), error="m", micro=False)
        uri = qr.svg_data_uri(scale=5, border=2, dark="#000", light="#fff")
        cache.set(key, uri, 24 * 3600)
    return uri

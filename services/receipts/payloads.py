"""The exact texts that are signed, and the public URL a receipt's QR code carries."""

from __future__ import annotations

import datetime as dt
import secrets
from base64 import b32encode

from django.conf import settings
from django.urls import reverse

from services.receipts.models import Receipt
from services.receipts.signing import canonical_json

PAYLOAD_VERSION = 1
CODE_BYTES = 10  # 80 random bits, 16 base32 characters
CODE_LENGTH = 16
SHORT_SIGNATURE_LENGTH = 16  # 96 bits of the signature, in the QR code's URL


# Base32 has no 0, 1 or 8: a person who types one meant O, I or B.
_MISREAD = str.maketrans("018", "OIB")


def new_code() -> str:
    """A random public code: 16 characters of A–Z and 2–7 (base32: URL-safe, case-free)."""
    return b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, without spaces or hyphens, 0/1/8 read as
    O/I/B."""
    return "".join(text.split()).replace("-", "").upper().translate(_MISREAD)


def format_code(code: str) -> str:
    """``ABCD-EFGH-IJKL-MNOP``: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _utc(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def issuance_payload(receipt: Receipt) -> str:
    """The public facts of the receipt as issued, in canonical JSON. Nothing personal but the
    masked name."""
    return canonical_json(
        {
            "v": PAYLOAD_VERSION,
            "code": receipt.code,
            "kind": receipt.kind,
            "issuer": receipt.issuer.code,
            "tracking_number": receipt.tracking_number,
            "title": receipt.title,
            "issued_at": _utc(receipt.issued_at),
            "masked_name": receipt.masked_name,
        }
    )


def revocation_payload(receipt: Receipt) -> str:
    return canonical_json(
        {
            "v": PAYLOAD_VERSION,
            "code": receipt.code,
            "status": Receipt.Status.REVOKED.value,
            "revoked_at": _utc(receipt.revoked_at),
        }
    )


def short_signature(receipt: Receipt) -> str:
    return receipt.signature[:SHORT_SIGNATURE_LENGTH]


def verification_path(receipt: Receipt) -> str:
    return f"{reverse('portal:receipt_verify', args=[receipt.code])}?s={short_signature(receipt)}"


def verification_url(receipt: Receipt) -> str:
    """What the QR code encodes: the public verification page, with the code and the first
    characters of the signature so that a forged or swapped QR code is noticed."""
    return settings.PORTAL_BASE_URL.rstrip("/") + verification_path(receipt)


def mask_name(name: str) -> str:
    """``"Siti Rahmawati"`` → ``"Si*** Ra***"``: two letters of each word (one of a word of two
    letters or fewer), never the rest."""
    words = name.split()
    return " ".join((word[:2] if len(word) > 2 else word[:1]) + "***" for word in words)[:100]

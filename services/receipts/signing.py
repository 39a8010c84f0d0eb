"""Ed25519 signatures over receipts' canonical payloads.

The private key is ``settings.RECEIPT_SIGNING_KEY`` (PEM, PKCS#8). Public keys that signed earlier
receipts stay accepted through ``settings.RECEIPT_RETIRED_PUBLIC_KEYS`` (PEM blocks, one after the
other), so that a key can be rotated without invalidating receipts people already hold. A key is
named by its ``key_id``: the first 16 hex digits of the SHA-256 of its raw 32-byte public key.

A payload is canonical JSON: keys sorted, no spaces, UTF-8 — the same fields always give the same
bytes, so anyone with the public key (``GET /api/v1/receipts/keys/``) can check a signature.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.conf import settings

ALGORITHM = "Ed25519"
_PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.DOTALL)


def canonical_json(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=8)
def _private_key(pem: str) -> ed25519.Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise TypeError("RECEIPT_SIGNING_KEY is not an Ed25519 private key.")
    return key


def _raw(public_key: ed25519.Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_key: ed25519.Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public_key)).hexdigest()[:16]


def public_key_pem(public_key: ed25519.Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def signing_key() -> ed25519.Ed25519PrivateKey:
    return _private_key(settings.RECEIPT_SIGNING_KEY)


def current_key_id() -> str:
    return key_id(signing_key().public_key())


@lru_cache(maxsize=8)
def _retired_keys(pems: str) -> tuple[ed25519.Ed25519PublicKey, ...]:
    keys = []
    for block in _PEM_BLOCK.findall(pems):
        key = serialization.load_pem_public_key(block.encode("ascii"))
        if not isinstance(key, ed25519.Ed25519PublicKey):
            raise TypeError("RECEIPT_RETIRED_PUBLIC_KEYS holds a key that is not Ed25519.")
        keys.append(key)
    return tuple(keys)


def public_keys() -> dict[str, ed25519.Ed25519PublicKey]:
    """Every key a receipt may have been signed with, by key id; the current one first."""
    current = signing_key().public_key()
    keys = {key_id(current): current}
    for key in _retired_keys(settings.RECEIPT_RETIRED_PUBLIC_KEYS):
        keys.setdefault(key_id(key), key)
    return keys


def sign(payload: str) -> tuple[str, str]:
    """``(signature, key_id)``: the base64url Ed25519 signature of ``payload``'s UTF-8 bytes."""
    key = signing_key()
    return b64url(key.sign(payload.encode("utf-8"))), key_id(key.public_key())


def verify(payload: str, signature: str, signed_by: str) -> bool:
    """Whether ``signature`` is a valid signature of ``payload`` by the key ``signed_by``."""
    key = public_keys().get(signed_by)
    if key is None or not signature:
        return False
    try:
        key.verify(b64url_decode(signature), payload.encode("utf-8"))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True

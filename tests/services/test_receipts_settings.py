"""The receipt signing key: required in production, generated once in development, checked."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from services.receipts.apps import check_signing_keys
from services.receipts.devkey import dev_receipt_signing_key

ROOT = Path(__file__).resolve().parents[2]


def _pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    prefixes = ("DJANGO_", "NIK_", "IDP_", "RECEIPT_")
    base = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _production_env() -> dict[str, str]:
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zq8#vB2$mN5@xR7!pL3^wT9&hJ4*cF6(gD1)" + "s" * 10,
        "DJANGO_ALLOWED_HOSTS": "warga.balikpapan.go.id",
        "NIK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NIK_HASH_KEY": "a-long-random-hash-key-for-nik-digests-0123456789",
        "IDP_OIDC_PRIVATE_KEY": _pem(
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ),
        "RECEIPT_SIGNING_KEY": _pem(ed25519.Ed25519PrivateKey.generate()),
    }


def test_debug_off_starts_with_a_receipt_signing_key():
    result = _manage("check", **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_refuses_to_start_without_a_receipt_signing_key():
    env = _production_env()
    del env["RECEIPT_SIGNING_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "RECEIPT_SIGNING_KEY must be set when DEBUG is off." in result.stderr


def test_a_key_that_is_not_ed25519_fails_the_system_check(settings):
    settings.RECEIPT_SIGNING_KEY = _pem(
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    (error,) = check_signing_keys()
    assert (error.id, error.msg) == (
        "receipts.E001",
        "Receipt signing keys are unusable: RECEIPT_SIGNING_KEY is not an Ed25519 private key.",
    )
    settings.RECEIPT_SIGNING_KEY = _pem(ed25519.Ed25519PrivateKey.generate())
    assert check_signing_keys() == []


def test_the_development_key_is_made_once_and_private(tmp_path):
    var = tmp_path / "var"
    first = dev_receipt_signing_key(var)
    path = var / "dev-receipt-key.pem"

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert dev_receipt_signing_key(var) == first
    key = serialization.load_pem_private_key(first.encode(), password=None)
    assert isinstance(key, ed25519.Ed25519PrivateKey)

"""Production settings: refuse weak secrets, pass Django's deployment checklist."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "NIK_", "IDP_", "RECEIPT_"))
    }
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
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    from cryptography.hazmat.primitives.asymmetric import ed25519

    receipt_key = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    return {
        "RECEIPT_SIGNING_KEY": receipt_key,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "k" * 20 + "Zq8#vB2$mN5@xR7!pL3^wT9&hJ4*cF6(gD1)" + "s" * 10,
        "DJANGO_ALLOWED_HOSTS": "warga.balikpapan.go.id",
        "NIK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NIK_HASH_KEY": "a-long-random-hash-key-for-nik-digests-0123456789",
        "IDP_OIDC_PRIVATE_KEY": pem,
    }


def test_deploy_checklist_passes_with_debug_off_and_secrets_set():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("secret", ["", "dev-only-insecure-key-balikpapan-untuk-warga", "short"])
def test_debug_off_refuses_a_missing_or_default_secret_key(secret):
    env = {**_production_env(), "DJANGO_SECRET_KEY": secret}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_debug_off_refuses_missing_identifier_keys():
    env = _production_env()
    del env["NIK_HASH_KEY"]
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "NIK_HASH_KEY" in result.stderr


def test_no_model_changes_without_migrations():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr

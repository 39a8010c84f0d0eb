"""The development signing key for receipts, generated once under var/ (imported by settings).

Production passes ``RECEIPT_SIGNING_KEY`` through the environment; settings refuse to start
without it when DEBUG is off. This module must not import Django models.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519


def dev_receipt_signing_key(var_dir: Path) -> str:
    """Return the PEM of a development Ed25519 key for receipts, creating it once."""
    path = var_dir / "dev-receipt-key.pem"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        pem = ed25519.Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text()

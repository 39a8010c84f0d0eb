"""Keys that the embedded default (`make run`, tests) generates for itself under var/.

Production passes every key through the environment; settings refuse to start without them.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def dev_oidc_private_key(var_dir: Path) -> str:
    """Return the PEM of a development RSA key for the OIDC provider, creating it once."""
    path = var_dir / "dev-oidc-key.pem"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text()

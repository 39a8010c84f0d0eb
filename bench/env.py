"""The environment the benchmarked server runs with: production settings (``DEBUG`` off, real
secrets, Redis cache, PostgreSQL with persistent connections, a Celery broker), plus the few
benchmark switches.

The secrets are generated once and kept in ``var/bench/secrets.json`` (mode 0600): the seeded
data's sealed NIKs must stay readable across runs, so the keys cannot change between them. They
protect a throw-away benchmark database only.

``python bench/run.py --print-env`` prints this environment as shell ``export`` lines, so that a
server started elsewhere (``make cluster``) answers the benchmark's signed webhooks and takes its
load without throttling it away.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/buw_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"

# The signing secrets of the two webhooks: the benchmark signs its deliveries with them.
SANDBOX_KEY = "bench-sandbox-key-not-a-secret"
WHATSAPP_SECRET = "bench-whatsapp-app-secret-not-a-secret"

# The load comes from one machine and a few citizens, so the per-IP and per-user limits are
# raised out of the way; the throttles themselves still run (their cache round trips are part of
# the cost). The rates are per second on purpose: DRF keeps, per client, the timestamps of its
# requests within the rate's period, and a huge per-minute rate would make that list (read and
# written on every request) grow to every request of the last minute, a cost no real client
# causes. The requests also come from many addresses (X-Forwarded-For, one proxy in front as in a
# deployment), so each address's list stays as short as a real client's.
UNTHROTTLED = {
    "DJANGO_NUM_PROXIES": "1",
    "API_THROTTLE_ANON": "1000000/s",
    "API_THROTTLE_USER": "1000000/s",
    "API_THROTTLE_AUTH": "1000000/s",
    "API_THROTTLE_LOOKUP": "1000000/s",
    "API_THROTTLE_UPLOAD": "1000000/s",
    "API_THROTTLE_COMPLAINT": "1000000/s",
    "OPEN311_READS_PER_MINUTE": "1000000",
    "WHATSAPP_LOOKUPS_PER_HOUR": "1000000",
    "UPLOAD_QUOTA_PER_DAY": "1000000",
    "UPLOAD_QUOTA_BYTES_PER_DAY": str(1 << 40),
}


def _secrets() -> dict[str, str]:
    path = VAR / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    pkcs8 = (serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8)
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "NIK_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "NIK_HASH_KEY": secrets.token_urlsafe(48),
        "IDP_OIDC_PRIVATE_KEY": rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(*pkcs8, serialization.NoEncryption())
        .decode(),
        "RECEIPT_SIGNING_KEY": ed25519.Ed25519PrivateKey.generate()
        .private_bytes(*pkcs8, serialization.NoEncryption())
        .decode(),
    }
    VAR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(values))
    tmp.chmod(0o600)
    tmp.replace(path)
    return values


def server_env(
    *, database_url: str = DEFAULT_DATABASE_URL, redis_url: str = DEFAULT_REDIS_URL
) -> dict[str, str]:
    """The variables (on top of the caller's environment) of every process of the run: the
    server, the Celery worker, and the fixture and seeding commands."""
    return {
        **_secrets(),
        "DJANGO_SETTINGS_MODULE": "balikpapan_untuk_warga.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain http on loopback: a TLS proxy would redirect in a deployment.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "300",
        "CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PAYMENTS_PROVIDER": "sandbox",
        "PAYMENTS_SANDBOX_KEY": SANDBOX_KEY,
        "WHATSAPP_APP_SECRET": WHATSAPP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify-token",
        "WHATSAPP_CLIENT": "channels.whatsapp.client.ConsoleClient",
        "PRIVATE_MEDIA_ROOT": str(VAR / "media"),
        **UNTHROTTLED,
    }


def shell_exports(env: dict[str, str]) -> str:
    import shlex

    return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items()))

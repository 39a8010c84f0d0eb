"""The demo agency application that logs in with the city account (``seed_demo`` calls this).

"Aplikasi OPD Demo" is a confidential OpenID Connect client with the fixed client ID
``demo-opd-app``, redirect URIs on port 8001 of this machine and the scopes
``openid profile email phone``.

The secret is stable: it is derived from ``SECRET_KEY`` (an HMAC), so every run prints the same
secret on one installation, the demo application can keep it in its configuration, and nothing
secret is written in the code. Only its hash is stored; a run re-hashes it only when the stored
hash does not match (e.g. after ``SECRET_KEY`` changed or someone generated a new secret in the
admin). Each run also resets the client's settings to the ones below.

PKCE: allauth's ``Client`` has no "PKCE required" switch — it requires PKCE of every *public*
client and, for a confidential client like this one, verifies ``code_verifier`` whenever the
authorization request carried a ``code_challenge`` (the demo application should always send one).
"""

from __future__ import annotations

from typing import TextIO

from allauth.idp.oidc.models import Client
from django.db import transaction
from django.utils.crypto import salted_hmac

DEMO_CLIENT_ID = "demo-opd-app"
DEMO_CLIENT_NAME = "Aplikasi OPD Demo"
DEMO_REDIRECT_URIS = ["http://127.0.0.1:8001/callback", "http://localhost:8001/callback"]
DEMO_SCOPES = ["openid", "profile", "email", "phone"]


def demo_client_secret() -> str:
    """The demo client's secret: the same on every run for a given ``SECRET_KEY``."""
    return salted_hmac(
        "accounts.oidc_demo.client_secret", DEMO_CLIENT_ID, algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def seed_demo_oidc_client(stdout: TextIO) -> Client:
    """Create or reset the demo OIDC client and print its ID, secret and endpoints."""
    secret = demo_client_secret()
    client = Client.objects.select_for_update().filter(id=DEMO_CLIENT_ID).first()
    created = client is None
    if created:
        client = Client(id=DEMO_CLIENT_ID)
    client.name = DEMO_CLIENT_NAME
    client.type = Client.Type.CONFIDENTIAL
    client.set_redirect_uris(DEMO_REDIRECT_URIS)
    client.set_scopes(DEMO_SCOPES)
    client.set_default_scopes(["openid"])
    client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
    client.set_response_types([Client.ResponseType.CODE])
    client.cors_origins = ""
    client.allow_uri_wildcards = False
    client.skip_consent = False
    if created or not client.check_secret(secret):
        client.set_secret(secret)
    client.full_clean()
    client.save()
    stdout.write(
        f"OIDC demo client {'created' if created else 'up to date'}: {DEMO_CLIENT_NAME}\n"
        f"  client_id:     {DEMO_CLIENT_ID}\n"
        f"  client_secret: {secret}  (stable for this SECRET_KEY)\n"
        f"  redirect URIs: {', '.join(DEMO_REDIRECT_URIS)}\n"
        f"  scopes:        {' '.join(DEMO_SCOPES)}  (use PKCE with S256)\n"
        f"  discovery:     /.well-known/openid-configuration\n"
    )
    return client

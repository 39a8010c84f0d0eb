"""The city identity as an OpenID Connect provider for agency applications outside this system."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from allauth.account.models import EmailAddress
from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

# The scopes an agency client may be allowed (Client.scopes) and the claims they release.
SUPPORTED_SCOPES = ("openid", "profile", "email", "phone")
SUPPORTED_CLAIMS = (
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "nonce",
    "name",
    "locale",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
)


class OIDCAdapter(DefaultOIDCAdapter):
    """``sub`` is the stable public ``uuid``, never the database id; the NIK is never a claim."""

    # What the consent screen says each scope releases (translated by the project's .po).
    scope_display = {
        "openid": _("Know who you are (an account number that is not your NIK)"),
        "profile": _("See your name and preferred language"),
        "email": _("See your email address"),
        "phone": _("See your phone number"),
    }

    def generate_client_secret(self) -> str:
        # URL-safe, so that it survives the form-encoding RFC 6749 §2.3.1 asks of HTTP Basic
        # client authentication (allauth's default alphabet has %, +, & …) and copy-paste.
        return secrets.token_urlsafe(48)

    def get_user_sub(self, client, user) -> str:
        return str(user.uuid)

    def get_user_by_sub(self, client, sub: str):
        user = get_user_model().objects.filter(uuid__iexact=sub).first() if _is_uuid(sub) else None
        return user if user and user.is_active else None

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs: Any) -> dict:
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if "email" in scopes and "email" not in claims and user.email:
            # Accounts made outside allauth (admin, createsuperuser) have no EmailAddress row:
            # release the login email, verified only if allauth has a verified record of it.
            claims.update(
                email=user.email,
                email_verified=EmailAddress.objects.filter(
                    user=user, email__iexact=user.email, verified=True
                ).exists(),
            )
        if "profile" in scopes:
            claims["locale"] = user.preferred_language
        if "phone" in scopes and user.phone:
            claims.update(phone_number=user.phone, phone_number_verified=user.phone_verified)
        return claims

    def populate_server_metadata(self, data: dict) -> None:
        data["scopes_supported"] = list(SUPPORTED_SCOPES)
        data["claims_supported"] = list(SUPPORTED_CLAIMS)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True

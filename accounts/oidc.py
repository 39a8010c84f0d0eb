"""The city identity as an OpenID Connect provider for agency applications outside this system."""

from __future__ import annotations

from typing import Any

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.contrib.auth import get_user_model


class OIDCAdapter(DefaultOIDCAdapter):
    """``sub`` is the stable public ``uuid``, never the database id; the NIK is never a claim."""

    def get_user_sub(self, client, user) -> str:
        return str(user.uuid)

    def get_user_by_sub(self, client, sub: str):
        user = get_user_model().objects.filter(uuid__iexact=sub).first() if _is_uuid(sub) else None
        return user if user and user.is_active else None

    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs: Any) -> dict:
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        if "profile" in scopes:
            claims["locale"] = user.preferred_language
        if "phone" in scopes and user.phone:
            claims.update(phone_number=user.phone, phone_number_verified=user.phone_verified)
        return claims


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True

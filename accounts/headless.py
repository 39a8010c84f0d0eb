"""allauth headless adapter: the user payload carries the public UUID, never the database id."""

from __future__ import annotations

import dataclasses
import uuid
from typing import Optional

from allauth.account.models import EmailAddress
from allauth.account.utils import user_display
from allauth.headless.adapter import DefaultHeadlessAdapter


class HeadlessAdapter(DefaultHeadlessAdapter):
    def get_user_dataclass(self):
        def field(name, typ, description, example):
            return (
                name,
                typ,
                dataclasses.field(metadata={"description": description, "example": example}),
            )

        return dataclasses.make_dataclass(
            "User",
            [
                field("id", Optional[str], "The user's public UUID.", str(uuid.uuid4())),  # noqa: UP045
                field("display", str, "The display name for the user.", "Siti Rahmawati"),
                field("email", Optional[str], "The email address.", "warga@example.org"),  # noqa: UP045
                field("phone", Optional[str], "The phone number (E.164).", "+6281234567890"),  # noqa: UP045
                field("has_usable_password", bool, "Whether the account has a password.", True),
            ],
        )

    def user_as_dataclass(self, user):
        email = EmailAddress.objects.get_primary_email(user) if user.pk else None
        return self.get_user_dataclass()(
            id=str(user.uuid) if user.pk else None,
            display=user_display(user),
            email=email or None,
            phone=user.phone or None,
            has_usable_password=user.has_usable_password(),
        )

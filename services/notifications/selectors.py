"""Reads on notifications, scoped to who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from services.notifications.models import (
    CHOOSABLE_TOPICS,
    DELIVERY_CHANNELS,
    ChannelPreference,
    Delivery,
    Device,
    Notification,
)

if TYPE_CHECKING:
    import uuid

    from accounts.models import User


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for(*, user: User, uuid: uuid.UUID) -> Notification | None:
    return Notification.objects.filter(recipient=user, uuid=uuid).first()


def notification_unread_count_for(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def device_get_for(*, user: User, uuid: uuid.UUID) -> Device | None:
    return Device.objects.filter(user=user, uuid=uuid).first()


def deliveries_for_object(obj) -> QuerySet[Delivery]:
    """Every delivery of every notification about ``obj``, newest first, for staff screens: each
    has ``.summary`` ("Delivered by WhatsApp at 09:12, 3 Mar 2026") and ``.notification``.

    The caller has already decided that its viewer may see ``obj``.
    """
    return (
        Delivery.objects.filter(
            notification__content_type=ContentType.objects.get_for_model(obj),
            notification__object_id=str(obj.pk),
        )
        .select_related("notification")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Preferences:
    """A person's channel × topic matrix; in-app is always on for every topic."""

    #: {"email": {"status": True, …}, "sms": {…}, …} for the outside channels.
    channels: dict[str, dict[str, bool]]
    email_digest: bool

    def allows(self, channel: str, topic: str) -> bool:
        return self.channels.get(channel, {}).get(topic, False)


def notification_preferences_for(*, user: User) -> Preferences:
    return _preferences({row.channel: row for row in ChannelPreference.objects.filter(user=user)})


def notification_preferences_for_many(*, users) -> dict[int, Preferences]:
    """``notification_preferences_for`` of each user (by id), in one query."""
    rows: dict[int, dict[str, ChannelPreference]] = {user.pk: {} for user in users}
    for row in ChannelPreference.objects.filter(user_id__in=list(rows)):
        rows[row.user_id][row.channel] = row
    return {user_id: _preferences(by_channel) for user_id, by_channel in rows.items()}


def _preferences(rows: dict[str, ChannelPreference]) -> Preferences:
    channels = {}
    for channel in DELIVERY_CHANNELS:
        row = rows.get(channel.value)
        channels[channel.value] = {
            topic.value: bool(row and row.allows(topic.value)) for topic in CHOOSABLE_TOPICS
        }
    email = rows.get("email")
    return Preferences(channels=channels, email_digest=bool(email and email.is_digest))

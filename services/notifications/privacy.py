"""What ``services.notifications`` holds about a person (see :mod:`privacy.registry`): the inbox,
channel choices and push devices. All of it goes on erasure (deliveries with their
notifications)."""

from privacy import registry
from privacy.helpers import rows
from services.notifications.models import ChannelPreference, Device, Notification


def export(user) -> dict:
    return {
        "inbox": rows(
            Notification.objects.filter(recipient=user).order_by("created_at"),
            ["uuid", "event", "topic", "title", "body", "created_at", "read_at"],
        ),
        "channel_preferences": rows(
            ChannelPreference.objects.filter(user=user),
            [
                "channel",
                "topic_status",
                "topic_payment",
                "topic_reminder",
                "topic_news",
                "is_digest",
                "updated_at",
            ],
        ),
        "devices": rows(Device.objects.filter(user=user), ["uuid", "platform", "created_at"]),
    }


def erase(user) -> dict[str, int]:
    return {
        "notifications": Notification.objects.filter(recipient=user).delete()[0],
        "preferences": ChannelPreference.objects.filter(user=user).delete()[0],
        "devices": Device.objects.filter(user=user).delete()[0],
    }


# After the modules: their erasure may notify (a cancelled ticket), and that goes too.
registry.register("notifications", export=export, erase=erase, order=800)

from functools import partial

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "services.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from accounts import consent

        for channel in ("email", "sms", "whatsapp", "push"):
            consent.register_handler(
                f"notifications_{channel}", apply=partial(_consent_changed, channel)
            )


def _consent_changed(channel: str, user, granted: bool, obj) -> None:
    """A notification consent changed through the consent endpoints: a withdrawal turns the
    channel off; a grant is made by choosing topics in the preferences, where they are chosen."""
    from accounts.consent import ConsentInvalid
    from services.notifications.services import notification_channel_withdraw

    if granted:
        raise ConsentInvalid(
            _("Choose the topics for this channel in your notification preferences."),
            code="consent_grant_elsewhere",
        )
    notification_channel_withdraw(actor=user, channel=channel)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    """Doors into the city's services from outside the app: WhatsApp (complaints and status
    look-ups for every module) and Open311 GeoReport v2 (complaints for partner applications).

    A separate app, not part of ``complaints``: the WhatsApp conversation also reads payments,
    health and civil registry, and complaints should not depend on every module."""

    name = "channels"
    label = "channels"
    verbose_name = _("Outside channels (WhatsApp, Open311)")

    def ready(self) -> None:
        from channels import signals  # noqa: F401 — connects the receivers

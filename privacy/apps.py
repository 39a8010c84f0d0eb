from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data (UU PDP)")

    def ready(self) -> None:
        # Every installed app (an agency package from outside the repository included) may ship a
        # ``privacy.py`` that registers what it holds about a person; importing it registers it.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("privacy")

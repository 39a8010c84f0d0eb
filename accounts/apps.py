from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and identity")

    def ready(self) -> None:
        from accounts import code_guard, schema  # noqa: F401  (schema registers the OpenAPI auth extension)

        code_guard.install()

        from accounts import mfa

        mfa.install()  # activating the authenticator app counts as the session's MFA step

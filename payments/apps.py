from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Taxes and levies")

    def ready(self) -> None:
        from services import registry

        registry.register(
            registry.ServiceModule(slug="pembayaran", name=self.verbose_name, agency_code="bppdrd")
        )

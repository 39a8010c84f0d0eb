from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Health queues")

    def ready(self) -> None:
        from services import registry

        registry.register(
            registry.ServiceModule(slug="kesehatan", name=self.verbose_name, agency_code="dkk")
        )

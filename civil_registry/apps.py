from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilRegistryConfig(AppConfig):
    name = "civil_registry"
    verbose_name = _("Civil registry (Pantai Balikpapan)")

    def ready(self) -> None:
        from services import registry

        registry.register(
            registry.ServiceModule(
                slug="pencatatan-sipil", name=self.verbose_name, agency_code="disdukcapil"
            )
        )

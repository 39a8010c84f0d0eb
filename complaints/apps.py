from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from services import registry

        registry.register(
            registry.ServiceModule(
                slug="pengaduan", name=self.verbose_name, agency_code="diskominfo"
            )
        )

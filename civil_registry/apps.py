from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilRegistryConfig(AppConfig):
    name = "civil_registry"
    verbose_name = _("Civil registry (Pantai Balikpapan)")

    def ready(self) -> None:
        from civil_registry.conformance import conformance_object
        from civil_registry.types import SERVICE_CODES
        from services import registry

        registry.register(
            registry.ServiceModule(
                slug="pencatatan-sipil",
                name=self.verbose_name,
                agency_code="disdukcapil",
                service_codes=SERVICE_CODES,
                api_urlconf="civil_registry.api.urls",
                portal_urlconf="civil_registry.portal.urls",
                description=_(
                    "Population documents of Disdukcapil: family card, birth and death "
                    "certificates, child ID card, moving letters and e-KTP reprints."
                ),
                app_label=self.label,
                version="1",
                check_config=check_config,
                conformance_object=conformance_object,
            )
        )


def check_config() -> list[str]:
    """Problems with this module's configuration: the agency and the national-system adapter."""
    from civil_registry.national import national_system
    from services.models import Agency

    problems = []
    if not Agency.objects.filter(code="disdukcapil", is_active=True).exists():
        problems.append("The handling agency 'disdukcapil' is not in the agency list.")
    try:
        problems += national_system().config_problems()
    except ImportError as exc:
        problems.append(f"CIVIL_REGISTRY_NATIONAL_ADAPTER cannot be imported: {exc}")
    return problems

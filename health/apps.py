from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = _("Health queues")

    def ready(self) -> None:
        from health.conformance import conformance_object
        from services import registry

        registry.register(
            registry.ServiceModule(
                slug="kesehatan",
                name=self.verbose_name,
                agency_code="dkk",
                service_codes=("antrean_puskesmas",),
                api_urlconf="health.api.urls",
                portal_urlconf="health.portal.urls",
                description="Queue tickets for puskesmas/RSUD polyclinics and MPP counters.",
                app_label=self.label,
                version="1",
                check_config=check_config,
                conformance_object=conformance_object,
            )
        )


def check_config() -> list[str]:
    """Problems with the module's configuration: the agency, the window, the schedules."""
    from django.conf import settings

    from health.models import Schedule
    from services.models import Agency

    problems = []
    if not Agency.objects.filter(code="dkk", is_active=True).exists():
        problems.append("The handling agency 'dkk' is not in the agency list.")
    if getattr(settings, "HEALTH_BOOKING_WINDOW_DAYS", 7) < 0:
        problems.append("HEALTH_BOOKING_WINDOW_DAYS must not be negative.")
    if not Schedule.objects.filter(is_active=True).exists():
        problems.append("No active weekly schedule: no session will be created.")
    return problems

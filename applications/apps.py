from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Online applications")

    def ready(self) -> None:
        from applications.conformance import conformance_object
        from applications.models import MODULE_SLUG
        from services import registry

        registry.register(
            registry.ServiceModule(
                slug=MODULE_SLUG,
                name=self.verbose_name,
                # Agency-independent: each form belongs to its catalog service's agency. The
                # module's own contact is the one-stop permit office that runs the MPP.
                agency_code="dpmptsp",
                service_codes=(),
                api_urlconf="applications.api.urls",
                portal_urlconf="applications.portal.urls",
                description=_(
                    "Apply online for any catalog service whose agency has published an "
                    "application form: fields, documents, decision and result."
                ),
                app_label=self.label,
                version="1",
                check_config=check_config,
                conformance_object=conformance_object,
            )
        )


def check_config() -> list[str]:
    """Problems with this module's configuration: the city's bounding box for map locations."""
    from django.conf import settings

    problems = []
    box = getattr(settings, "APPLICATIONS_CITY_BBOX", None)
    try:
        south, west, north, east = (float(v) for v in box)
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            problems.append("APPLICATIONS_CITY_BBOX must be south < north and west < east.")
    except (TypeError, ValueError):
        problems.append("APPLICATIONS_CITY_BBOX must be four numbers: south, west, north, east.")
    return problems

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from complaints.conformance import conformance_object
        from complaints.signals import user_saved
        from services import registry

        post_save.connect(
            user_saved, sender=get_user_model(), dispatch_uid="complaints.link_verified_phone"
        )
        from accounts import consent
        from complaints.signals import consent_photo_apply, consent_photo_resolve

        consent.register_handler(
            consent.Purpose.COMPLAINT_PUBLIC_PHOTO,
            resolve=consent_photo_resolve,
            apply=consent_photo_apply,
        )

        registry.register(
            registry.ServiceModule(
                slug="pengaduan",
                name=self.verbose_name,
                agency_code="diskominfo",
                service_codes=("pengaduan",),
                api_urlconf="complaints.api.urls",
                portal_urlconf="complaints.portal.urls",
                app_label=self.label,
                version="1",
                check_config=check_config,
                conformance_object=conformance_object,
            )
        )


def check_config() -> list[str]:
    """The command centre's agency, a city boundary and the categories must be loaded."""
    from complaints.models import Boundary, Category
    from services.models import Agency

    problems = []
    if not Agency.objects.filter(code="diskominfo", is_active=True).exists():
        problems.append("The command centre's agency 'diskominfo' is not in the agency list.")
    if not Boundary.objects.filter(is_active=True).exists():
        problems.append(
            "No city boundary is loaded: run `manage.py load_complaint_boundary <file.geojson>`."
        )
    if not Category.objects.filter(is_active=True).exists():
        problems.append("No complaint categories: run `manage.py seed_complaints`.")
    return problems

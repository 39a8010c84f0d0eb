from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Taxes and levies")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from accounts.models import AgencyMembership
        from payments.conformance import conformance_object
        from services import registry

        # Decoupling only: forget the cached "is BPPDRD staff" answer when a membership changes.
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_revenue_staff, sender=AgencyMembership, dispatch_uid=f"payments-{signal}"
            )

        registry.register(
            registry.ServiceModule(
                slug="pembayaran",
                name=self.verbose_name,
                agency_code="bppdrd",
                service_codes=("pbb", "retribusi"),
                api_urlconf="payments.api.urls",
                portal_urlconf="payments.portal.urls",
                description="PBB and retribusi bills, QRIS payments, gateway webhooks, receipts.",
                app_label=self.label,
                version="1",
                check_config=check_config,
                conformance_object=conformance_object,
            )
        )


def _forget_revenue_staff(sender, instance, **kwargs) -> None:
    from django.core.cache import cache

    from payments.selectors import revenue_staff_cache_key

    cache.delete(revenue_staff_cache_key(instance.user_id))


def check_config() -> list[str]:
    """The handling agency exists, the merchant data fits QRIS, the gateway has its keys."""
    from django.conf import settings

    from payments.providers import PROVIDERS, get_provider
    from services.models import Agency

    problems = []
    if not Agency.objects.filter(code="bppdrd", is_active=True).exists():
        problems.append("The handling agency 'bppdrd' is not in the agency list.")
    merchant = settings.PAYMENTS_MERCHANT
    if not 1 <= len(merchant["name"]) <= 25:
        problems.append("PAYMENTS_MERCHANT_NAME must be 1–25 characters.")
    if not 1 <= len(merchant["city"]) <= 15:
        problems.append("PAYMENTS_MERCHANT_CITY must be 1–15 characters.")
    if settings.PAYMENTS_PROVIDER not in PROVIDERS:
        problems.append(f"PAYMENTS_PROVIDER {settings.PAYMENTS_PROVIDER!r} is not known.")
    else:
        problems += get_provider().check_config()
    return problems

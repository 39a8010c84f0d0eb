from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "services.receipts"
    label = "receipts"
    verbose_name = _("Verifiable receipts")

    def ready(self) -> None:
        checks.register(check_signing_keys, checks.Tags.security)


def check_signing_keys(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``RECEIPT_SIGNING_KEY`` must be an Ed25519 private key, and the retired keys Ed25519
    public keys; otherwise the first receipt would fail, not the start-up."""
    from services.receipts import signing

    try:
        signing.public_keys()
    except (TypeError, ValueError) as exc:
        return [
            checks.Error(
                f"Receipt signing keys are unusable: {exc}",
                hint="Set RECEIPT_SIGNING_KEY to the PEM (PKCS#8) of an Ed25519 private key.",
                id="receipts.E001",
            )
        ]
    return []

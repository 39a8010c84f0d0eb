"""Error codes raised by ``services.receipts`` (rendered in the shared error shape).

====================  ====  ==================================================================
code                  HTTP  meaning
====================  ====  ==================================================================
``receipt_unknown``   404   no receipt has this verification code
``not_allowed``       403   only staff of the issuing agency (or the system) may revoke
====================  ====  ==================================================================
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from balikpapan_untuk_warga.api.errors import ApplicationError


class ReceiptError404Code(models.TextChoices):
    """The 404 codes of the public verification API (documented in the schema)."""

    RECEIPT_UNKNOWN = "receipt_unknown"


class ReceiptUnknown(ApplicationError):
    status_code = 404
    default_code = "receipt_unknown"
    default_detail = _("No receipt has this verification code.")


class ReceiptNotAllowed(ApplicationError):
    status_code = 403
    default_code = "not_allowed"

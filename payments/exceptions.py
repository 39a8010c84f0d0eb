"""Error codes of the payments module (stable; the API renders them in the shared error shape).

400 ``nop_invalid``, ``nop_not_balikpapan``, ``nop_special_code`` — a NOP that cannot be linked;
404 ``nop_not_found`` — no tax object with that NOP;
409 ``bill_already_paid`` — the bill is paid, it cannot be paid again;
409 ``payment_not_pending`` — the payment is no longer waiting;
503 ``provider_unavailable`` — the gateway could not create the QRIS now; try again.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class NopRejected(ApplicationError):
    default_detail = _("This is not a valid Kota Balikpapan NOP.")
    default_code = "nop_invalid"


class NopNotFound(ApplicationError):
    status_code = status.HTTP_404_NOT_FOUND
    default_detail = _("No tax object has this NOP.")
    default_code = "nop_not_found"


class BillAlreadyPaid(ConflictError):
    default_detail = _("This bill has already been paid.")
    default_code = "bill_already_paid"


class PaymentNotPending(ConflictError):
    default_detail = _("This payment is no longer waiting for payment.")
    default_code = "payment_not_pending"


class ProviderUnavailableError(ApplicationError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The payment gateway is not available. Please try again shortly.")
    default_code = "provider_unavailable"

"""What ``payments`` holds about a person (see :mod:`privacy.registry`): linked tax objects, bills
and payments.

Payments and bills are kept on erasure: they are the city's financial records, to be kept ten
years (UU No. 1/2022 on central–regional finance, UU KUP art. 28(11)). The bill loses its link to
the account; the payment keeps only its link to the emptied account (which holds nothing). The
taxpayer name on a bill and a tax object comes from the tax register (SISMIOP), not from the
account, and stays as the register has it."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payments.models import Bill, Payment, PropertyLink
from payments.workflow import PaymentState
from privacy import registry
from privacy.helpers import rows


def export(user) -> dict:
    return {
        "properties": rows(
            PropertyLink.objects.filter(user=user),
            ["tax_object__nop", "tax_object__address", "tax_object__taxpayer_name", "created_at"],
        ),
        "bills": rows(
            Bill.objects.filter(Q(payer=user) | Q(payments__payer=user)).distinct(),
            [
                "uuid",
                "kind",
                "number",
                "tax_year",
                "payer_name",
                "description",
                "object_address",
                "principal",
                "due_date",
                "is_paid",
                "paid_at",
            ],
        ),
        "payments": rows(
            Payment.objects.filter(payer=user),
            [
                "uuid",
                "order_id",
                "bill__number",
                "state",
                "principal",
                "penalty",
                "amount",
                "provider",
                "paid_at",
                "created_at",
            ],
        ),
    }


def erase(user) -> dict[str, int]:
    return {
        "property_links": PropertyLink.objects.filter(user=user).delete()[0],
        "bills_unlinked": Bill.objects.filter(payer=user).update(payer=None),
    }


def blocks(user) -> str:
    """A QRIS not yet paid or expired (it expires within ``PAYMENTS_QR_EXPIRY_MINUTES``) could
    still be paid: wait for it rather than leave a payment nobody can trace."""
    if Payment.objects.filter(payer=user, state=PaymentState.PENDING).exists():
        return str(_("A payment of yours is still waiting. Try again when it has expired."))
    return ""


registry.register("payments", export=export, erase=erase, blocks=blocks, order=300)

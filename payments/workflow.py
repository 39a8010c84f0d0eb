"""The payment's states and who moves them: only the platform (the gateway's verified
notification, the expiry and reconciliation tasks); a citizen may cancel their pending QR."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow import OWNER, SYSTEM, Transition, Workflow


class PaymentState(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


PAYMENT_WORKFLOW = Workflow(
    states=PaymentState,
    initial=PaymentState.PENDING,
    closed_states=(
        PaymentState.PAID,
        PaymentState.EXPIRED,
        PaymentState.CANCELLED,
        PaymentState.FAILED,
    ),
    transitions=(
        # A settlement may arrive after our own expiry: the money was received, so it counts.
        Transition(
            "settle",
            (PaymentState.PENDING, PaymentState.EXPIRED),
            PaymentState.PAID,
            frozenset({SYSTEM}),
            label=_("Mark paid"),
            notifies_owner=False,
        ),
        Transition(
            "expire",
            (PaymentState.PENDING,),
            PaymentState.EXPIRED,
            frozenset({SYSTEM}),
            label=_("Expire"),
            notifies_owner=False,
        ),
        Transition(
            "cancel",
            (PaymentState.PENDING,),
            PaymentState.CANCELLED,
            frozenset({SYSTEM, OWNER}),
            label=_("Cancel"),
            notifies_owner=False,
        ),
        Transition(
            "fail",
            (PaymentState.PENDING,),
            PaymentState.FAILED,
            frozenset({SYSTEM}),
            label=_("Mark failed"),
        ),
    ),
)

"""Tax objects (by NOP), bills (PBB SPPT and retribusi), penalty rules, payments and imports.

Money is whole rupiah in integer fields.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from payments.nop import format_nop
from payments.workflow import PAYMENT_WORKFLOW, PaymentState
from services.workflow.models import WorkflowModel


class TaxObject(models.Model):
    """A PBB object (land and building) identified by its NOP."""

    nop = models.CharField(_("NOP"), max_length=18, unique=True)
    kecamatan_code = models.CharField(_("SISMIOP kecamatan code"), max_length=3)
    kelurahan_code = models.CharField(_("SISMIOP kelurahan code"), max_length=3)
    address = models.CharField(_("object address"), max_length=255)
    kelurahan_name = models.CharField(_("kelurahan"), max_length=100)
    taxpayer_name = models.CharField(_("taxpayer"), max_length=150)
    needs_review = models.BooleanField(_("needs a manual check"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tax object")
        verbose_name_plural = _("tax objects")
        ordering = ["nop"]

    def __str__(self) -> str:
        return self.nop_formatted

    @property
    def nop_formatted(self) -> str:
        return format_nop(self.nop)


class PropertyLink(models.Model):
    """A citizen's "my properties": the NOPs whose bills they see and pay."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="property_links"
    )
    tax_object = models.ForeignKey(TaxObject, on_delete=models.CASCADE, related_name="links")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("linked property")
        verbose_name_plural = _("linked properties")
        constraints = [
            models.UniqueConstraint(fields=["user", "tax_object"], name="payments_link_unique")
        ]

    def __str__(self) -> str:
        return str(self.tax_object)


class Rounding(models.TextChoices):
    HALF_UP = "half_up", _("to the nearest rupiah (half up)")
    DOWN = "down", _("down to the whole rupiah")
    UP = "up", _("up to the whole rupiah")


class PenaltyRule(models.Model):
    """The late-payment sanction in force from ``effective_from`` (until the next rule)."""

    effective_from = models.DateField(_("effective from"), unique=True)
    rate_per_month = models.DecimalField(_("rate per month"), max_digits=5, decimal_places=4)
    cap_months = models.PositiveSmallIntegerField(_("cap in months"))
    part_month_counts = models.BooleanField(_("a part month counts as a whole one"), default=True)
    rounding = models.CharField(
        _("rounding to whole rupiah"),
        max_length=16,
        choices=Rounding.choices,
        default=Rounding.HALF_UP,
        help_text=_("The sources do not say how the penalty is rounded; set it per rule."),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("penalty rule")
        verbose_name_plural = _("penalty rules")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.rate_per_month}/month, max {self.cap_months}"


class Bill(models.Model):
    class Kind(models.TextChoices):
        PBB = "pbb", _("PBB (land and building tax)")
        RETRIBUSI = "retribusi", _("Retribusi (local levy)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("bill number"), max_length=40, unique=True)
    tax_object = models.ForeignKey(
        TaxObject, on_delete=models.PROTECT, null=True, blank=True, related_name="bills"
    )
    tax_year = models.PositiveSmallIntegerField(_("tax year"), null=True, blank=True)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="levy_bills",
        help_text=_("Retribusi: the citizen who owes the bill."),
    )
    payer_name = models.CharField(_("taxpayer or payer"), max_length=150)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # SPPT fields (domain-facts §3.5)
    object_address = models.CharField(_("object address"), max_length=255, blank=True)
    kelurahan_name = models.CharField(_("kelurahan"), max_length=100, blank=True)
    land_area = models.PositiveIntegerField(_("land area (m²)"), null=True, blank=True)
    land_class = models.CharField(_("land class"), max_length=8, blank=True)
    building_area = models.PositiveIntegerField(_("building area (m²)"), null=True, blank=True)
    building_class = models.CharField(_("building class"), max_length=8, blank=True)
    njop = models.PositiveBigIntegerField(_("NJOP"), null=True, blank=True)
    principal = models.PositiveBigIntegerField(_("amount due"))
    due_date = models.DateField(_("due date"))
    is_paid = models.BooleanField(_("paid"), default=False)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["is_paid", "due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_object", "tax_year"],
                condition=Q(kind="pbb"),
                name="payments_one_sppt_per_year",
            ),
            models.CheckConstraint(
                condition=Q(kind="retribusi") | Q(tax_object__isnull=False, tax_year__isnull=False),
                name="payments_pbb_has_object_and_year",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Payment(WorkflowModel):
    """One attempt to pay one bill with a dynamic QRIS, through a gateway ("provider")."""

    workflow = PAYMENT_WORKFLOW
    module_slug = "pembayaran"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order_id = models.CharField(_("order id"), max_length=40, unique=True)
    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments"
    )
    state = models.CharField(
        _("state"),
        max_length=40,
        choices=PaymentState.choices,
        default=PaymentState.PENDING,
        db_index=True,
    )
    principal = models.PositiveBigIntegerField(_("principal"))
    penalty = models.PositiveBigIntegerField(_("penalty"))
    amount = models.PositiveBigIntegerField(_("amount"))
    provider = models.CharField(_("provider"), max_length=20)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    qr_string = models.TextField(_("QRIS payload"))
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    needs_review = models.BooleanField(_("needs staff review"), default=False)
    review_reason = models.CharField(_("review reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The database, not only the code, refuses a second paid payment of one bill.
            models.UniqueConstraint(
                fields=["bill"], condition=Q(state="paid"), name="payments_one_paid_per_bill"
            )
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def service_code(self) -> str:  # type: ignore[override]
        return self.bill.kind

    def get_owner(self):
        return self.payer

    def get_handling_agency(self):
        from services.models import Agency

        return Agency.objects.filter(code="bppdrd").first()

    def get_tracking_number(self) -> str:
        return self.order_id

    def get_activity_title(self):
        return _("Tax payment") if self.bill.kind == Bill.Kind.PBB else _("Levy payment")

    def get_links(self) -> tuple[str, str]:
        return (
            f"/api/v1/pembayaran/payments/{self.uuid}/",
            f"/layanan/pembayaran/pembayaran/{self.uuid}/",
        )


class WebhookDelivery(models.Model):
    """Every notification received at the webhook, verified or not, for staff to audit: the raw
    body (cut at ``BODY_LIMIT``), the headers that carry the signature, and what was decided.
    Verified ones are applied afterwards (``processed_at``), by Celery."""

    BODY_LIMIT = 16_384

    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("verified and accepted")
        SIGNATURE_INVALID = "signature_invalid", _("signature missing, wrong or too old")
        MALFORMED = "malformed", _("verified but unreadable")
        UNKNOWN_PAYMENT = "unknown_payment", _("unknown payment")

    provider = models.CharField(_("provider"), max_length=20)
    result = models.CharField(_("verification result"), max_length=20, choices=Result.choices)
    order_id = models.CharField(_("order id"), max_length=100, blank=True, db_index=True)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("payment"),
    )
    gateway_status = models.CharField(_("gateway status"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, blank=True)
    amount = models.PositiveBigIntegerField(_("gateway amount"), null=True, blank=True)
    reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    body = models.TextField(_("raw body"))
    body_truncated = models.BooleanField(_("body cut"), default=False)
    headers = models.JSONField(_("signature headers"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("received notification")
        verbose_name_plural = _("received notifications")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=Q(result="accepted", processed_at__isnull=True),
                name="payments_delivery_unprocessed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.order_id or '-'} ({self.result})"


class PaymentEvent(models.Model):
    """A verified gateway status applied to a payment, once per (payment, status): replays are
    no-ops."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    delivery = models.OneToOneField(
        WebhookDelivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("received notification"),
    )
    provider = models.CharField(_("provider"), max_length=20)
    status = models.CharField(_("gateway status"), max_length=40)
    amount = models.CharField(_("gateway amount"), max_length=20, blank=True)
    body = models.JSONField(_("notification"), default=dict)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("applied gateway status")
        verbose_name_plural = _("applied gateway statuses")
        constraints = [
            models.UniqueConstraint(fields=["payment", "status"], name="payments_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.status}"


class BillImport(models.Model):
    """One run of the bill import (command or admin), with what happened to each row."""

    file_name = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    errors = models.JSONField(_("errors"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bill import")
        verbose_name_plural = _("bill imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

"""Verifiable receipts: one signed, publicly checkable record per transaction that matters to a
citizen (a submitted request, an issued document, a payment, a booked ticket, a filed complaint).

A :class:`Receipt` is written only by :mod:`services.receipts.services`. Its public fields are
signed (``payload``/``signature``, see :mod:`services.receipts.signing`) when it is issued, and a
revocation is signed again (``revocation_signature``), so an edit in the database is reported as
"tampered" by :func:`services.receipts.selectors.receipt_verify`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Receipt(models.Model):
    class Kind(models.TextChoices):
        REQUEST_SUBMITTED = "request_submitted", _("Request submitted")
        DOCUMENT_ISSUED = "document_issued", _("Document issued")
        PAYMENT = "payment", _("Payment")
        TICKET_BOOKED = "ticket_booked", _("Ticket booked")
        COMPLAINT_FILED = "complaint_filed", _("Complaint filed")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("verification code"), max_length=32, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    issuer = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuer"),
    )
    tracking_number = models.CharField(_("tracking number"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    issued_at = models.DateTimeField(_("issued at"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    masked_name = models.CharField(_("name (masked)"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # the public record outlives the account; it holds no name
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("owner"),
    )
    object_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("for (type)")
    )
    object_id = models.PositiveBigIntegerField(_("for (id)"))
    content_object = GenericForeignKey("object_type", "object_id")
    payload = models.TextField(_("signed payload"), editable=False)
    signature = models.CharField(_("signature"), max_length=100, editable=False)
    key_id = models.CharField(_("signing key"), max_length=16, editable=False)
    revocation_signature = models.CharField(
        _("revocation signature"), max_length=100, blank=True, editable=False
    )
    revocation_key_id = models.CharField(
        _("revocation signing key"), max_length=16, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_type", "object_id", "kind"], name="receipt_once_per_object_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} — {self.get_kind_display()}"

    @property
    def is_revoked(self) -> bool:
        return self.status == self.Status.REVOKED

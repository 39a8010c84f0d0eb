"""Requests of data subjects under UU No. 27/2022 (PDP): exports of their data, corrections of
their identity data, and the record that an account was erased."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: UU PDP arts. 6, 7 and 32–33: a controller answers access and correction within 3 × 24 hours.
ANSWER_WITHIN = dt.timedelta(hours=72)


class ExportRequest(models.Model):
    """ "Download everything held about me": a ZIP built by a task, downloadable once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Being prepared")
        READY = "ready", _("Ready to download")
        DOWNLOADED = "downloaded", _("Downloaded")
        EXPIRED = "expired", _("Expired")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_exports",
        verbose_name=_("citizen"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    file = models.CharField(_("file in the private storage"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One export being prepared per person at a time (the API answers 409 otherwise).
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(state="pending"), name="privacy_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.uuid}"


class CorrectionRequest(models.Model):
    """A citizen asks to correct identity data that only verified staff may change."""

    class Field(models.TextChoices):
        FULL_NAME = "full_name", _("Full name")
        NIK = "nik", _("NIK")
        HOME_KELURAHAN = "home_kelurahan", _("Home kelurahan")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_corrections",
        verbose_name=_("citizen"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("verifying agency"),
    )
    field = models.CharField(_("data to correct"), max_length=20, choices=Field.choices)
    # What the citizen asked for, as text (a kelurahan by its code). A NIK is kept sealed.
    requested_value = models.TextField(_("requested value"), blank=True)
    requested_nik_sealed = models.TextField(
        _("requested NIK (encrypted)"), blank=True, default="", editable=False
    )
    reason = models.TextField(_("reason given by the citizen"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("answer due by"), db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("data correction request")
        verbose_name_plural = _("data correction requests")
        ordering = ["due_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_overdue(self) -> bool:
        return self.state == self.State.PENDING and self.due_at < timezone.now()

    @property
    def requested_display(self) -> str:
        """What staff and the citizen see of the requested value (a NIK masked)."""
        from accounts import identifiers

        if self.field == self.Field.NIK:
            return identifiers.mask_identifier(identifiers.unseal(self.requested_nik_sealed))
        return self.requested_value


class CorrectionEvent(models.Model):
    """Append-only history of a correction request (asked, approved, rejected)."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    request = models.ForeignKey(
        CorrectionRequest,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("correction request"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("correction history entry")
        verbose_name_plural = _("correction history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ErasureRecord(models.Model):
    """That an account was erased, when, and how many rows each module erased or de-linked.
    Holds no personal data: the accountability the law asks for (UU PDP art. 47) without
    keeping what was erased."""

    account_id = models.PositiveBigIntegerField(_("account number (emptied)"), db_index=True)
    at = models.DateTimeField(_("erased at"), default=timezone.now)
    counts = models.JSONField(_("rows erased or de-linked per module"), default=dict)

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"#{self.account_id} {self.at:%Y-%m-%d %H:%M}"

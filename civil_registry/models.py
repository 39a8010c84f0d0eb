"""A citizen's request to Disdukcapil, its documents per requirement, and its national-system link."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import identifiers
from civil_registry.national import NationalStatus, NikCheck
from civil_registry.types import ALL_REQUIREMENT_CODES, REQUEST_TYPES, TYPE_CHOICES
from civil_registry.workflow import WORKFLOW, State
from services.workflow import WorkflowModel

MODULE_SLUG = "pencatatan-sipil"


class Relationship(models.TextChoices):
    SELF = "self", _("Self")
    HOUSEHOLD_MEMBER = "household_member", _("Household member")
    DELEGATION = "delegation", _("Delegated by the subject")


class CivilRequest(WorkflowModel):
    """One request of one type (akta kelahiran, KK …) by an applicant, for themselves or a member
    of their household. ``state`` changes only through ``services.workflow.transition_perform``."""

    workflow = WORKFLOW
    module_slug = MODULE_SLUG

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, unique=True, editable=False
    )
    request_type = models.CharField(_("type"), max_length=32, choices=TYPE_CHOICES, db_index=True)
    state = models.CharField(
        _("state"), max_length=40, choices=State.choices, default=State.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("applicant"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling agency"),
    )
    subject_member = models.ForeignKey(
        "accounts.HouseholdMember",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member concerned"),
    )
    relationship = models.CharField(
        _("applicant's relationship"),
        max_length=32,
        choices=Relationship.choices,
        default=Relationship.SELF,
    )
    member_relationship = models.CharField(
        _("relationship in the family card"), max_length=20, blank=True
    )
    subject_name = models.CharField(_("name of the person concerned"), max_length=150, blank=True)
    subject_data = models.JSONField(_("subject data"), default=dict, blank=True)
    subject_nik_sealed = models.TextField(_("NIK concerned (encrypted)"), blank=True, default="")
    subject_nik_digest = models.CharField(  # noqa: DJ001 — NULL when there is none
        _("NIK digest"), max_length=64, null=True, blank=True, editable=False, db_index=True
    )
    kelurahan = models.ForeignKey(
        "services.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    revision_note = models.TextField(_("what to fix"), blank=True)
    issued_document = models.ForeignKey(
        "uploads.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued document"),
    )
    pickup_note = models.CharField(_("pick-up note"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    national_reference = models.CharField(_("national system reference"), max_length=64, blank=True)
    national_status = models.CharField(
        _("national system status"), max_length=32, choices=NationalStatus.choices, blank=True
    )
    national_checked_at = models.DateTimeField(
        _("national system checked at"), null=True, blank=True
    )
    nik_check = models.CharField(
        _("NIK check (national system)"),
        max_length=20,
        choices=NikCheck.choices,
        blank=True,
        db_index=True,
        help_text=_("Whether the NIK concerned exists and matches the name; empty until checked."),
    )
    nik_checked_at = models.DateTimeField(_("NIK checked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("civil registry request")
        verbose_name_plural = _("civil registry requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="civil_req_owner_created"),
            models.Index(fields=["agency", "state"], name="civil_req_agency_state"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    @property
    def service_code(self) -> str:  # type: ignore[override]
        """The catalog's service code: the request type (the activity feed filters on it)."""
        return self.request_type

    @property
    def type_spec(self):
        return REQUEST_TYPES[self.request_type]

    @property
    def subject_nik_masked(self) -> str:
        if not self.subject_nik_sealed:
            return ""
        return identifiers.mask_identifier(identifiers.unseal(self.subject_nik_sealed))

    def get_owner(self):
        return self.owner

    def get_handling_agency(self):
        return self.agency

    def get_tracking_number(self) -> str:
        return self.tracking_number

    def get_activity_title(self):
        return REQUEST_TYPES[self.request_type].title

    def get_links(self) -> tuple[str, str]:
        return (
            f"/api/v1/{MODULE_SLUG}/requests/{self.uuid}/",
            reverse("civil_registry:detail", args=[self.uuid]),
        )

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.NEEDS_REVISION)

    @property
    def receipt_file_check(self) -> str:
        """HTML for the platform's public receipt page (its QR target): a form that checks a
        file against the issued document. Empty when there is no issued file."""
        if self.issued_document_id is None:
            return ""
        from django.template.loader import render_to_string

        from civil_registry.portal.forms import FileCheckForm
        from services.receipts.models import Receipt

        code = (
            Receipt.objects.filter(
                object_type__app_label=self._meta.app_label,
                object_type__model=self._meta.model_name,
                object_id=self.pk,
                kind=Receipt.Kind.DOCUMENT_ISSUED,
            )
            .values_list("code", flat=True)
            .first()
        )
        if code is None:
            return ""
        return render_to_string(
            "civil_registry/_file_check.html", {"code": code, "form": FileCheckForm()}
        )


class RequestDocument(models.Model):
    """Which uploaded document meets which requirement of a request (the latest one wins)."""

    request = models.ForeignKey(
        CivilRequest, on_delete=models.CASCADE, related_name="documents", verbose_name=_("request")
    )
    requirement = models.CharField(
        _("requirement"), max_length=40, choices=[(c, c) for c in ALL_REQUIREMENT_CODES]
    )
    document = models.ForeignKey(
        "uploads.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    attached_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("request document")
        verbose_name_plural = _("request documents")
        ordering = ["request", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "requirement"], name="civil_request_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request} · {self.requirement}"

    @property
    def requirement_label(self):
        requirement = self.request.type_spec.requirement(self.requirement)
        return requirement.label if requirement else self.requirement

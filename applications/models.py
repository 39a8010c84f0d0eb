"""Online application forms that an agency defines in the admin, their published versions, and
the citizens' applications.

An :class:`ApplicationForm` belongs to one catalog service (and so to that service's agency). Its
fields and required documents are the *draft*, edited in the admin; publishing copies them into
an immutable :class:`FormVersion` (a JSON snapshot). An :class:`Application` keeps the version it
was filed with, whatever is published later. ``applications.definition`` turns a snapshot into a
JSON Schema, UI hints and the server-side validation, so all three always agree.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.workflow import WORKFLOW, State
from services.workflow import WorkflowModel

MODULE_SLUG = "permohonan"
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
_key_validator = RegexValidator(
    re.compile(KEY_PATTERN),
    _("Use 1–40 lowercase letters, digits or underscores, starting with a letter."),
)


class FieldType(models.TextChoices):
    TEXT = "text", _("Text (one line)")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice (one)")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    NIK = "nik", _("NIK")
    NOP = "nop", _("NOP (property tax object number)")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("Email address")
    ADDRESS = "address", _("Address with kelurahan")
    LOCATION = "location", _("Location on the map")
    FILE = "file", _("File upload (a required document)")


class OutputKind(models.TextChoices):
    OFFICER_DOCUMENT = "officer_document", _("A document the officer attaches")
    DECISION_LETTER = "decision_letter", _("A decision letter generated from a template")


class AgencyPrefix(models.Model):
    """The tracking-number prefix of an agency's applications (e.g. ``REK`` → ``REK-2026-000001``)."""

    agency = models.OneToOneField(
        "services.Agency",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agency"),
    )
    prefix = models.CharField(
        _("prefix"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,5}$", _("2–5 uppercase letters."))],
    )

    class Meta:
        verbose_name = _("tracking-number prefix")
        verbose_name_plural = _("tracking-number prefixes")
        ordering = ["prefix"]

    def __str__(self) -> str:
        return f"{self.prefix} · {self.agency}"


class ApplicationForm(models.Model):
    """The application form of one catalog service: its draft fields and documents, the
    service-level time, the output, and the version citizens currently apply with."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.PROTECT,
        related_name="application_form",
        verbose_name=_("catalog service"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("agency"),
    )
    intro_id = models.TextField(_("introduction (Indonesian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    working_days = models.PositiveSmallIntegerField(
        _("service-level time (working days)"),
        default=5,
        help_text=_("Counted from submission on the agency's working calendar."),
    )
    output_kind = models.CharField(
        _("output"), max_length=20, choices=OutputKind.choices, default=OutputKind.OFFICER_DOCUMENT
    )
    output_name_id = models.CharField(_("output name (Indonesian)"), max_length=150, blank=True)
    output_name_en = models.CharField(_("output name (English)"), max_length=150, blank=True)
    letter_template = models.TextField(
        _("decision letter template"),
        blank=True,
        help_text=_(
            "Text of the decision letter. Placeholders: {tracking_number}, {applicant_name}, "
            "{service_name}, {agency_name}, {decision_date}, and {answer:<field key>}."
        ),
    )
    current_version = models.ForeignKey(
        "FormVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published version"),
    )
    is_open = models.BooleanField(
        _("accepting applications"),
        default=True,
        help_text=_("Untick to stop new applications without unpublishing."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application form")
        verbose_name_plural = _("application forms")
        ordering = ["service__name_id"]

    def __str__(self) -> str:
        return str(self.service)

    def clean(self) -> None:
        super().clean()
        if self.output_kind == OutputKind.DECISION_LETTER and not self.letter_template.strip():
            raise ValidationError(
                {"letter_template": _("A decision letter needs its template.")},
                code="template_required",
            )


class FormRequirement(models.Model):
    """A document the applicant uploads (e.g. ``ktp``: "e-KTP of the applicant")."""

    form = models.ForeignKey(
        ApplicationForm,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("form"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.CharField(_("code"), max_length=40, validators=[_key_validator])
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    is_required = models.BooleanField(
        _("required"),
        default=True,
        help_text=_(
            "Always needed. A document asked by a file field with a condition is needed only "
            "when that field is shown: untick it here then."
        ),
    )

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["form", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="applications_requirement_once")
        ]

    def __str__(self) -> str:
        return self.label_id


class FormField(models.Model):
    """One question of the draft form."""

    form = models.ForeignKey(
        ApplicationForm, on_delete=models.CASCADE, related_name="fields", verbose_name=_("form")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    key = models.CharField(
        _("key"),
        max_length=40,
        validators=[_key_validator],
        help_text=_("Name of the answer in the API, e.g. business_name."),
    )
    field_type = models.CharField(_("type"), max_length=20, choices=FieldType.choices)
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    help_id = models.CharField(_("help text (Indonesian)"), max_length=300, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=300, blank=True)
    is_required = models.BooleanField(_("required"), default=True)
    min_length = models.PositiveIntegerField(
        _("minimum length / selections"), null=True, blank=True
    )
    max_length = models.PositiveIntegerField(
        _("maximum length / selections"), null=True, blank=True
    )
    min_value = models.DecimalField(
        _("minimum value"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum value"), max_digits=18, decimal_places=6, null=True, blank=True
    )
    is_integer = models.BooleanField(_("whole numbers only"), default=False)
    pattern = models.CharField(
        _("pattern (regular expression)"),
        max_length=200,
        blank=True,
        help_text=_("For text: e.g. ^[A-Z0-9/.-]+$ for a letter number."),
    )
    choices = models.TextField(
        _("allowed choices"),
        blank=True,
        help_text=_(
            "One per line: value|label in Indonesian|label in English (e.g. "
            "mikro|Usaha mikro|Micro business)."
        ),
    )
    requirement_code = models.CharField(
        _("document (for a file field)"),
        max_length=40,
        blank=True,
        help_text=_("The code of the required document this upload answers."),
    )
    show_when_field = models.CharField(
        _("show only when field"),
        max_length=40,
        blank=True,
        help_text=_("Key of an earlier choice, multiple-choice or yes/no field."),
    )
    show_when_value = models.CharField(
        _("has the value"),
        max_length=100,
        blank=True,
        help_text=_("A choice value, or yes / no."),
    )

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["form", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="applications_field_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.get_field_type_display()})"


class FormVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RuntimeError("A published form version is immutable.")


class FormVersion(models.Model):
    """A published, immutable snapshot of a form (``spec``: see ``applications.definition``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(
        ApplicationForm, on_delete=models.PROTECT, related_name="versions", verbose_name=_("form")
    )
    number = models.PositiveIntegerField(_("version"))
    spec = models.JSONField(_("definition"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = FormVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["form", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="applications_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.form} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("A published form version is immutable.")
        super().save(*args, **kwargs)


class Application(WorkflowModel):
    """A citizen's application with one published version of a form. ``state`` changes only
    through ``services.workflow.transition_perform``."""

    workflow = WORKFLOW
    module_slug = MODULE_SLUG

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, unique=True, editable=False
    )
    state = models.CharField(
        _("state"), max_length=40, choices=State.choices, default=State.DRAFT, db_index=True
    )
    form = models.ForeignKey(
        ApplicationForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("form")
    )
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("form version")
    )
    service_code = models.CharField(_("service"), max_length=64, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=150, editable=False)
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
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    sealed_answers = models.JSONField(
        _("sealed answers (NIK)"), default=dict, blank=True, editable=False
    )
    revision_note = models.TextField(_("what to fix"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    output_document = models.ForeignKey(
        "uploads.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("output document"),
    )
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="applications_owner_created"),
            models.Index(fields=["agency", "state"], name="applications_agency_state"),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def get_owner(self):
        return self.owner

    def get_handling_agency(self):
        return self.agency

    def get_tracking_number(self) -> str:
        return self.tracking_number

    def get_activity_title(self):
        return self.title

    def get_links(self) -> tuple[str, str]:
        return (
            f"/api/v1/{MODULE_SLUG}/applications/{self.uuid}/",
            reverse("applications:detail", args=[self.uuid]),
        )

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.NEEDS_REVISION)


class ApplicationDocument(models.Model):
    """Which uploaded document meets which requirement of an application (the latest wins)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    requirement = models.CharField(_("requirement"), max_length=40)
    document = models.ForeignKey(
        "uploads.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    attached_at = models.DateTimeField(_("attached at"))

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "requirement"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="applications_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.requirement}"

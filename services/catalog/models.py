"""The catalog of public services: what each agency offers, how and where, and the life-event
journeys that string services of several agencies together.

Texts a citizen reads are stored in both site languages (``*_id`` Indonesian, ``*_en`` English)
because agency admins write them, not translators; :func:`services.catalog.texts.localized` picks
the request's language and falls back to Indonesian.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from services import registry
from services.models import Agency

CODE_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"
_code_validator = RegexValidator(
    re.compile(CODE_PATTERN),
    _("Use 2–64 lowercase letters, digits or underscores, starting with a letter."),
)


class Category(models.Model):
    """A group of services shown together (kependudukan, pajak & retribusi, kesehatan, …)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    icon = models.SlugField(
        _("icon"),
        max_length=40,
        blank=True,
        help_text=_("Name of the icon the app shows for this category."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_id


class Service(models.Model):
    """One public service: a document, a permit, a payment, a queue, a complaint channel."""

    class SlaUnit(models.TextChoices):
        MINUTES = "minutes", _("minutes")
        HOURS = "hours", _("hours")
        WORKING_DAYS = "working_days", _("working days")
        DAYS = "days", _("days")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("code"),
        max_length=64,
        unique=True,
        validators=[_code_validator],
        help_text=_(
            "Stable identifier used by service modules and the activity feed, e.g. akta_kelahiran."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,  # clean() derives it from the code
        help_text=_("The address of the service's page; the code with hyphens if left empty."),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="catalog_services", verbose_name=_("agency")
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"))
    fee = models.PositiveIntegerField(
        _("fee (rupiah)"),
        null=True,
        blank=True,
        help_text=_("0 for a free service; empty when it varies (explain in the fee note)."),
    )
    fee_note_id = models.CharField(_("fee note (Indonesian)"), max_length=255, blank=True)
    fee_note_en = models.CharField(_("fee note (English)"), max_length=255, blank=True)
    sla_amount = models.PositiveSmallIntegerField(
        _("service-level time"),
        null=True,
        blank=True,
        help_text=_("How long the service takes at most; empty when not set."),
    )
    sla_unit = models.CharField(
        _("service-level time unit"), max_length=16, choices=SlaUnit.choices, blank=True
    )
    module_slug = models.SlugField(
        _("online module"),
        max_length=40,
        blank=True,
        help_text=_(
            "Slug of the service module that handles the service online in the app; empty when "
            "it cannot be requested online."
        ),
    )
    at_mpp = models.BooleanField(
        _("at an MPP counter"),
        default=False,
        help_text=_("Served at the agency's counter in the Mal Pelayanan Publik."),
    )
    at_office = models.BooleanField(
        _("at the agency's office"),
        default=False,
        help_text=_("Served at the agency's own office (or its units, e.g. a puskesmas)."),
    )
    how_to_id = models.TextField(_("how to apply (Indonesian)"), blank=True)
    how_to_en = models.TextField(_("how to apply (English)"), blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    contact = models.CharField(_("contact"), max_length=255, blank=True)
    keywords = models.TextField(
        _("search keywords"),
        blank=True,
        help_text=_(
            "Other words people use for this service, in Indonesian and English, separated by "
            "commas (e.g. akte lahir, birth certificate)."
        ),
    )
    popularity = models.PositiveIntegerField(
        _("popularity"),
        default=0,
        help_text=_("Relative demand (e.g. visits a month); the most used are featured first."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-popularity", "name_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_mpp=True) | Q(at_office=True) | ~Q(module_slug=""),
                name="catalog_service_has_a_channel",
                violation_error_message=_(
                    "A service must be offered online, at an MPP counter or at the office."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(sla_amount__isnull=True) & Q(sla_unit=""))
                | (Q(sla_amount__isnull=False) & ~Q(sla_unit="")),
                name="catalog_service_sla_complete",
                violation_error_message=_("Give the service-level time with its unit, or neither."),
            ),
        ]
        indexes = [models.Index(fields=["is_active", "-popularity"], name="catalog_active_pop_idx")]

    def __str__(self) -> str:
        return self.name_id

    @property
    def is_online(self) -> bool:
        return bool(self.module_slug)

    @property
    def channels(self) -> list[str]:
        return channels_of(self.module_slug, self.at_mpp, self.at_office)

    def clean(self) -> None:
        super().clean()
        if not self.slug and self.code:
            self.slug = self.code.replace("_", "-")
        errors: dict[str, list] = {}
        if self.module_slug:
            module = registry.get(self.module_slug)
            if module is None:
                errors["module_slug"] = [
                    ValidationError(
                        _("No service module %(slug)s is registered; choose one of: %(known)s."),
                        code="unknown_module",
                        params={
                            "slug": self.module_slug,
                            "known": ", ".join(m.slug for m in registry.modules()) or "—",
                        },
                    )
                ]
        if self.code and self.module_slug:
            claimant = registry.module_for_service_code(self.code)
            if claimant is not None and claimant.slug != self.module_slug:
                errors.setdefault("module_slug", []).append(
                    ValidationError(
                        _("The service code %(code)s is handled by the module %(module)s."),
                        code="module_mismatch",
                        params={"code": self.code, "module": claimant.slug},
                    )
                )
        if errors:
            raise ValidationError(errors)


def channels_of(module_slug: str, at_mpp: bool, at_office: bool) -> list[str]:
    """The channels of a service in display order: ``online``, ``mpp``, ``office``."""
    channels = []
    if module_slug:
        channels.append("online")
    if at_mpp:
        channels.append("mpp")
    if at_office:
        channels.append("office")
    return channels


class ServiceRequirement(models.Model):
    """A document to bring or a condition to meet, in the order the service lists them."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("service")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_id = models.CharField(_("requirement (Indonesian)"), max_length=255)
    text_en = models.CharField(_("requirement (English)"), max_length=255)
    is_optional = models.BooleanField(
        _("only in some cases"),
        default=False,
        help_text=_("Needed only in some cases (the text says which)."),
    )

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["service", "position", "id"]

    def __str__(self) -> str:
        return self.text_id


class LifeEvent(models.Model):
    """A moment in life that needs several services, possibly from several agencies, in order:
    moving to Balikpapan, a birth, a death, opening a small business."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_id = models.TextField(_("description (Indonesian)"))
    description_en = models.TextField(_("description (English)"))
    icon = models.SlugField(_("icon"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.name_id


class LifeEventStep(models.Model):
    """One step of a life event's journey, linked to the service that carries it out."""

    life_event = models.ForeignKey(
        LifeEvent, on_delete=models.CASCADE, related_name="steps", verbose_name=_("life event")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="life_event_steps",
        verbose_name=_("service"),
    )
    note_id = models.CharField(_("note (Indonesian)"), max_length=255, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=255, blank=True)
    is_optional = models.BooleanField(
        _("only in some cases"), default=False, help_text=_("Not everyone needs this step.")
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["life_event", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["life_event", "position"], name="catalog_step_position_unique"
            ),
            models.UniqueConstraint(
                fields=["life_event", "service"], name="catalog_step_service_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.life_event} — {self.position}. {self.service}"

"""The platform's shared reference data: the city's agencies (OPD) and its regions."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kecamatan(models.Model):
    """A district of Kota Balikpapan, keyed by its Kemendagri code (e.g. ``64.71.05``)."""

    code = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    """A village-level area; codes are opaque strings (Selatan's are not contiguous)."""

    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="kelurahan", verbose_name=_("kecamatan")
    )
    name = models.CharField(_("name"), max_length=100)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5)

    class Meta:
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A government body behind a service: an OPD of the city or a vertical agency at the MPP."""

    class Kind(models.TextChoices):
        DINAS = "dinas", _("Department (dinas)")
        BADAN = "badan", _("Agency (badan)")
        KECAMATAN = "kecamatan", _("District office (kecamatan)")
        BUMD = "bumd", _("Regional enterprise (BUMD)")
        VERTICAL = "vertical", _("Central government agency")
        SECRETARIAT = "secretariat", _("Secretariat / other unit")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class ModuleState(models.Model):
    """Whether a registered service module is switched on, and its last conformance result.

    Modules are code (see services.registry); this row holds only what staff change at run time.
    """

    slug = models.SlugField(_("module"), max_length=40, unique=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    conformance_version = models.CharField(
        _("version that passed the conformance kit"), max_length=20, blank=True
    )
    conformance_checked_at = models.DateTimeField(
        _("conformance checked at"), null=True, blank=True
    )
    conformance_passed = models.BooleanField(_("conformance passed"), default=False)
    conformance_report = models.JSONField(_("conformance report"), default=list, blank=True)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("service module")
        verbose_name_plural = _("service modules")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

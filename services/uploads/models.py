"""Private documents: the files citizens hand to the city (scans, photos, PDFs).

A :class:`Document` is created only by :func:`services.uploads.services.document_upload`, which
checks the file first (an image is re-encoded without its metadata afterwards, on the ``images``
Celery queue: ``is_processed``); its file lives on the default storage (``STORAGES["default"]``,
private: ``PRIVATE_MEDIA_ROOT`` on disk or a private bucket) under a random name, and is served
only by views that check :func:`services.uploads.selectors.document_get_for`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Kind(models.TextChoices):
        """The detected content type (never the one the client declared)."""

        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"
        PDF = "application/pdf", "PDF"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,  # an account is not deleted behind its documents' back
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("owner"),
        help_text=_(
            "Empty for a file a system channel received (e.g. a WhatsApp photo of a complaint "
            "filed without an account): only the handling agency's staff see it."
        ),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling agency"),
        help_text=_("Set when the document is attached to a request; its staff may then see it."),
    )
    content_type = models.CharField(_("content type"), max_length=32, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width (px)"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height (px)"), null=True, blank=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    purpose = models.CharField(
        _("purpose"),
        max_length=100,
        blank=True,
        help_text=_("The requirement the document meets, e.g. 'ktp' or 'surat_pengantar_rt'."),
    )
    file = models.FileField(_("file"), max_length=255)
    is_processed = models.BooleanField(
        _("processed"),
        default=True,
        help_text=_(
            "False while an uploaded image still waits for the images queue to re-encode it "
            "without its EXIF data (GPS position included); until then only its owner and the "
            "handling agency's staff can read it, and no public copy is made of it."
        ),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    attached_at = models.DateTimeField(_("attached at"), null=True, blank=True)
    object_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("belongs to (type)"),
    )
    object_id = models.PositiveBigIntegerField(_("belongs to (id)"), null=True, blank=True)
    content_object = GenericForeignKey("object_type", "object_id")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="document_object_idx"),
            # The sweeper's look-up of images whose processing task was lost: a handful of rows.
            models.Index(
                fields=["created_at"],
                condition=Q(is_processed=False),
                name="document_unprocessed_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(object_type__isnull=True, object_id__isnull=True)
                | Q(object_type__isnull=False, object_id__isnull=False),
                name="document_object_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_content_type_display()})"

    @property
    def is_attached(self) -> bool:
        return self.object_id is not None

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]

    @property
    def download_name(self) -> str:
        """The original name with the extension of the detected type (``scan.pdf`` holding a PNG
        downloads as ``scan.png``)."""
        stem = self.original_name.rsplit(".", 1)[0]
        return f"{stem or 'document'}.{self.extension}"


EXTENSIONS = {
    Document.Kind.JPEG: "jpg",
    Document.Kind.PNG: "png",
    Document.Kind.PDF: "pdf",
}

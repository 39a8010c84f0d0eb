"""Writes on documents. The API, the portal and every module call these.

``document_upload`` checks and cleans the file (:mod:`services.uploads.validation`) before
anything is stored, writes it to the private default storage under a random name, then inserts
the row; if the insert fails the file is removed again.
"""

from __future__ import annotations

import logging
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from services.uploads import validation
from services.uploads.exceptions import (
    DocumentAttached,
    DocumentNotAllowed,
    UploadQuotaExceeded,
)
from services.uploads.models import EXTENSIONS, Document

logger = logging.getLogger(__name__)

PURPOSE_MAX_LENGTH = 100


def storage_name(content_type: str) -> str:
    """A random path for a new file: ``documents/2026/01/<32 hex>.jpg``. It tells nothing about
    the owner, the file's name or the document's public UUID."""
    today = timezone.now()
    return f"documents/{today:%Y/%m}/{secrets.token_hex(16)}.{EXTENSIONS[content_type]}"


QUOTA_WINDOW = timedelta(days=1)


def upload_quota_check(*, owner, size: int = 0) -> None:
    """Raise :class:`UploadQuotaExceeded` when ``owner`` has uploaded ``UPLOAD_QUOTA_PER_DAY``
    documents in the last 24 hours, or when ``size`` more bytes would pass
    ``UPLOAD_QUOTA_BYTES_PER_DAY``. ``Retry-After`` is when the oldest of those uploads leaves
    the window (deleted documents no longer count)."""
    if owner is None or owner.pk is None:
        return
    since = timezone.now() - QUOTA_WINDOW
    recent = Document.objects.filter(owner=owner, created_at__gte=since)
    used = recent.aggregate(count=Count("pk"), size=Sum("size"), oldest=Min("created_at"))
    count_spent = used["count"] >= settings.UPLOAD_QUOTA_PER_DAY
    bytes_spent = (used["size"] or 0) + size > settings.UPLOAD_QUOTA_BYTES_PER_DAY
    if not (count_spent or bytes_spent):
        return
    oldest = used["oldest"] or timezone.now()
    wait = max(1, math.ceil((oldest + QUOTA_WINDOW - timezone.now()).total_seconds()))
    raise UploadQuotaExceeded(
        _("You have reached today's upload limit. Try again later."), wait=wait
    )


def document_upload(*, owner, file, purpose: str = "", quota: bool = False) -> Document:
    """Check, clean and store ``file`` (a Django ``File``/``UploadedFile``) for ``owner``.

    Raises :class:`~services.uploads.exceptions.DocumentRejected` (nothing is stored) when the
    file is not an acceptable JPEG, PNG or PDF (see ``exceptions.py`` for the codes). With
    ``quota`` (a citizen uploading, not a document the system issues to them) the owner's daily
    upload quota is checked before and after cleaning (:func:`upload_quota_check`).

    What is in memory: the file's bytes (at most ``UPLOAD_MAX_SIZE``; the upload itself was
    streamed to a temporary file by Django above ``FILE_UPLOAD_MAX_MEMORY_SIZE``) and, for an
    image, its decoded pixels (bounded by ``UPLOAD_MAX_IMAGE_PIXELS``), which re-encoding needs.
    """
    purpose = (purpose or "").strip()[:PURPOSE_MAX_LENGTH]
    if quota:
        upload_quota_check(owner=owner)
    data = validation.read_limited(file, settings.UPLOAD_MAX_SIZE)
    clean = validation.clean_file(data)
    if quota:
        upload_quota_check(owner=owner, size=clean.size)
    original_name = validation.sanitise_name(getattr(file, "name", ""))

    document = Document(
        owner=owner,
        content_type=clean.content_type,
        size=clean.size,
        sha256=clean.sha256,
        pages=clean.pages,
        width=clean.width,
        height=clean.height,
        original_name=original_name,
        purpose=purpose,
    )
    document.file.save(storage_name(clean.content_type), ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


@transaction.atomic
def document_attach(*, document: Document, obj, agency) -> Document:
    """Attach ``document`` to ``obj`` (e.g. a civil-registry request) handled by ``agency``, whose
    staff may see it from then on. Attaching it again to the same object changes nothing.

    The caller must have obtained the document through
    :func:`~services.uploads.selectors.document_get_attachable` for the citizen who is
    submitting ``obj``, so that nobody attaches another person's document.
    """
    document = Document.objects.select_for_update().get(pk=document.pk)
    object_type = ContentType.objects.get_for_model(obj)
    if document.is_attached:
        if (document.object_type_id, document.object_id) == (object_type.pk, obj.pk):
            return document
        raise DocumentAttached(_("This document already belongs to another request."))
    document.object_type = object_type
    document.object_id = obj.pk
    document.agency = agency
    document.attached_at = timezone.now()
    document.save(update_fields=["object_type", "object_id", "agency", "attached_at"])
    return document


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """The owner deletes a document that is not attached to anything yet. The file goes from the
    storage once the deletion is committed."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.owner_id != actor.pk:
        raise DocumentNotAllowed(_("Only the owner may delete a document."))
    if document.is_attached:
        raise DocumentAttached(
            _("This document belongs to a request and can no longer be deleted.")
        )
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: _delete_file(storage, name))


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except Exception:  # the row is gone; an orphan file is found by its missing row
        logger.exception("Could not delete a document file from the storage")


def document_open(*, actor, document: Document, channel: str):
    """Open ``document``'s file for ``actor`` to download (the caller got it from
    :func:`~services.uploads.selectors.document_get_for`). A download by the handling agency's
    staff is recorded as an access to the owner's personal data (UU PDP)."""
    from accounts.services import personal_data_access_record
    from services.uploads.selectors import is_handling_staff

    handle = document.file.storage.open(document.file.name, "rb")
    # A file a system channel received has no owner: no one's personal data access to record.
    if document.owner_id is not None and is_handling_staff(user=actor, document=document):
        personal_data_access_record(
            accessor=actor, subject=document.owner, field="document", channel=channel
        )
    return handle

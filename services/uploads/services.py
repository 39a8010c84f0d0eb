"""Writes on documents. The API, the portal and every module call these.

``document_upload`` checks the file (:mod:`services.uploads.validation`) before anything is
stored, writes it to the private default storage under a random name, then inserts the row; if
the insert fails the file is removed again. An image is cleaned afterwards by
:func:`document_process` on the ``images`` Celery queue.
"""

from __future__ import annotations

import logging
import math
import secrets
from datetime import timedelta
from functools import partial

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
    DocumentRejected,
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
    """Check and store ``file`` (a Django ``File``/``UploadedFile``) for ``owner``.

    Raises :class:`~services.uploads.exceptions.DocumentRejected` (nothing is stored) when the
    file is not an acceptable JPEG, PNG or PDF (see ``exceptions.py`` for the codes). With
    ``quota`` (a citizen uploading, not a document the system issues to them) the owner's daily
    upload quota is checked (:func:`upload_quota_check`).

    Only the cheap checks run here (:func:`~services.uploads.validation.inspect_file`: the type
    from the content, an image's header and end marker; a PDF completely). An image is stored as
    uploaded with ``is_processed=False`` and, once the row is committed, queued for
    :func:`document_process` on the ``images`` queue, which decodes it and re-encodes it without
    its EXIF data. Decoding and re-encoding a 2 MB photo cost ~150 ms of a web worker; the
    citizen does not wait for them (issue 10). Until then the file is private as every document
    is, and no public copy is made from it (``complaint_make_public_photos`` processes it first).

    What is in memory: the file's bytes (at most ``UPLOAD_MAX_SIZE``; the upload itself was
    streamed to a temporary file by Django above ``FILE_UPLOAD_MAX_MEMORY_SIZE``).
    """
    purpose = (purpose or "").strip()[:PURPOSE_MAX_LENGTH]
    data = validation.read_limited(file, settings.UPLOAD_MAX_SIZE)
    checked = validation.inspect_file(data)
    if quota:
        upload_quota_check(owner=owner, size=checked.size)
    original_name = validation.sanitise_name(getattr(file, "name", ""))
    is_image = checked.content_type != Document.Kind.PDF

    document = Document(
        owner=owner,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        pages=checked.pages,
        width=checked.width,
        height=checked.height,
        original_name=original_name,
        purpose=purpose,
        is_processed=not is_image,
    )
    document.file.save(storage_name(checked.content_type), ContentFile(checked.content), save=False)
    try:
        document.save(force_insert=True)  # one statement: atomic without BEGIN/COMMIT around it
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    if is_image:
        transaction.on_commit(partial(_queue_processing, document.pk), robust=True)
    return document


def _queue_processing(document_id: int) -> None:
    from services.uploads.tasks import document_process as task

    task.delay(document_id)


PROCESSING_GRACE = timedelta(minutes=5)


def documents_queue_unprocessed(*, now=None) -> int:
    """Beat: queue again the processing of images still unprocessed five minutes after their
    upload (the task queued after commit is lost when the broker was down at that moment).
    Idempotent; returns how many were queued (at most 500 a run)."""
    now = now or timezone.now()
    ids = list(
        Document.objects.filter(is_processed=False, created_at__lte=now - PROCESSING_GRACE)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for document_id in ids:
        _queue_processing(document_id)
    return len(ids)


def document_process(*, document_id: int) -> bool:
    """Decode an uploaded image and store it re-encoded without metadata
    (:func:`~services.uploads.validation.clean_file`), then mark it processed. Idempotent: a
    processed or deleted document is left alone, and of two runs at once the first to lock the
    row wins (the other removes the file it wrote). Returns whether this run processed it.

    The heavy part (decode, re-encode, write the new file) runs outside any transaction; the row
    is locked only to swap the file. The uploaded original is removed after commit.

    An image that passed the request's header check but cannot be decoded stays unprocessed
    (private, never made public) and is logged by its UUID."""
    document = Document.objects.filter(pk=document_id, is_processed=False).first()
    if document is None:
        return False
    original = document.file.name
    try:
        with document.file.storage.open(original, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        logger.error("The file of document %s is missing from the storage", document.uuid)
        return False
    try:
        clean = validation.clean_file(data)
    except DocumentRejected as exc:
        logger.warning(
            "Document %s could not be processed (%s); it stays private and unprocessed",
            document.uuid,
            exc.detail.code,
        )
        return False
    storage = document.file.storage
    new_name = storage.save(storage_name(clean.content_type), ContentFile(clean.content))
    with transaction.atomic():
        locked = Document.objects.select_for_update().filter(pk=document_id).first()
        if locked is None or locked.is_processed or locked.file.name != original:
            transaction.on_commit(partial(_delete_file, storage, new_name))
            return False
        locked.file.name = new_name
        locked.size = clean.size
        locked.sha256 = clean.sha256
        locked.width = clean.width
        locked.height = clean.height
        locked.is_processed = True
        locked.save(update_fields=["file", "size", "sha256", "width", "height", "is_processed"])
        transaction.on_commit(partial(_delete_file, storage, original))
    return True


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

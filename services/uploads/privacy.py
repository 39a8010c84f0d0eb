"""What ``services.uploads`` holds about a person (see :mod:`privacy.registry`): the documents they
uploaded — metadata in ``data.json``, the files themselves under ``files/documents/``.

On erasure (after the modules, which delete or keep the requests the documents belong to): a
document not attached to anything goes with its file; one still attached (a complaint's photo, the
output of a kept request) stays with the handling agency, without an owner. Uploads never attached
go after ``PRIVACY_DRAFT_RETENTION_DAYS``."""

import datetime as dt

from django.conf import settings

from privacy import registry
from privacy.helpers import documents_delete, rows
from services.uploads.models import Document


def export(user) -> list[dict]:
    return rows(
        Document.objects.filter(owner=user).order_by("created_at"),
        [
            "uuid",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "purpose",
            "created_at",
            "attached_at",
            "object_type__model",
        ],
    )


def files(user):
    for document in (
        Document.objects.filter(owner=user)
        .order_by("created_at")
        .only("uuid", "file", "original_name", "content_type")
    ):
        yield f"{document.uuid}-{document.download_name}", document.file


def erase(user) -> dict[str, int]:
    owned = Document.objects.filter(owner=user)
    return {
        "deleted": documents_delete(owned.filter(object_id__isnull=True)),
        "unlinked": owned.update(owner=None),
    }


def purge(now) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=settings.PRIVACY_DRAFT_RETENTION_DAYS)
    return {
        "unattached": documents_delete(
            Document.objects.filter(object_id__isnull=True, created_at__lt=cutoff)
        )
    }


registry.register("documents", export=export, files=files, erase=erase, purge=purge, order=700)

"""The one way a document's bytes leave the server (used by the API and the admin)."""

from __future__ import annotations

import logging

from django.http import FileResponse, Http404

from services.uploads import services
from services.uploads.models import Document

logger = logging.getLogger(__name__)


def document_download_response(*, actor, document: Document, channel: str) -> FileResponse:
    """Stream ``document`` as an attachment with its detected type; never cached, never sniffed.

    The caller got ``document`` from :func:`~services.uploads.selectors.document_get_for`.
    """
    try:
        handle = services.document_open(actor=actor, document=document, channel=channel)
    except FileNotFoundError:
        logger.error("The file of document %s is missing from the storage", document.uuid)
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

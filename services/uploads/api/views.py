"""``/api/v1/documents/``: upload, read, download and delete private documents.

Thin: each view checks the shape with a serializer, reads through a selector scoped to the caller
and writes through ``services.uploads.services``. Upload refusals are answered as a validation
error on ``file`` with the codes listed in ``services/uploads/exceptions.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from services.uploads import selectors, services, validation
from services.uploads.api.serializers import DocumentSerializer, DocumentUploadInputSerializer
from services.uploads.exceptions import (
    UPLOAD_ERROR_CODES,
    DocumentRejected,
    UploadQuotaExceeded,
)
from services.uploads.http import document_download_response
from services.uploads.models import Document

TAGS = ["documents"]
# Room for the multipart boundaries, part headers and the ``purpose`` field around the file.
MULTIPART_OVERHEAD = 64 * 1024


def _file_error(exc: DocumentRejected) -> ValidationError:
    return ValidationError({"file": [exc.detail]})


def _get_or_404(request: Request, uuid) -> Document:
    document = selectors.document_get_for(user=request.user, uuid=uuid)
    if document is None:
        raise NotFound(_("No document found."))
    return document


@extend_validation_errors(list(UPLOAD_ERROR_CODES), field_name="file", methods=["post"])
class DocumentUploadView(APIView):
    """Upload a private document (the only view that accepts multipart)."""

    parser_classes = [MultiPartParser]
    throttle_scope = "upload"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]

    def initial(self, request: Request, *args, **kwargs) -> None:
        # Refuse an oversized body from its Content-Length, before anything (authentication's
        # CSRF check included) reads and parses it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        max_size = settings.UPLOAD_MAX_SIZE
        if length > max_size + MULTIPART_OVERHEAD:
            raise _file_error(validation.too_large(max_size))
        super().initial(request, *args, **kwargs)

    @extend_schema(
        operation_id="documents_upload",
        description=(
            "Upload a JPEG, PNG or PDF (at most `UPLOAD_MAX_SIZE`, 5 MB by default) as "
            "`multipart/form-data`. The content decides the type: the file name and the declared "
            "type are ignored. Images are checked from their header at once and re-encoded "
            "without their EXIF data (GPS position included) moments later (`is_processed`); "
            "PDFs are checked and their pages counted. The document is private: only "
            "you, and the staff of the agency handling the request it is later attached to, can "
            "read it."
        ),
        request=DocumentUploadInputSerializer,  # multipart/form-data: the view's only parser
        responses={201: DocumentSerializer},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = DocumentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            document = services.document_upload(
                owner=request.user,
                file=serializer.validated_data["file"],
                purpose=serializer.validated_data["purpose"],
                quota=True,
            )
        except UploadQuotaExceeded:
            raise  # 429 with Retry-After, not a complaint about the file
        except DocumentRejected as exc:
            raise _file_error(exc) from exc
        return Response(
            DocumentSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class DocumentDetailView(APIView):
    """A document's metadata; its owner may delete it while it is not attached."""

    @extend_schema(operation_id="documents_retrieve", responses=DocumentSerializer, tags=TAGS)
    def get(self, request: Request, uuid) -> Response:
        document = _get_or_404(request, uuid)
        return Response(DocumentSerializer(document, context={"request": request}).data)

    @extend_schema(
        operation_id="documents_delete",
        description=(
            "Delete one of your documents. A document attached to a request stays (409 "
            "`document_attached`); staff cannot delete documents (403 `not_allowed`)."
        ),
        request=None,
        responses={204: OpenApiResponse(description=_("Deleted."))},
        tags=TAGS,
    )
    def delete(self, request: Request, uuid) -> Response:
        document = _get_or_404(request, uuid)
        services.document_delete(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentDownloadView(APIView):
    """The file itself, as an attachment."""

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The file ignores renderers; a client asking for `Accept: application/pdf` must not be
        # told 406. Errors are rendered as JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="documents_download",
        description=(
            "The file with its detected type, as an attachment (`Content-Disposition: "
            "attachment`), never cached (`Cache-Control: private, no-store`) and never sniffed "
            "(`X-Content-Type-Options: nosniff`). A download by agency staff is recorded."
        ),
        responses={
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            (200, "application/pdf"): OpenApiTypes.BINARY,
        },
        tags=TAGS,
    )
    def get(self, request: Request, uuid):
        document = _get_or_404(request, uuid)
        return document_download_response(actor=request.user, document=document, channel="api")

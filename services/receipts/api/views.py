"""``/api/v1/receipts/``: the owner's receipt and its PDF, public verification, public keys."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from services.receipts import selectors, signing
from services.receipts.api.serializers import (
    ReceiptPublicKeySerializer,
    ReceiptSerializer,
    ReceiptUnknownErrorResponseSerializer,
    ReceiptVerificationSerializer,
)
from services.receipts.exceptions import ReceiptUnknown
from services.receipts.http import receipt_pdf_response

TAGS = ["receipts"]


def _get_or_404(request: Request, uuid):
    receipt = selectors.receipt_get_for(user=request.user, uuid=uuid)
    if receipt is None:
        raise NotFound(_("No receipt found."))
    return receipt


class ReceiptDetailView(APIView):
    @extend_schema(operation_id="receipts_retrieve", responses=ReceiptSerializer, tags=TAGS)
    def get(self, request: Request, uuid) -> Response:
        receipt = _get_or_404(request, uuid)
        return Response(ReceiptSerializer(receipt, context={"request": request}).data)


class ReceiptPdfView(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        return super().perform_content_negotiation(request, force=True)  # see DocumentDownloadView

    @extend_schema(
        operation_id="receipts_pdf",
        description="The receipt as a one-page PDF with its QR code, as an attachment.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        tags=TAGS,
    )
    def get(self, request: Request, uuid) -> HttpResponse:
        return receipt_pdf_response(_get_or_404(request, uuid))


class PublicThrottled(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "lookup"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]


class ReceiptVerifyView(PublicThrottled):
    @extend_schema(
        operation_id="receipts_verify",
        description=(
            "Check a receipt by its public code (no login). Unknown codes answer 404 "
            "`receipt_unknown`. Shows nothing personal beyond a masked name."
        ),
        parameters=[
            OpenApiParameter(
                "s",
                OpenApiTypes.STR,
                description=(
                    "The start of the signature, as carried by the receipt's QR code; a "
                    "mismatch reports the receipt as `tampered`."
                ),
            )
        ],
        responses={200: ReceiptVerificationSerializer, 404: ReceiptUnknownErrorResponseSerializer},
        tags=TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        verification = selectors.receipt_verify(
            code=code, short_signature=request.query_params.get("s") or None
        )
        if verification.result == selectors.VerificationResult.UNKNOWN:
            raise ReceiptUnknown()
        receipt = verification.receipt
        return Response(
            ReceiptVerificationSerializer(
                {
                    "result": verification.result,
                    "signature_valid": verification.signature_valid,
                    "receipt": receipt,
                    "payload": receipt.payload if receipt else None,
                    "signature": receipt.signature if receipt else None,
                    "key_id": receipt.key_id if receipt else None,
                }
            ).data
        )


class ReceiptPublicKeysView(PublicThrottled):
    @extend_schema(
        operation_id="receipts_public_keys",
        description=(
            "The Ed25519 public keys that sign receipts, so that anyone can check a receipt's "
            "`payload` and `signature` themselves, offline."
        ),
        responses=ReceiptPublicKeySerializer(many=True),
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        current = signing.current_key_id()
        keys = [
            {
                "key_id": key_id,
                "algorithm": signing.ALGORITHM,
                "public_key": signing.public_key_pem(key),
                "current": key_id == current,
            }
            for key_id, key in signing.public_keys().items()
        ]
        return Response(ReceiptPublicKeySerializer(keys, many=True).data)

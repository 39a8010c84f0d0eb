"""``/api/v1/me/privacy/``: the signed-in person's rights over their personal data (UU PDP).

Thin: each view checks the shape with a serializer, reads through a selector scoped to the caller
and writes through ``privacy.services``. Error codes are listed in ``privacy/exceptions.py``.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from privacy import selectors, services
from privacy.api.serializers import (
    CorrectionCreate409,
    CorrectionInputSerializer,
    CorrectionSerializer,
    Erase403,
    Erase409,
    ErasureInputSerializer,
    ExportCreate409,
    ExportDownload409,
    ExportDownload410,
    ExportSerializer,
)
from privacy.exceptions import ReauthenticationRequired
from privacy.models import CorrectionRequest, ExportRequest

TAGS = ["privacy"]


class NewestFirst(StrictCursorPagination):
    ordering = ("-created_at", "-id")


def _export_or_404(request: Request, uuid) -> ExportRequest:
    export = selectors.export_get_for(user=request.user, uuid=uuid)
    if export is None:
        raise NotFound(_("No export found."))
    return export


class ExportListView(generics.ListAPIView):
    """Your exports of personal data; ask for a new one with POST."""

    serializer_class = ExportSerializer
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportRequest.objects.none()
        return selectors.export_list_for(user=self.request.user)

    @extend_schema(operation_id="privacy_exports_list", tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="privacy_exports_create",
        description=(
            "Ask for a copy of everything the city's services hold about you (UU PDP art. 7): a "
            "ZIP with `data.json` and the files you uploaded, prepared in the background "
            "(you are notified). One export is prepared at a time (409 `export_pending`); at most "
            "`PRIVACY_EXPORTS_PER_DAY` in 24 hours (429 with `Retry-After`)."
        ),
        request=None,
        responses={202: ExportSerializer, 409: ExportCreate409},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        export = services.export_request_create(user=request.user)
        return Response(
            ExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED,
        )


class ExportDetailView(APIView):
    @extend_schema(
        operation_id="privacy_exports_retrieve",
        description="The state of one of your exports; `download_url` is set once it is ready.",
        responses=ExportSerializer,
        tags=TAGS,
    )
    def get(self, request: Request, uuid) -> Response:
        export = _export_or_404(request, uuid)
        return Response(ExportSerializer(export, context={"request": request}).data)


class ExportDownloadView(APIView):
    def perform_content_negotiation(self, request: Request, force: bool = False):
        # The ZIP ignores renderers; errors are JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="privacy_exports_download",
        description=(
            "The ZIP, once: after the first download, and after `expires_at` "
            "(`PRIVACY_EXPORT_TTL_HOURS`), the answer is 410 `export_gone` and the file is "
            "deleted. 409 `export_not_ready` while it is being prepared."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The ZIP."),
            409: ExportDownload409,
            410: ExportDownload410,
        },
        tags=TAGS,
    )
    def get(self, request: Request, uuid) -> FileResponse:
        export = _export_or_404(request, uuid)
        stream = services.export_take(export=export)
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=f"data-pribadi-{export.created_at:%Y%m%d}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "no-store"
        return response


class CorrectionListView(generics.ListAPIView):
    """Your requests to correct identity data; file a new one with POST."""

    serializer_class = CorrectionSerializer
    pagination_class = NewestFirst
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CorrectionRequest.objects.none()
        return selectors.correction_list_for(user=self.request.user)

    @extend_schema(operation_id="privacy_corrections_list", tags=TAGS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="privacy_corrections_create",
        description=(
            "Ask to correct identity data that only verified staff may change: your full name, "
            "NIK (your date of birth is part of it) or home kelurahan (by its code). Disdukcapil "
            "staff answer within 3 × 24 hours (`due_at`, UU PDP art. 6). Your e-mail address and "
            "phone number you change yourself, with a verification code (allauth). 409 "
            "`correction_pending` while a correction of the same data waits."
        ),
        request=CorrectionInputSerializer,
        responses={201: CorrectionSerializer, 409: CorrectionCreate409},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = CorrectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = services.correction_create(user=request.user, **serializer.validated_data)
        correction = selectors.correction_get_for(user=request.user, uuid=correction.uuid)
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)


class CorrectionDetailView(APIView):
    @extend_schema(
        operation_id="privacy_corrections_retrieve", responses=CorrectionSerializer, tags=TAGS
    )
    def get(self, request: Request, uuid) -> Response:
        correction = selectors.correction_get_for(user=request.user, uuid=uuid)
        if correction is None:
            raise NotFound(_("No correction request found."))
        return Response(CorrectionSerializer(correction).data)


def confirm_identity(request, password: str) -> None:
    """The deletion needs the password again, or (an account without one) a sign-in in the last
    few minutes (allauth's reauthentication)."""
    from rest_framework.exceptions import ValidationError

    user = request.user
    if user.has_usable_password():
        if not password or not user.check_password(password):
            raise ValidationError(
                {"password": [_("The password is not correct.")]}, code="password_incorrect"
            )
        return
    try:
        from allauth.account.internal.flows.reauthentication import did_recently_reauthenticate

        recent = did_recently_reauthenticate(getattr(request, "_request", request))
    except ImportError:  # pragma: no cover - allauth moved it
        recent = False
    if not recent:
        raise ReauthenticationRequired(
            _("Sign in again (a code is sent to you), then delete your account within 5 minutes.")
        )


class ErasureView(APIView):
    # The password is checked here: the tighter "auth" rate, as for sign-in.
    throttle_scope = "auth"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]

    @extend_schema(
        operation_id="privacy_erase_account",
        description=(
            "Delete your account (UU PDP art. 8 and 16): your personal data are erased or made "
            "anonymous at once, and you are signed out everywhere. Records the law requires the "
            "city to keep (payments, issued documents, complaints) stay without your name; see "
            "docs/privacy.md. Refused (409 `open_requests`) while a request of yours is being "
            "handled. Needs your password (400 `password_incorrect`) or, for an account without "
            "one, a recent sign-in (403 `reauthentication_required`)."
        ),
        request=ErasureInputSerializer,
        responses={
            204: OpenApiResponse(description=_("Deleted.")),
            403: Erase403,
            409: Erase409,
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        serializer = ErasureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirm_identity(request, serializer.validated_data.get("password", ""))
        services.account_erase(user=request.user)
        from django.contrib.auth import logout

        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""``/api/v1/pencatatan-sipil/``: the citizen's requests. Thin: shape in, selector, service, out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import AccessLoggedAPIMixin
from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.errors import ErrorResponse409Serializer
from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
from balikpapan_untuk_warga.api.query import query_validated
from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from civil_registry import selectors, services
from civil_registry.api.serializers import (
    CivilRequestCancelInputSerializer,
    CivilRequestCreateInputSerializer,
    CivilRequestDetailSerializer,
    CivilRequestDocumentInputSerializer,
    CivilRequestDocumentSerializer,
    CivilRequestHistorySerializer,
    CivilRequestSerializer,
    CivilRequestTypeSerializer,
    CivilRequestUpdateInputSerializer,
    CivilVerificationQuerySerializer,
    CivilVerificationSerializer,
)
from civil_registry.exceptions import NotAllowedForSubject
from civil_registry.types import REQUEST_TYPES, TYPE_CHOICES
from civil_registry.workflow import State
from services.models import Kelurahan
from services.workflow.api import citizen_requests

TAG = ["pencatatan-sipil"]


class RequestAPI(citizen_requests.CitizenRequestAPIMixin):
    # A request of the caller's (or of their agency's, for staff); commands need their own.
    # (A comment, not a docstring: drf-spectacular would publish it on every operation.)

    not_found_message = _("No request found.")
    detail_serializer_class = CivilRequestDetailSerializer
    object_kwarg = "request"

    def lookup(self, *, user, uuid):
        return selectors.request_get_for(user=user, uuid=uuid)


def _kelurahan(code: str | None):
    if not code:
        return None
    kelurahan = Kelurahan.objects.filter(code=code).first()
    if kelurahan is None:
        raise ValidationError({"kelurahan": [_("Unknown kelurahan code.")]}, code="invalid")
    return kelurahan


class RequestTypeListView(APIView):
    @extend_schema(
        operation_id="civil_registry_types_list",
        responses=CivilRequestTypeSerializer(many=True),
        tags=TAG,
    )
    def get(self, request):
        return Response(CivilRequestTypeSerializer(REQUEST_TYPES.values(), many=True).data)


class RequestPagination(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class RequestListView(RequestAPI, ListAPIView):
    serializer_class = CivilRequestSerializer
    pagination_class = RequestPagination
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.request_list_for(user=self.request.user)
        params = query_validated(self.request, _ListFilterSerializer)
        if params.get("state"):
            queryset = queryset.filter(state=params["state"])
        if params.get("request_type"):
            queryset = queryset.filter(request_type=params["request_type"])
        return queryset

    @extend_schema(
        operation_id="civil_registry_requests_list",
        parameters=[
            OpenApiParameter("state", enum=State.values, required=False),
            OpenApiParameter(
                "request_type", enum=[c for c, _label in TYPE_CHOICES], required=False
            ),
        ],
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="civil_registry_requests_create",
        request=CivilRequestCreateInputSerializer,
        responses={201: CivilRequestDetailSerializer},  # 503 agency_not_configured: every operation
        tags=TAG,
    )
    def post(self, request):
        data = CivilRequestCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        member = None
        if values.get("subject_member"):
            # unknown uuid and stranger alike: the same 400, nothing about who exists
            member = HouseholdMember.objects.filter(uuid=values["subject_member"]).first()
            if member is None:
                raise NotAllowedForSubject()
        obj = services.request_create(
            actor=request.user,
            request_type=values["request_type"],
            subject_data=values.get("subject_data") or {},
            subject_member=member,
            kelurahan=_kelurahan(values.get("kelurahan")),
        )
        return self.detail_response(request, obj, status.HTTP_201_CREATED)


class _ListFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    request_type = serializers.ChoiceField(choices=TYPE_CHOICES, required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.CharField(required=False)


class RequestDetailView(AccessLoggedAPIMixin, RequestAPI, APIView):
    @extend_schema(
        operation_id="civil_registry_requests_retrieve",
        responses=CivilRequestDetailSerializer,
        tags=TAG,
    )
    def get(self, request, uuid):
        obj = self.get_object_for(request, uuid)
        self.log_access(request, obj)
        return Response(CivilRequestDetailSerializer(obj).data)

    @extend_schema(
        operation_id="civil_registry_requests_partial_update",
        request=CivilRequestUpdateInputSerializer,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def patch(self, request, uuid):
        obj = self.get_owned(request, uuid)
        data = CivilRequestUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.request_update(
            actor=request.user,
            request=obj,
            subject_data=data.validated_data.get("subject_data"),
            kelurahan=_kelurahan(data.validated_data.get("kelurahan")),
        )
        return self.detail_response(request, obj)


@extend_schema_view(
    post=extend_schema(
        operation_id="civil_registry_requests_documents_create",
        request=CivilRequestDocumentInputSerializer,
        responses={201: CivilRequestDocumentSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class RequestDocumentView(RequestAPI, citizen_requests.DocumentAttachView):
    document_input_serializer_class = CivilRequestDocumentInputSerializer
    document_serializer_class = CivilRequestDocumentSerializer
    attach_service = services.request_document_attach


@extend_schema_view(
    post=extend_schema(
        operation_id="civil_registry_requests_submit",
        request=None,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class RequestSubmitView(RequestAPI, citizen_requests.SubmitView):
    submit_service = services.request_submit


@extend_schema_view(
    post=extend_schema(
        operation_id="civil_registry_requests_cancel",
        request=CivilRequestCancelInputSerializer,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class RequestCancelView(RequestAPI, citizen_requests.CancelView):
    cancel_input_serializer_class = CivilRequestCancelInputSerializer
    cancel_service = services.request_cancel


@extend_schema_view(
    get=extend_schema(
        operation_id="civil_registry_requests_history",
        responses=CivilRequestHistorySerializer(many=True),
        tags=TAG,
    )
)
class RequestHistoryView(RequestAPI, citizen_requests.HistoryView):
    history_serializer_class = CivilRequestHistorySerializer


@extend_schema_view(
    get=extend_schema(
        operation_id="civil_registry_requests_issued_document",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")
        },
        tags=TAG,
    )
)
class IssuedDocumentView(RequestAPI, citizen_requests.OutputDocumentView):
    document_field = "issued_document"


class VerificationView(APIView):
    """Public: is this issued document authentic, and is this file (its SHA-256) the one?"""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "lookup"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]

    @extend_schema(
        operation_id="civil_registry_verify",
        parameters=[CivilVerificationQuerySerializer],
        responses=CivilVerificationSerializer,
        tags=TAG,
        auth=[],
    )
    def get(self, request, code):
        params = query_validated(request, CivilVerificationQuerySerializer)
        check = selectors.issued_document_check(code=code)
        if check is None or check.receipt is None:  # unknown, or its data cannot be trusted
            raise NotFound(_("No document has this code."))
        receipt = check.receipt
        return Response(
            CivilVerificationSerializer(
                {
                    "code": receipt.code,
                    "is_valid": check.verification.signature_valid and not receipt.is_revoked,
                    "status": receipt.status,
                    "title": receipt.title,
                    "issued_at": receipt.issued_at,
                    "masked_name": receipt.masked_name,
                    "tracking_number": receipt.tracking_number,
                    "file_matches": check.file_matches(params.get("sha256")),
                }
            ).data
        )

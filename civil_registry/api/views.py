"""``/api/v1/pencatatan-sipil/``: the citizen's requests. Thin: shape in, selector, service, out."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import HouseholdMember
from balikpapan_untuk_warga.api.errors import ErrorResponse409Serializer
from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
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
from civil_registry.models import CivilRequest
from civil_registry.types import REQUEST_TYPES, TYPE_CHOICES
from civil_registry.workflow import State
from services.models import Kelurahan
from services.uploads.http import document_download_response
from services.workflow import history_for

TAG = ["pencatatan-sipil"]


def _get(request, uuid) -> CivilRequest:
    obj = selectors.request_get_for(user=request.user, uuid=uuid)
    if obj is None:
        raise NotFound(_("No request found."))
    return obj


def _owned(request, uuid) -> CivilRequest:
    """Citizen commands act only on the caller's own requests (staff use the admin)."""
    obj = _get(request, uuid)
    if obj.owner_id != request.user.pk:
        raise NotFound(_("No request found."))
    return obj


def _kelurahan(code: str | None):
    if not code:
        return None
    kelurahan = Kelurahan.objects.filter(code=code).first()
    if kelurahan is None:
        raise ValidationError({"kelurahan": [_("Unknown kelurahan code.")]}, code="invalid")
    return kelurahan


def _detail(request, obj: CivilRequest, status_code=status.HTTP_200_OK) -> Response:
    obj = selectors.request_get_for(user=request.user, uuid=obj.uuid)
    return Response(CivilRequestDetailSerializer(obj).data, status=status_code)


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


class RequestListView(ListAPIView):
    serializer_class = CivilRequestSerializer
    pagination_class = RequestPagination
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.request_list_for(user=self.request.user)
        params = _ListFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        if params.validated_data.get("state"):
            queryset = queryset.filter(state=params.validated_data["state"])
        if params.validated_data.get("request_type"):
            queryset = queryset.filter(request_type=params.validated_data["request_type"])
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
        responses={201: CivilRequestDetailSerializer},
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
        return _detail(request, obj, status.HTTP_201_CREATED)


class _ListFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    request_type = serializers.ChoiceField(choices=TYPE_CHOICES, required=False)
    cursor = serializers.CharField(required=False)
    page_size = serializers.CharField(required=False)


class RequestDetailView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_retrieve",
        responses=CivilRequestDetailSerializer,
        tags=TAG,
    )
    def get(self, request, uuid):
        return Response(CivilRequestDetailSerializer(_get(request, uuid)).data)

    @extend_schema(
        operation_id="civil_registry_requests_partial_update",
        request=CivilRequestUpdateInputSerializer,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def patch(self, request, uuid):
        obj = _owned(request, uuid)
        data = CivilRequestUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.request_update(
            actor=request.user,
            request=obj,
            subject_data=data.validated_data.get("subject_data"),
            kelurahan=_kelurahan(data.validated_data.get("kelurahan")),
        )
        return _detail(request, obj)


class RequestDocumentView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_documents_create",
        request=CivilRequestDocumentInputSerializer,
        responses={201: CivilRequestDocumentSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def post(self, request, uuid):
        obj = _owned(request, uuid)
        data = CivilRequestDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.request_document_attach(
            actor=request.user,
            request=obj,
            requirement=data.validated_data["requirement"],
            document_uuid=data.validated_data["document"],
        )
        return Response(CivilRequestDocumentSerializer(link).data, status=status.HTTP_201_CREATED)


class RequestSubmitView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_submit",
        request=None,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def post(self, request, uuid):
        obj = services.request_submit(actor=request.user, request=_owned(request, uuid))
        return _detail(request, obj)


class RequestCancelView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_cancel",
        request=CivilRequestCancelInputSerializer,
        responses={200: CivilRequestDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def post(self, request, uuid):
        obj = _owned(request, uuid)
        data = CivilRequestCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.request_cancel(
            actor=request.user, request=obj, note=data.validated_data.get("note", "")
        )
        return _detail(request, obj)


class RequestHistoryView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_history",
        responses=CivilRequestHistorySerializer(many=True),
        tags=TAG,
    )
    def get(self, request, uuid):
        rows = history_for(obj=_get(request, uuid), viewer=request.user)
        return Response(CivilRequestHistorySerializer(rows, many=True).data)


class IssuedDocumentView(APIView):
    @extend_schema(
        operation_id="civil_registry_requests_issued_document",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")
        },
        tags=TAG,
    )
    def get(self, request, uuid):
        obj = _get(request, uuid)
        if obj.issued_document is None:
            raise Http404
        return document_download_response(
            actor=request.user, document=obj.issued_document, channel="api"
        )


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
        params = CivilVerificationQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
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
                    "file_matches": check.file_matches(params.validated_data.get("sha256")),
                }
            ).data
        )

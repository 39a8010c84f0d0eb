"""``/api/v1/permohonan/``: published forms (as JSON Schema + UI hints) and the citizen's
applications. Thin: shape in, selector, service, out."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import definition, selectors, services
from applications.api.serializers import (
    ApplicationCancelInputSerializer,
    ApplicationCreateInputSerializer,
    ApplicationDetailSerializer,
    ApplicationDocumentInputSerializer,
    ApplicationDocumentSerializer,
    ApplicationFormDetailSerializer,
    ApplicationFormSerializer,
    ApplicationHistorySerializer,
    ApplicationListQuerySerializer,
    ApplicationSerializer,
    ApplicationUpdateInputSerializer,
    ApplicationValidateInputSerializer,
    ApplicationValidateResultSerializer,
    ApplicationVersionDefinitionSerializer,
)
from applications.workflow import State
from balikpapan_untuk_warga.api.errors import ErrorResponse409Serializer
from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
from balikpapan_untuk_warga.api.query import query_validated
from services.workflow.api import citizen_requests

TAG = ["permohonan"]


def _form(key):
    form = selectors.form_get_published(key=key)
    if form is None:
        raise NotFound(_("No published form found."))
    return form


class ApplicationAPI(citizen_requests.CitizenRequestAPIMixin):
    # An application of the caller's (or of their agency's, for staff); commands need their
    # own. (A comment, not a docstring: drf-spectacular would publish it on every operation.)

    not_found_message = _("No application found.")
    detail_serializer_class = ApplicationDetailSerializer
    object_kwarg = "application"

    def lookup(self, *, user, uuid):
        return selectors.application_get_for(user=user, uuid=uuid)


class FormPagination(StrictCursorPagination):
    ordering = ("id",)


class FormListView(ListAPIView):
    """The services citizens can apply for online now (public)."""

    permission_classes = [AllowAny]
    serializer_class = ApplicationFormSerializer
    pagination_class = FormPagination
    filter_backends = []

    def get_queryset(self):
        return selectors.form_list_published()

    @extend_schema(operation_id="applications_forms_list", tags=TAG, auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FormDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="applications_forms_retrieve",
        description="The published version of a form (by uuid or catalog service code): its "
        "JSON Schema (draft 2020-12) of the answers and the UI hints to render it.",
        responses=ApplicationFormDetailSerializer,
        tags=TAG,
        auth=[],
    )
    def get(self, request, key):
        return Response(ApplicationFormDetailSerializer(_form(key)).data)


class FormValidateView(APIView):
    @extend_schema(
        operation_id="applications_forms_validate",
        description="Check complete answers against the published version without saving; "
        "the errors are those submission would give (attr ``answers.<key>``).",
        request=ApplicationValidateInputSerializer,
        responses=ApplicationValidateResultSerializer,
        tags=TAG,
    )
    def post(self, request, key):
        form = _form(key)
        data = ApplicationValidateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        spec = form.current_version.spec
        cleaned = definition.validate_answers(spec, data.validated_data["answers"])
        documents = [
            {"code": r["code"], "label": definition.text_in(r, "label"), "required": True}
            for r in definition.needed_requirements(spec, cleaned)
        ]
        return Response(
            ApplicationValidateResultSerializer({"valid": True, "documents": documents}).data
        )


class ApplicationPagination(StrictCursorPagination):
    ordering = ("-created_at", "-id")


class ApplicationListView(ApplicationAPI, ListAPIView):
    serializer_class = ApplicationSerializer
    pagination_class = ApplicationPagination
    filter_backends = []

    def get_queryset(self):
        queryset = selectors.application_list_for(user=self.request.user).select_related(
            "form", "version"
        )
        params = query_validated(self.request, ApplicationListQuerySerializer)
        if params.get("state"):
            queryset = queryset.filter(state=params["state"])
        if params.get("service_code"):
            queryset = queryset.filter(service_code=params["service_code"])
        return queryset

    @extend_schema(
        operation_id="applications_list",
        parameters=[
            OpenApiParameter("state", enum=State.values, required=False),
            OpenApiParameter("service_code", str, required=False),
        ],
        tags=TAG,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="applications_create",
        description="Start a draft with the form's published version; answers given are "
        "checked field by field now and completely on submission.",
        request=ApplicationCreateInputSerializer,
        responses={201: ApplicationDetailSerializer},
        tags=TAG,
    )
    def post(self, request):
        data = ApplicationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = selectors.form_get_published(key=data.validated_data["form"])
        if form is None:
            from applications.exceptions import FormNotPublished

            raise FormNotPublished()
        obj = services.application_create(
            actor=request.user, form=form, answers=data.validated_data.get("answers") or {}
        )
        return self.detail_response(request, obj, status.HTTP_201_CREATED)


class ApplicationDetailView(ApplicationAPI, APIView):
    @extend_schema(
        operation_id="applications_retrieve", responses=ApplicationDetailSerializer, tags=TAG
    )
    def get(self, request, uuid):
        return Response(ApplicationDetailSerializer(self.get_object_for(request, uuid)).data)

    @extend_schema(
        operation_id="applications_partial_update",
        request=ApplicationUpdateInputSerializer,
        responses={200: ApplicationDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
    def patch(self, request, uuid):
        obj = self.get_owned(request, uuid)
        data = ApplicationUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        obj = services.application_update(
            actor=request.user, application=obj, answers=data.validated_data["answers"]
        )
        return self.detail_response(request, obj)


class ApplicationDefinitionView(ApplicationAPI, APIView):
    @extend_schema(
        operation_id="applications_definition",
        description="The form version this application was filed with (JSON Schema + UI hints).",
        responses=ApplicationVersionDefinitionSerializer,
        tags=TAG,
    )
    def get(self, request, uuid):
        return Response(
            ApplicationVersionDefinitionSerializer(self.get_object_for(request, uuid).version).data
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="applications_documents_create",
        request=ApplicationDocumentInputSerializer,
        responses={201: ApplicationDocumentSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class ApplicationDocumentView(ApplicationAPI, citizen_requests.DocumentAttachView):
    document_input_serializer_class = ApplicationDocumentInputSerializer
    document_serializer_class = ApplicationDocumentSerializer
    attach_service = services.application_document_attach


@extend_schema_view(
    post=extend_schema(
        operation_id="applications_submit",
        request=None,
        responses={200: ApplicationDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class ApplicationSubmitView(ApplicationAPI, citizen_requests.SubmitView):
    submit_service = services.application_submit


@extend_schema_view(
    post=extend_schema(
        operation_id="applications_cancel",
        request=ApplicationCancelInputSerializer,
        responses={200: ApplicationDetailSerializer, 409: ErrorResponse409Serializer},
        tags=TAG,
    )
)
class ApplicationCancelView(ApplicationAPI, citizen_requests.CancelView):
    cancel_input_serializer_class = ApplicationCancelInputSerializer
    cancel_service = services.application_cancel


@extend_schema_view(
    get=extend_schema(
        operation_id="applications_history",
        responses=ApplicationHistorySerializer(many=True),
        tags=TAG,
    )
)
class ApplicationHistoryView(ApplicationAPI, citizen_requests.HistoryView):
    history_serializer_class = ApplicationHistorySerializer


@extend_schema_view(
    get=extend_schema(
        operation_id="applications_output",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF")
        },
        tags=TAG,
    )
)
class ApplicationOutputView(ApplicationAPI, citizen_requests.OutputDocumentView):
    document_field = "output_document"

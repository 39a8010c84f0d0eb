"""Shared API pieces for a module's *citizen requests*: a workflow model owned by a citizen, with
uploaded documents attached per requirement, moved by the citizen through ``submit`` and
``cancel`` and by staff in the admin (see ``civil_registry`` and ``applications``).

The classes below have no docstrings on purpose: drf-spectacular publishes the first docstring
of a view's or a serializer's class hierarchy as its description in ``docs/openapi.yaml``, and
these bases must add nothing to the modules' schema. A module subclasses them under its own
names (which name the schema components) and documents each operation with ``@extend_schema``
(``extend_schema_view`` on the subclass, as the HTTP method is inherited).

Serializers

* ``RequirementDocumentInputSerializer``: ``{"requirement", "document"}`` for
  ``POST …/<uuid>/documents/`` (the document is an uuid from ``POST /api/v1/documents/``).
* ``CancelInputSerializer``: ``{"note"}`` for ``POST …/<uuid>/cancel/``.
* ``HistoryRowSerializer``: a row of :func:`services.workflow.history_for` as the module's
  ``…/<uuid>/history/`` shows it; the subclass sets ``workflow_model`` (the enum of
  ``to_state`` and its label come from that model's workflow).

Views

* ``CitizenRequestAPIMixin``: finding the object for the caller. The module sets
  ``not_found_message``, ``detail_serializer_class`` and ``lookup(user=, uuid=)`` (its scoped
  selector). ``get_object_for`` is what the caller may see (staff of the handling agency
  included), ``get_owned`` what the caller owns (citizen commands; anything else is the same
  404), ``detail_response`` the detail re-read through the selector.
* ``DocumentAttachView``: ``POST`` attaches a document; sets ``document_serializer_class`` and
  ``attach_service`` (called with ``actor``, the object as ``object_kwarg``, ``requirement``
  and ``document_uuid``), answers 201 with the link.
* ``SubmitView``: ``POST`` calls ``submit_service(actor=…, <object_kwarg>=obj)``.
* ``CancelView``: ``POST`` with an optional note calls ``cancel_service(…, note=…)``.
* ``HistoryView``: ``GET`` the status history the caller may see (``history_serializer_class``).
* ``OutputDocumentView``: ``GET`` the PDF in the object's ``document_field`` (404 until there
  is one), through the uploads module's audited download.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from services.uploads.http import document_download_response
from services.workflow import history_for


class RequirementDocumentInputSerializer(serializers.Serializer):
    requirement = serializers.CharField(max_length=40)
    document = serializers.UUIDField(help_text="The uuid from POST /api/v1/documents/.")


class CancelInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class HistoryRowSerializer(serializers.Serializer):
    workflow_model = None  # the module's workflow model: states and labels of ``to_state``

    transition = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.ChoiceField(choices=[])
    to_state_label = serializers.SerializerMethodField()
    actor_role = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        fields["to_state"].choices = self.workflow_model.workflow.states.choices
        return fields

    def get_to_state_label(self, row) -> str:
        return str(self.workflow_model.workflow.label(row.to_state))


class CitizenRequestAPIMixin:
    # Set by the module: see the module docstring.
    not_found_message = ""
    detail_serializer_class: type[serializers.Serializer] | None = None
    object_kwarg = "obj"  # the keyword the module's services take the object as

    def lookup(self, *, user, uuid):
        raise NotImplementedError

    def get_object_for(self, request, uuid):
        obj = self.lookup(user=request.user, uuid=uuid)
        if obj is None:
            raise NotFound(self.not_found_message)
        return obj

    def get_owned(self, request, uuid):
        # citizen commands act only on the caller's own objects (staff use the admin)
        obj = self.get_object_for(request, uuid)
        if obj.owner_id != request.user.pk:
            raise NotFound(self.not_found_message)
        return obj

    def detail_response(self, request, obj, status_code=status.HTTP_200_OK) -> Response:
        obj = self.lookup(user=request.user, uuid=obj.uuid)
        return Response(self.detail_serializer_class(obj).data, status=status_code)

    def call_service(self, service, request, obj, **kwargs):
        return service(actor=request.user, **{self.object_kwarg: obj}, **kwargs)


class DocumentAttachView(CitizenRequestAPIMixin, APIView):
    document_input_serializer_class = RequirementDocumentInputSerializer
    document_serializer_class: type[serializers.Serializer] | None = None
    attach_service = None

    def post(self, request, uuid):
        obj = self.get_owned(request, uuid)
        data = self.document_input_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        link = self.call_service(
            type(self).attach_service,
            request,
            obj,
            requirement=data.validated_data["requirement"],
            document_uuid=data.validated_data["document"],
        )
        return Response(self.document_serializer_class(link).data, status=status.HTTP_201_CREATED)


class SubmitView(CitizenRequestAPIMixin, APIView):
    submit_service = None

    def post(self, request, uuid):
        obj = self.get_owned(request, uuid)
        return self.detail_response(
            request, self.call_service(type(self).submit_service, request, obj)
        )


class CancelView(CitizenRequestAPIMixin, APIView):
    cancel_input_serializer_class = CancelInputSerializer
    cancel_service = None

    def post(self, request, uuid):
        obj = self.get_owned(request, uuid)
        data = self.cancel_input_serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        obj = self.call_service(
            type(self).cancel_service, request, obj, note=data.validated_data.get("note", "")
        )
        return self.detail_response(request, obj)


class HistoryView(CitizenRequestAPIMixin, APIView):
    history_serializer_class: type[serializers.Serializer] | None = None

    def get(self, request, uuid):
        rows = history_for(obj=self.get_object_for(request, uuid), viewer=request.user)
        return Response(self.history_serializer_class(rows, many=True).data)


class OutputDocumentView(CitizenRequestAPIMixin, APIView):
    document_field = ""  # the FK to the issued PDF (``uploads.Document``)

    def get(self, request, uuid):
        document = getattr(self.get_object_for(request, uuid), self.document_field)
        if document is None:
            raise Http404
        return document_download_response(actor=request.user, document=document, channel="api")

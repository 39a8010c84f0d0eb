"""Shapes of the applications API. Names are globally unique (``Application…``) for the schema."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from applications import definition
from applications.models import Application, ApplicationDocument
from applications.workflow import State
from services.workflow.api import citizen_requests


class ApplicationRequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField(
        help_text="Always needed; false: needed only when a required file field asking for it "
        "is shown."
    )


class ApplicationFormSerializer(serializers.Serializer):
    """A published form in the list (without its schema)."""

    uuid = serializers.UUIDField()
    service_code = serializers.CharField(source="service.code")
    title = serializers.SerializerMethodField()
    agency = serializers.CharField(source="service.agency.short_name")
    version = serializers.IntegerField(source="current_version.number")
    working_days = serializers.SerializerMethodField()
    output_kind = serializers.SerializerMethodField()

    def get_title(self, form) -> str:
        return definition.text_in(form.current_version.spec, "title")

    def get_working_days(self, form) -> int:
        return form.current_version.spec["working_days"]

    def get_output_kind(self, form) -> str:
        return form.current_version.spec["output"]["kind"]


class ApplicationFormDetailSerializer(ApplicationFormSerializer):
    """A published version: its JSON Schema (draft 2020-12), UI hints and documents."""

    intro = serializers.SerializerMethodField()
    output_name = serializers.SerializerMethodField()
    requirements = serializers.SerializerMethodField()
    json_schema = serializers.SerializerMethodField()
    ui = serializers.SerializerMethodField()

    def _spec(self, form) -> dict:
        return form.current_version.spec

    def get_intro(self, form) -> str:
        return definition.text_in(self._spec(form), "intro")

    def get_output_name(self, form) -> str:
        return definition.text_in(self._spec(form)["output"], "name")

    @extend_schema_field(ApplicationRequirementSerializer(many=True))
    def get_requirements(self, form):
        return definition.ui_hints(self._spec(form))["requirements"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_json_schema(self, form) -> dict:
        return definition.json_schema(
            self._spec(form), schema_id=f"urn:balikpapan:permohonan:{form.current_version.uuid}"
        )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_ui(self, form) -> dict:
        return definition.ui_hints(self._spec(form))


class ApplicationVersionDefinitionSerializer(serializers.Serializer):
    """The definition an application was filed with (it may be older than the published one)."""

    version = serializers.IntegerField(source="number")
    json_schema = serializers.SerializerMethodField()
    ui = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_json_schema(self, version) -> dict:
        return definition.json_schema(
            version.spec, schema_id=f"urn:balikpapan:permohonan:{version.uuid}"
        )

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_ui(self, version) -> dict:
        return definition.ui_hints(version.spec)


class ApplicationValidateInputSerializer(serializers.Serializer):
    answers = serializers.JSONField(help_text="An object of answers, keyed by field key.")


class ApplicationValidateResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    documents = ApplicationRequirementSerializer(
        many=True, help_text="The documents these answers need."
    )


class ApplicationSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_label", read_only=True)
    form = serializers.UUIDField(source="form.uuid", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)
    agency = serializers.CharField(source="agency.short_name", read_only=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Application
        fields = [
            "uuid",
            "tracking_number",
            "service_code",
            "title",
            "form",
            "version",
            "agency",
            "state",
            "state_label",
            "due_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationDocumentSerializer(serializers.ModelSerializer):
    document = serializers.UUIDField(source="document.uuid", read_only=True)
    original_name = serializers.CharField(source="document.original_name", read_only=True)
    content_type = serializers.CharField(source="document.content_type", read_only=True)

    class Meta:
        model = ApplicationDocument
        fields = ["requirement", "document", "original_name", "content_type", "attached_at"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    answers = serializers.DictField(read_only=True, help_text="The answers; NIKs are shown masked.")
    documents = ApplicationDocumentSerializer(many=True, read_only=True)
    has_output = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "answers",
            "documents",
            "revision_note",
            "decision_note",
            "submitted_at",
            "decided_at",
            "has_output",
        ]
        read_only_fields = fields

    def get_has_output(self, obj) -> bool:
        return obj.output_document_id is not None


class ApplicationCreateInputSerializer(serializers.Serializer):
    form = serializers.CharField(
        max_length=64, help_text="The published form: its uuid or the catalog service code."
    )
    answers = serializers.JSONField(required=False, default=dict)


class ApplicationUpdateInputSerializer(serializers.Serializer):
    answers = serializers.JSONField(help_text="Answers to set; a null removes an answer.")


class ApplicationDocumentInputSerializer(citizen_requests.RequirementDocumentInputSerializer):
    pass


class ApplicationCancelInputSerializer(citizen_requests.CancelInputSerializer):
    pass


class ApplicationHistorySerializer(citizen_requests.HistoryRowSerializer):
    workflow_model = Application


class ApplicationListQuerySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    service_code = serializers.CharField(required=False, max_length=64)
    cursor = serializers.CharField(required=False)
    page_size = serializers.CharField(required=False)

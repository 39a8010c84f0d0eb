"""Shapes of the civil registry API. Names are globally unique (``Civil…``) for the schema."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civil_registry.models import CivilRequest, Relationship, RequestDocument
from civil_registry.types import REQUEST_TYPES, TYPE_CHOICES
from services.workflow.api import citizen_requests


class CivilRequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    alternative = serializers.CharField(allow_blank=True)


class CivilRequestTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    working_days = serializers.IntegerField()
    fee = serializers.IntegerField(default=0)
    output = serializers.CharField()
    requirements = CivilRequirementSerializer(many=True)
    subject_fields = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_subject_fields(self, spec) -> list[str]:
        return list(spec.serializer().fields)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["fee"] = 0
        return data


class CivilRequestSerializer(serializers.ModelSerializer):
    request_type_label = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_label", read_only=True)
    subject_nik = serializers.CharField(source="subject_nik_masked", read_only=True)
    # null while none is chosen: a draft of an applicant without a home kelurahan
    kelurahan = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    has_issued_document = serializers.SerializerMethodField()
    subject_data = serializers.DictField(read_only=True)
    applicant_relationship = serializers.ChoiceField(
        source="relationship", choices=Relationship.choices, read_only=True
    )

    class Meta:
        model = CivilRequest
        fields = [
            "uuid",
            "tracking_number",
            "request_type",
            "request_type_label",
            "state",
            "state_label",
            "subject_name",
            "applicant_relationship",
            "subject_nik",
            "subject_data",
            "kelurahan",
            "revision_note",
            "due_at",
            "pickup_note",
            "issued_at",
            "has_issued_document",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_request_type_label(self, obj) -> str:
        return str(REQUEST_TYPES[obj.request_type].title)

    def get_has_issued_document(self, obj) -> bool:
        return obj.issued_document_id is not None


class CivilRequestDocumentSerializer(serializers.ModelSerializer):
    requirement_label = serializers.CharField(read_only=True)
    document = serializers.UUIDField(source="document.uuid", read_only=True)
    original_name = serializers.CharField(source="document.original_name", read_only=True)
    content_type = serializers.CharField(source="document.content_type", read_only=True)

    class Meta:
        model = RequestDocument
        fields = [
            "requirement",
            "requirement_label",
            "document",
            "original_name",
            "content_type",
            "attached_at",
        ]
        read_only_fields = fields


class CivilRequestDetailSerializer(CivilRequestSerializer):
    documents = CivilRequestDocumentSerializer(many=True, read_only=True)
    requirements = serializers.SerializerMethodField()

    class Meta(CivilRequestSerializer.Meta):
        fields = [*CivilRequestSerializer.Meta.fields, "documents", "requirements"]
        read_only_fields = fields

    @extend_schema_field(CivilRequirementSerializer(many=True))
    def get_requirements(self, obj):
        return CivilRequirementSerializer(obj.type_spec.requirements, many=True).data


class CivilRequestCreateInputSerializer(serializers.Serializer):
    request_type = serializers.ChoiceField(choices=TYPE_CHOICES)
    subject_member = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="A household member (their uuid) the request is for; empty: yourself.",
    )
    kelurahan = serializers.CharField(required=False, max_length=20)
    subject_data = serializers.DictField(required=False, default=dict)


class CivilRequestUpdateInputSerializer(serializers.Serializer):
    kelurahan = serializers.CharField(required=False, max_length=20)
    subject_data = serializers.DictField(required=False)


class CivilRequestDocumentInputSerializer(citizen_requests.RequirementDocumentInputSerializer):
    pass


class CivilRequestCancelInputSerializer(citizen_requests.CancelInputSerializer):
    pass


class CivilRequestHistorySerializer(citizen_requests.HistoryRowSerializer):
    workflow_model = CivilRequest


class CivilVerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    is_valid = serializers.BooleanField()
    status = serializers.CharField()
    title = serializers.CharField()
    issued_at = serializers.DateTimeField()
    masked_name = serializers.CharField()
    tracking_number = serializers.CharField()
    file_matches = serializers.BooleanField(
        allow_null=True,
        help_text="Whether the given sha256 is the issued file's; null if none given.",
    )


class CivilVerificationQuerySerializer(serializers.Serializer):
    sha256 = serializers.RegexField(r"^[0-9a-fA-F]{64}$", required=False)

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from balikpapan_untuk_warga.api.errors import error_response_serializer
from privacy.models import CorrectionEvent, CorrectionRequest, ExportRequest


class StrictInputSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently dropped (a typo must not look accepted)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown field.")] for name in sorted(unknown)}, code="invalid"
                )
        return super().to_internal_value(data)


class ExportSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportRequest
        fields = [
            "uuid",
            "state",
            "state_label",
            "size",
            "created_at",
            "ready_at",
            "expires_at",
            "downloaded_at",
            "download_url",
        ]
        read_only_fields = fields

    # null until the export is ready (the schema must say so: schemathesis' stateful run)
    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, obj) -> str | None:
        if obj.state != ExportRequest.State.READY:
            return None
        path = reverse("api:privacy-export-download", args=[obj.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CorrectionEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = CorrectionEvent
        fields = ["action", "action_label", "note", "at"]
        read_only_fields = fields


class CorrectionSerializer(serializers.ModelSerializer):
    field_label = serializers.CharField(source="get_field_display", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    requested = serializers.CharField(source="requested_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    history = CorrectionEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = CorrectionRequest
        fields = [
            "uuid",
            "field",
            "field_label",
            "requested",
            "reason",
            "state",
            "state_label",
            "created_at",
            "due_at",
            "is_overdue",
            "decided_at",
            "decision_note",
            "history",
        ]
        read_only_fields = fields


class CorrectionInputSerializer(StrictInputSerializer):
    field = serializers.ChoiceField(choices=CorrectionRequest.Field.choices)
    value = serializers.CharField(
        max_length=150,
        trim_whitespace=True,
        help_text=_("The correct value: the name or NIK as on the KTP-el, or a kelurahan code."),
    )
    reason = serializers.CharField(max_length=2000, trim_whitespace=True)


class ErasureInputSerializer(StrictInputSerializer):
    password = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=512,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_(
            "Your password. An account without one must have signed in again in the last few "
            "minutes instead."
        ),
    )
    confirm = serializers.BooleanField(help_text=_("Must be true: the deletion cannot be undone."))

    def validate_confirm(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                _("Confirm that you want to delete your account."), code="required"
            )
        return value


# --- the error answers of these routes, each with its own codes (schemathesis checks them) -----


def _error_response(name: str, codes: list[str], doc: str):
    from django.db import models

    enum = models.TextChoices(f"{name}Code", [(c.upper(), c) for c in codes])
    return error_response_serializer(
        f"{name}Serializer", f"{name}ResponseSerializer", enum, doc=doc
    )


IDEMPOTENCY_409 = ["conflict", "idempotency_key_in_use"]
ExportCreate409 = _error_response(
    "PrivacyExportCreate409", ["export_pending", *IDEMPOTENCY_409], "An export is being prepared."
)
ExportDownload409 = _error_response(
    "PrivacyExportDownload409", ["export_not_ready"], "The export is still being prepared."
)
ExportDownload410 = _error_response(
    "PrivacyExportDownload410", ["export_gone"], "Downloaded already, or expired."
)
CorrectionCreate409 = _error_response(
    "PrivacyCorrectionCreate409",
    ["correction_pending", "correction_unavailable", *IDEMPOTENCY_409],
    "A correction of the same data is waiting, or corrections cannot be received now.",
)
Erase409 = _error_response(
    "PrivacyErase409",
    ["open_requests", "staff_account", *IDEMPOTENCY_409],
    "The account cannot be deleted now.",
)
Erase403 = _error_response(
    "PrivacyErase403",
    ["reauthentication_required", "permission_denied", "mfa_required"],
    "A recent sign-in is needed (an account without a password), or the request was refused.",
)

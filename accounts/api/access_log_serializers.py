"""Shape of ``/api/v1/me/access-log/``: who looked at my data (names are globally unique)."""

from __future__ import annotations

from rest_framework import serializers

from accounts.access_log import object_type_label
from accounts.models import AccessLogEntry


class AccessLogEntrySerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name", default="", read_only=True)
    object_type_label = serializers.SerializerMethodField()
    reason_kind_label = serializers.CharField(source="get_reason_kind_display", read_only=True)

    class Meta:
        model = AccessLogEntry
        fields = [
            "staff_name",
            "agency",
            "object_type",
            "object_type_label",
            "object_ref",
            "reason_kind",
            "reason_kind_label",
            "reason",
            "channel",
            "at",
        ]
        read_only_fields = fields

    def get_object_type_label(self, obj: AccessLogEntry) -> str:
        return object_type_label(obj.object_type)

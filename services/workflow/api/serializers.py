"""Reusable serializers for modules' ``…/history/`` and ``…/deadline/`` endpoints.

Give them rows from :func:`services.workflow.history_for` (already filtered for the viewer) and
:func:`services.workflow.deadline_for`. Names are globally unique so the schema stays clean.
Citizens see the role that acted ("Agency staff"), never a staff member's name.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.workflow.models import ActorRole, Deadline, DueDateChange, StatusHistory


def _label(row: StatusHistory, state: str) -> str:
    model = ContentType.objects.get_for_id(row.content_type_id).model_class()
    workflow = getattr(model, "workflow", None)
    return str(workflow.label(state)) if workflow is not None and state else state


class WorkflowStatusHistorySerializer(serializers.ModelSerializer):
    from_state_label = serializers.SerializerMethodField()
    to_state_label = serializers.SerializerMethodField()
    actor_role = serializers.ChoiceField(choices=ActorRole.choices, read_only=True)
    actor_role_label = serializers.CharField(source="get_actor_role_display", read_only=True)

    class Meta:
        model = StatusHistory
        fields = [
            "transition",
            "from_state",
            "from_state_label",
            "to_state",
            "to_state_label",
            "actor_role",
            "actor_role_label",
            "note",
            "is_internal",
            "at",
        ]
        read_only_fields = fields

    def get_from_state_label(self, row: StatusHistory) -> str:
        return _label(row, row.from_state)

    def get_to_state_label(self, row: StatusHistory) -> str:
        return _label(row, row.to_state)


class WorkflowDueDateChangeSerializer(serializers.ModelSerializer):
    reason = serializers.SerializerMethodField()

    class Meta:
        model = DueDateChange
        fields = ["reason_code", "old_due_at", "new_due_at", "reason", "at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_reason(self, change: DueDateChange) -> str:
        return change.reason_text()


class WorkflowDeadlineSerializer(serializers.ModelSerializer):
    is_paused = serializers.BooleanField(read_only=True)
    changes = WorkflowDueDateChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Deadline
        fields = ["due_at", "is_paused", "paused_at", "completed_at", "changes"]
        read_only_fields = fields

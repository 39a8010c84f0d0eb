"""Shapes of ``/api/v1/activity/``. Names are globally unique (they name schema components)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.activity.models import ActivityItem
from services.activity.texts import in_language


class ActivityOnBehalfSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=[("for_me", _("Done for me")), ("by_me", _("Done by me for someone else"))]
    )
    name = serializers.CharField(help_text=_("The other person's name."))


class ActivityItemSerializer(serializers.ModelSerializer):
    """One object the person has going on, with its texts in the language of the request."""

    title = serializers.SerializerMethodField()
    state_label = serializers.SerializerMethodField()
    on_behalf = serializers.SerializerMethodField()

    class Meta:
        model = ActivityItem
        fields = [
            "uuid",
            "module",
            "service_code",
            "tracking_number",
            "title",
            "state",
            "state_label",
            "is_open",
            "due_at",
            "app_link",
            "portal_link",
            "on_behalf",
            "created_at",
            "last_changed_at",
        ]
        read_only_fields = fields

    def get_title(self, item: ActivityItem) -> str:
        return in_language(item.title)

    def get_state_label(self, item: ActivityItem) -> str:
        return in_language(item.state_label)

    @extend_schema_field(ActivityOnBehalfSerializer(allow_null=True))
    def get_on_behalf(self, item: ActivityItem) -> dict | None:
        if item.acted_by_id is None:
            return None
        if item.acted_by_id == self.context["request"].user.pk:
            return {"direction": "by_me", "name": item.owner.full_name}
        return {"direction": "for_me", "name": item.acted_by.full_name}

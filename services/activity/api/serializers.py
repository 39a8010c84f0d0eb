"""Shapes of ``/api/v1/activity/``. Names are globally unique (they name schema components)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from services.activity.models import ActivityItem


class ActivityOnBehalfSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        choices=[("for_me", _("Done for me")), ("by_me", _("Done by me for someone else"))]
    )
    name = serializers.CharField(help_text=_("The other person's name."))


class ActivityItemSerializer(serializers.ModelSerializer):
    """One object the person has going on, with its texts in the language of the request."""

    # Only the schema's description of a feed row: the rows are rendered by
    # services.activity.presenters.render_feed_item (tests/services/test_activity.py holds the
    # responses to this description).

    title = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
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

    @extend_schema_field(ActivityOnBehalfSerializer(allow_null=True))
    def get_on_behalf(self, item) -> dict | None:  # pragma: no cover - schema only
        raise NotImplementedError("rendered by services.activity.presenters.render_feed_item")

"""Shapes of ``/api/v1/me/consents/`` and ``/api/v1/consent-texts/`` (globally unique names)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import ConsentRecord


class ConsentRecordSerializer(serializers.ModelSerializer):
    purpose_label = serializers.CharField(source="get_purpose_display", read_only=True)

    class Meta:
        model = ConsentRecord
        fields = [
            "purpose",
            "purpose_label",
            "object_ref",
            "granted",
            "detail",
            "text_version",
            "text_digest",
            "source",
            "at",
        ]
        read_only_fields = fields


class ConsentOverviewSerializer(serializers.Serializer):
    current = ConsentRecordSerializer(
        many=True, help_text=_("The latest decision per purpose (and object).")
    )
    history = ConsentRecordSerializer(many=True, help_text=_("Every decision, newest first."))


class ConsentChangeInputSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentRecord.Purpose.choices)
    granted = serializers.BooleanField()
    version = serializers.CharField(
        max_length=20, help_text=_("The version of the text you were shown.")
    )
    object_ref = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("For a consent given per object: the complaint's tracking number."),
    )


class ConsentTextSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentRecord.Purpose.choices)
    purpose_label = serializers.CharField()
    version = serializers.CharField()
    text = serializers.CharField(help_text=_("In the language of the request."))
    text_id = serializers.CharField()
    text_en = serializers.CharField()
    digest = serializers.CharField(help_text=_("SHA-256 of the Indonesian and English text."))
    per_object = serializers.BooleanField()

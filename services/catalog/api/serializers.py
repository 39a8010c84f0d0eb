"""The shapes of the catalog API, for the OpenAPI schema.

Responses are built by the plain functions of :mod:`services.catalog.presenters` (the home screen
renders a hundred services per call); these serializers describe exactly those dicts, and the
tests compare real responses with them.
"""

from __future__ import annotations

from rest_framework import serializers

from services.catalog.models import Service

CHANNELS = ["online", "mpp", "office"]


class CatalogCategoryRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class CatalogAgencyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    short_name = serializers.CharField()
    name = serializers.CharField()


class CatalogSlaSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=0)
    unit = serializers.ChoiceField(choices=Service.SlaUnit.choices)
    text = serializers.CharField(help_text="In the request's language, e.g. “14 hari kerja”.")


class CatalogServiceSummarySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable code, e.g. akta_kelahiran.")
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    category = CatalogCategoryRefSerializer()
    agency = CatalogAgencyRefSerializer()
    fee = serializers.IntegerField(
        allow_null=True, help_text="Rupiah; 0 when free, null when it varies (see fee_text)."
    )
    fee_text = serializers.CharField(help_text="“Gratis”, “Rp 30.000”, or how the fee is set.")
    sla = CatalogSlaSerializer(allow_null=True)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=CHANNELS))
    module_slug = serializers.CharField(
        allow_null=True, help_text="The service module that handles it online in the app."
    )
    online_url = serializers.CharField(
        allow_null=True, help_text="The module's portal pages, when it can be done online."
    )
    page_url = serializers.CharField(help_text="The service's page on the portal.")


class CatalogRequirementSerializer(serializers.Serializer):
    text = serializers.CharField()
    is_optional = serializers.BooleanField(help_text="Needed only in the cases the text names.")


class CatalogServiceDetailSerializer(CatalogServiceSummarySerializer):
    requirements = CatalogRequirementSerializer(many=True)
    how_to = serializers.CharField(allow_blank=True)
    legal_basis = serializers.CharField(allow_blank=True)
    contact = serializers.CharField(allow_blank=True)


class CatalogCategorySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    icon = serializers.CharField(allow_blank=True)
    service_count = serializers.IntegerField(help_text="Public services in the category.")


class CatalogAgencySerializer(CatalogAgencyRefSerializer):
    service_count = serializers.IntegerField()


class CatalogLifeEventStepSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    note = serializers.CharField(allow_blank=True)
    is_optional = serializers.BooleanField()
    is_done = serializers.BooleanField(
        help_text="The signed-in citizen has completed this service; always false when anonymous."
    )
    service = CatalogServiceSummarySerializer()


class CatalogLifeEventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    icon = serializers.CharField(allow_blank=True)
    step_count = serializers.IntegerField()
    done_count = serializers.IntegerField(
        allow_null=True, help_text="Steps the signed-in citizen has done; null when anonymous."
    )
    page_url = serializers.CharField()


class CatalogLifeEventDetailSerializer(CatalogLifeEventSerializer):
    steps = CatalogLifeEventStepSerializer(many=True)


class CatalogHomeSerializer(serializers.Serializer):
    categories = CatalogCategorySerializer(many=True, help_text="Categories that have services.")
    featured = CatalogServiceSummarySerializer(many=True, help_text="The most used services.")
    life_events = CatalogLifeEventSerializer(many=True)
    agencies = CatalogAgencySerializer(many=True, help_text="Agencies that have services.")
    service_count = serializers.IntegerField()

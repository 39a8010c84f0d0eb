from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from services import registry
from services.modules import disabled_slugs


class ApiRootView(APIView):
    """What this API offers: the platform's endpoints and every mounted service module."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="api_root",
        tags=["platform"],
        responses=inline_serializer(
            "ApiRoot",
            fields={
                "version": serializers.CharField(),
                "schema": serializers.CharField(),
                "endpoints": serializers.DictField(child=serializers.CharField()),
                "modules": inline_serializer(
                    "ApiRootModule",
                    fields={
                        "slug": serializers.CharField(),
                        "name": serializers.CharField(),
                        "agency": serializers.CharField(),
                        "url": serializers.CharField(allow_null=True),
                        "enabled": serializers.BooleanField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        disabled = disabled_slugs()
        modules = [
            {
                "enabled": module.slug not in disabled,
                "slug": module.slug,
                "name": str(module.name),
                "agency": module.agency_code,
                "url": request.build_absolute_uri(f"/api/v1/{module.slug}/")
                if module.api_urlconf
                else None,
            }
            for module in registry.modules()
        ]
        return Response(
            {
                "version": "v1",
                "schema": request.build_absolute_uri(reverse("schema")),
                "endpoints": {
                    "me": request.build_absolute_uri(reverse("api:me")),
                    "auth_app": request.build_absolute_uri("/_allauth/app/v1/"),
                    "auth_browser": request.build_absolute_uri("/_allauth/browser/v1/"),
                },
                "modules": modules,
            }
        )

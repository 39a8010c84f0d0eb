"""The OpenAPI description of a 403: drf-standardized-errors' ``permission_denied``, plus
``mfa_required`` (``accounts.mfa``), which every authenticated operation answers to a staff
member whose session has not passed two-factor authentication."""

from django.db import models
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers


class ErrorCode403Enum(models.TextChoices):
    PERMISSION_DENIED = "permission_denied"
    MFA_REQUIRED = "mfa_required", "Two-factor authentication required"


class Error403Serializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=ErrorCode403Enum.choices,
        help_text=(
            "`mfa_required`: a staff account without an active authenticator app, or whose "
            "session did not pass its code (sign in again through `mfa_authenticate`, or "
            "`POST /_allauth/{client}/v1/auth/2fa/reauthenticate`)."
        ),
    )
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse403Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error403Serializer(many=True)

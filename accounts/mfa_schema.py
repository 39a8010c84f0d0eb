"""The OpenAPI description of a 403: drf-standardized-errors' ``permission_denied``, plus
``mfa_required`` (``accounts.mfa``), which every authenticated operation answers to a staff
member whose session has not passed two-factor authentication."""

from django.db import models

from balikpapan_untuk_warga.api.errors import error_response_serializer


class ErrorCode403Enum(models.TextChoices):
    PERMISSION_DENIED = "permission_denied"
    MFA_REQUIRED = "mfa_required", "Two-factor authentication required"


ErrorResponse403Serializer = error_response_serializer(
    "Error403Serializer",
    "ErrorResponse403Serializer",
    ErrorCode403Enum,
    help_text=(
        "`mfa_required`: a staff account without an active authenticator app, or whose "
        "session did not pass its code (sign in again through `mfa_authenticate`, or "
        "`POST /_allauth/{client}/v1/auth/2fa/reauthenticate`)."
    ),
)

"""The one application error type and the error shapes the schema documents beyond the library's.

Every 4xx/5xx response has the drf-standardized-errors shape::

    {"type": "client_error", "errors": [{"code": "…", "detail": "…", "attr": null}]}

Services raise :class:`ApplicationError` with a stable ``code``; the exception handler renders it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum
from rest_framework import serializers, status
from rest_framework.exceptions import APIException


class ApplicationError(APIException):
    """A business rule said no. ``code`` is stable and listed per app in its ``exceptions.py``."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The request cannot be carried out.")
    default_code = "invalid_request"

    def __init__(self, detail=None, code: str | None = None, status_code: int | None = None):
        if status_code is not None:
            self.status_code = status_code
        super().__init__(detail=detail, code=code)


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


class UnprocessableError(ApplicationError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("The request cannot be processed.")
    default_code = "unprocessable"


class ErrorCode409Enum(models.TextChoices):
    CONFLICT = "conflict"
    IDEMPOTENCY_KEY_IN_USE = "idempotency_key_in_use"
    INVALID_TRANSITION = "invalid_transition"
    CONSENT_VERSION_OUTDATED = "consent_version_outdated"  # accounts.consent


class ErrorCode422Enum(models.TextChoices):
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"


class ErrorCode413Enum(models.TextChoices):
    REQUEST_TOO_LARGE = "request_too_large"  # balikpapan_untuk_warga.limits


class ErrorCode503Enum(models.TextChoices):
    SERVICE_UNAVAILABLE = "service_unavailable"  # database, cache or broker briefly down (outages)
    MODULE_DISABLED = "module_disabled"  # staff switched the module off (services.middleware)
    AGENCY_NOT_CONFIGURED = "agency_not_configured"  # services.agencies.AgencyNotConfigured


def page_not_found(request, exception=None):
    """``handler404``: a URL under ``/api/`` that matches no route (or whose path parameter has
    the wrong form, e.g. a UUID that is not one) answers a 404 in the API's error shape, not the
    portal's HTML page."""
    from django.http import JsonResponse
    from django.views.defaults import page_not_found as html_page_not_found

    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "not_found", "detail": str(_("Not found.")), "attr": None}],
            },
            status=status.HTTP_404_NOT_FOUND,
        )
    return html_page_not_found(request, exception)


def error_response_serializer(
    item_name: str,
    response_name: str,
    codes: type[models.TextChoices],
    *,
    error_type=ClientErrorEnum,
    help_text: str = "",
    doc: str = "",
) -> type[serializers.Serializer]:
    """The documented body of an error answer beyond drf-standardized-errors' own: its shape,
    with ``code`` one of ``codes``. ``item_name`` and ``response_name`` are the serializer class
    names, hence the schema's component names."""
    item = type(
        item_name,
        (serializers.Serializer,),
        {
            "__module__": __name__,
            "code": serializers.ChoiceField(choices=codes.choices, help_text=help_text or None),
            "detail": serializers.CharField(),
            "attr": serializers.CharField(allow_null=True),
        },
    )
    return type(
        response_name,
        (serializers.Serializer,),
        {
            "__module__": __name__,
            "__doc__": doc or None,
            "type": serializers.ChoiceField(choices=error_type.choices),
            "errors": item(many=True),
        },
    )


def _status_error(status_code: int, codes, **kwargs) -> type[serializers.Serializer]:
    return error_response_serializer(
        f"Error{status_code}Serializer", f"ErrorResponse{status_code}Serializer", codes, **kwargs
    )


ErrorResponse409Serializer = _status_error(409, ErrorCode409Enum)
ErrorResponse413Serializer = _status_error(413, ErrorCode413Enum)
ErrorResponse422Serializer = _status_error(422, ErrorCode422Enum)
ErrorResponse503Serializer = _status_error(503, ErrorCode503Enum, error_type=ServerErrorEnum)

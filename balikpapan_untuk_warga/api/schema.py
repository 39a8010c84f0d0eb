"""OpenAPI generation: drf-standardized-errors' error responses, plus what our platform adds.

* 409 and 422 on every unsafe operation (``Idempotency-Key`` conflicts and mismatches), and the
  ``Idempotency-Key`` header itself;
* 403 on unsafe operations reachable with the browser session (a missing CSRF token is a 403).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework.authentication import SessionAuthentication

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A client-chosen unique key (1–255 printable characters). A retry with the same key and "
        "body replays the first response; the same key with another body is a 422; a retry while "
        "the first request still runs is a 409."
    ),
)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _is_unsafe(self) -> bool:
        return self.method.upper() in UNSAFE_METHODS

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if status_code in ("409", "422"):
            if self.view.get_exception_handler() is not self._standardized_handler():
                return False
            return status_code not in responses and self._is_unsafe()
        return super()._should_add_error_response(responses, status_code)

    @staticmethod
    def _standardized_handler():
        from drf_standardized_errors.handler import exception_handler

        return exception_handler

    def _should_add_http403_error_response(self) -> bool:
        if self._is_unsafe() and any(
            isinstance(auth, SessionAuthentication) for auth in self.view.get_authenticators()
        ):
            return True
        return super()._should_add_http403_error_response()

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._is_unsafe():
            params.append(IDEMPOTENCY_KEY)
        return params

"""OpenAPI generation: drf-standardized-errors' error responses, plus what our platform adds.

* 409 and 422 on every unsafe operation (``Idempotency-Key`` conflicts and mismatches), and the
  ``Idempotency-Key`` header itself;
* 403 on unsafe operations reachable with the browser session (a missing CSRF token is a 403);
* the 400 every operation can answer: ``client_error`` with any code (a malformed body, a bad
  ``Idempotency-Key``, a domain refusal raised as ``ApplicationError``), and ``validation_error``
  for the query parameters too (paging, filters and query serializers validate them), so that
  every documented 400 is one the API really sends and vice versa (schemathesis checks both).
"""

from django.db import models
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    # the form balikpapan_untuk_warga.idempotency.KEY_RE accepts; anything else is a 400
    type={
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": r"^[\x21-\x7e]([\x20-\x7e]{0,253}[\x21-\x7e])?$",
    },
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A client-chosen unique key (1–255 printable characters). A retry with the same key and "
        "body replays the first response; the same key with another body is a 422; a retry while "
        "the first request still runs is a 409."
    ),
)


RETRY_AFTER = {
    "schema": {"type": "string"},
    "description": "Seconds to wait before trying again.",
}

# The codes DRF's fields and django-filter's form fields give a bad query parameter.
QUERY_ERROR_CODES = {
    "invalid",
    "invalid_choice",
    "invalid_list",
    "invalid_pk_value",
    "required",
    "null",
    "blank",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "max_string_length",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "overflow",
    "date",
    "datetime",
    "make_aware",
    "not_a_list",
    "empty",
    "null_characters_not_allowed",
    "surrogate_characters_not_allowed",
}


class ClientErrorTypeEnum(models.TextChoices):
    CLIENT_ERROR = "client_error"


class ClientError400Serializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable reason, e.g. `parse_error`.")
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ClientErrorResponse400Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorTypeEnum.choices)
    errors = ClientError400Serializer(many=True)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _query_parameter_names(self) -> list[str]:
        return [p["name"] for p in self._get_parameters() if p.get("in") == "query"]

    def _should_add_validation_error_response(self) -> bool:
        # An unsafe action without a body (e.g. "submit this draft") validates the object it acts
        # on and answers field errors (``subject_data.child_nik: required``) like a body would.
        return (
            super()._should_add_validation_error_response()
            or bool(self._query_parameter_names())
            or self._is_bodiless_action()
        )

    def _is_bodiless_action(self) -> bool:
        return (
            self.method.upper() in ("POST", "PUT", "PATCH")
            and self.get_request_serializer() is None
        )

    def _get_extra_validation_errors(self) -> dict[str, set[str]]:
        extra = dict(super()._get_extra_validation_errors())
        names = self._query_parameter_names()
        for name in names:
            extra[name] = set(extra.get(name, set())) | QUERY_ERROR_CODES
        if names:  # cross-parameter rules ("give both latitude and longitude")
            extra["non_field_errors"] = set(extra.get("non_field_errors", set())) | {"invalid"}
        return extra

    def _get_http400_serializer(self):
        proxy = super()._get_http400_serializer()
        variants = dict(proxy.serializers)
        variants[ClientErrorTypeEnum.CLIENT_ERROR.value] = ClientErrorResponse400Serializer
        return PolymorphicProxySerializer(
            component_name=proxy.component_name,
            serializers=variants,
            resource_type_field_name="type",
        )

    def _is_unsafe(self) -> bool:
        return self.method.upper() in UNSAFE_METHODS

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        # drf-standardized-errors documents errors only for views whose handler *is* its own;
        # the project's configured handler (settings.REST_FRAMEWORK) wraps it (the outage 503
        # branch) and answers the same shape, so its views keep their documented errors. The
        # parent's per-status rules are asked directly, past its identity test.
        if status_code in responses or not self._has_standard_errors():
            return False
        if status_code in ("409", "422", "413"):
            # 413: a body above API_MAX_BODY_BYTES / API_MAX_MULTIPART_BYTES (limits.py)
            return self._is_unsafe()
        if status_code == "503":
            # any operation, when the database, cache or broker is briefly down (outages.py)
            return True
        if status_code == "400":
            return (
                self._should_add_parse_error_response()
                or self._should_add_validation_error_response()
            )
        rule = getattr(self, f"_should_add_http{status_code}_error_response", None)
        return rule() if rule is not None else True

    def _has_standard_errors(self) -> bool:
        from rest_framework.settings import api_settings

        handler = self.view.get_exception_handler()
        return handler is self._standardized_handler() or handler is api_settings.EXCEPTION_HANDLER

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

    def _get_response_headers_for_code(self, status_code, direction="response"):
        headers = dict(super()._get_response_headers_for_code(status_code, direction))
        if str(status_code) in ("429", "503"):
            headers.setdefault("Retry-After", RETRY_AFTER)
        return headers

    def get_override_parameters(self):
        params = list(super().get_override_parameters())
        if self._is_unsafe():
            params.append(IDEMPOTENCY_KEY)
        return params


def open_validation_error_codes(result, generator, request, public):
    """Postprocessing hook: each operation's validation error item is one schema whose ``attr``
    and ``code`` are strings, listing the fields and codes the generator could see as known ones.

    drf-standardized-errors documents a closed union (one component per field, discriminated by
    ``attr``, each with an enum of the field's built-in codes). The API legitimately answers
    outside it: the codes our validators raise (``nik_format``, ``in_app_required`` …), the
    attrs of list items (``photos.0``, ``members.1.nik``), a body that is not an object. A closed
    union documented those answers as schema violations (schemathesis, tests/security)."""
    schemas = result.get("components", {}).get("schemas", {})
    replaced: set[str] = set()
    for name, union in list(schemas.items()):
        discriminator = union.get("discriminator", {})
        if discriminator.get("propertyName") != "attr" or "oneOf" not in union:
            continue
        fields: list[str] = []
        codes: list[str] = []
        for ref in union["oneOf"]:
            component_name = ref.get("$ref", "").rsplit("/", 1)[-1]
            properties = schemas.get(component_name, {}).get("properties", {})
            fields += [v for v in properties.get("attr", {}).get("enum", []) if v is not None]
            codes += [v for v in properties.get("code", {}).get("enum", []) if v is not None]
            replaced.add(component_name)
        schemas[name] = {
            "type": "object",
            "properties": {
                "attr": {
                    "type": "string",
                    "nullable": True,
                    "description": "The field, dotted for nested ones and list items; known: "
                    + ", ".join(f"`{f}`" for f in dict.fromkeys(fields)),
                },
                "code": {
                    "type": "string",
                    "description": "Known codes: "
                    + ", ".join(f"`{c}`" for c in sorted(set(codes)))
                    + "; validators may add others.",
                },
                "detail": {"type": "string"},
            },
            "required": ["attr", "code", "detail"],
        }
    for name in replaced:
        schemas.pop(name, None)
    return result

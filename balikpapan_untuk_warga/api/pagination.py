"""Strict, bounded pagination: a page is never larger than ``max_limit`` and junk paging is a 400."""

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

MAX_PAGE_SIZE = 100
# ``_strict_int`` reads at most 9 digits; the schema says so, so that every value it documents is
# one the API accepts (a larger page size is served as MAX_PAGE_SIZE, not refused).
MAX_QUERY_INT = 999_999_999
INVALID_CURSOR = _("This cursor is not valid: start again from the first page.")
CAPPED = f"At most {MAX_PAGE_SIZE} rows are returned: a larger value is served as {MAX_PAGE_SIZE}."


def _strict_int(request, name: str, default: int | None, *, minimum: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ValidationError({name: [_("Must be a whole number.")]}, code="invalid")
    value = int(raw)
    if value < minimum:
        raise ValidationError(
            {name: [_("Must be at least %(minimum)d.") % {"minimum": minimum}]}, code="min_value"
        )
    return value


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (1–100, larger values are capped) and ``?offset=`` (≥ 0); anything else is 400."""

    default_limit = 20
    max_limit = MAX_PAGE_SIZE

    def get_limit(self, request):
        value = _strict_int(request, self.limit_query_param, self.default_limit, minimum=1)
        return min(value, self.max_limit)

    def get_offset(self, request):
        return _strict_int(request, self.offset_query_param, 0, minimum=0)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.limit_query_param:
                param["schema"].update({"minimum": 1, "maximum": MAX_QUERY_INT})
                param["description"] = f"{param.get('description', '')} {CAPPED}".strip()
            else:
                param["schema"].update({"minimum": 0, "maximum": MAX_QUERY_INT})
        return params


class StrictCursorPagination(CursorPagination):
    """Cursor pagination for feeds: newest first, ``?page_size=`` capped at 100, no COUNT.

    A page costs one query however deep it is (the cursor is a position, not an offset), and
    ``next`` is null on the last page. A cursor the API did not issue (edited, truncated, from
    another list) is a 400 in the shared error shape on ``cursor``, like any other bad query
    parameter: DRF's own answer is a 404, which reads as "this list does not exist".
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-created_at"

    def get_page_size(self, request):
        value = _strict_int(request, self.page_size_query_param, self.page_size, minimum=1)
        return min(value, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model  # decode_cursor checks the position against its field
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
            if cursor is not None and cursor.position is not None:
                self._check_position(cursor.position)
        except (NotFound, DjangoValidationError) as exc:
            raise ValidationError(
                {self.cursor_query_param: [INVALID_CURSOR]}, code="invalid"
            ) from exc
        return cursor

    def _check_position(self, position: str) -> None:
        """A cursor is only base64 of ``o=…&p=…``: a forged position (``p=junk`` on a date)
        would reach the database and fail there (a 500). Parse it as the ordering field does."""
        name = self.ordering[0].lstrip("-") if self.ordering else ""
        model = getattr(self, "_model", None)
        try:
            field = model._meta.get_field(name) if model is not None else None
        except FieldDoesNotExist:
            return
        if field is not None and field.concrete:
            field.run_validators(field.to_python(position))

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"].update({"minimum": 1, "maximum": MAX_QUERY_INT})
                param["description"] = f"{param.get('description', '')} {CAPPED}".strip()
        return params

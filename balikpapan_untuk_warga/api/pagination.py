"""Strict, bounded pagination: a page is never larger than ``max_limit`` and junk paging is a 400."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

MAX_PAGE_SIZE = 100
# ``_strict_int`` reads at most 9 digits; the schema says so, so that every value it documents is
# one the API accepts (a larger page size is served as MAX_PAGE_SIZE, not refused).
MAX_QUERY_INT = 999_999_999
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
    """Cursor pagination for feeds: newest first, ``?page_size=`` capped at 100."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-created_at"

    def get_page_size(self, request):
        value = _strict_int(request, self.page_size_query_param, self.page_size, minimum=1)
        return min(value, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"].update({"minimum": 1, "maximum": MAX_QUERY_INT})
                param["description"] = f"{param.get('description', '')} {CAPPED}".strip()
        return params

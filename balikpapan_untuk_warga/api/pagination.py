"""Strict, bounded pagination: a page is never larger than ``max_limit`` and junk paging is a 400."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections
from django.db.models import QuerySet
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


class MergedBranches:
    """Two querysets of the same rows (``values()``), disjoint, paged as one list by a cursor
    paginator: the answer to ``WHERE a = X OR b = X`` that PostgreSQL can read in index order.

    The paginator orders, filters by the cursor's position and slices; each of those is applied
    to both branches, and the slice ``[start:stop]`` is the ``UNION ALL`` of each branch's own
    first ``stop`` rows, merged and cut: with an index per branch in the paging order, each
    branch reads at most ``stop`` rows. Where the database cannot limit the parts of a
    ``UNION`` (SQLite), the branches are merged whole, then cut.
    """

    def __init__(self, first: QuerySet, second: QuerySet, ordering: tuple[str, ...] = ()):
        self.first, self.second, self.ordering = first, second, ordering
        self.model = first.model

    def order_by(self, *fields: str) -> MergedBranches:
        return MergedBranches(self.first.order_by(*fields), self.second.order_by(*fields), fields)

    def filter(self, *args, **kwargs) -> MergedBranches:
        return MergedBranches(
            self.first.filter(*args, **kwargs), self.second.filter(*args, **kwargs), self.ordering
        )

    def __getitem__(self, index: slice) -> QuerySet:
        if not isinstance(index, slice) or index.stop is None or index.step is not None:
            raise TypeError("MergedBranches is read by a bounded slice [start:stop].")
        first, second = self.first, self.second
        if connections[first.db].features.supports_slicing_ordering_in_compound:
            first, second = first[: index.stop], second[: index.stop]
        else:
            first, second = first.order_by(), second.order_by()
        return first.union(second, all=True).order_by(*self.ordering)[index.start : index.stop]

"""Query parameters of ``GET /api/v1/catalog/services/``. Unknown values are a 400, never ignored."""

from __future__ import annotations

import django_filters
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from services.catalog.models import Category, Service
from services.catalog.search import MAX_QUERY_LENGTH
from services.catalog.selectors import catalog_search, modules_switched_off
from services.catalog.texts import current_language
from services.models import Agency

CHANNEL_CHOICES = [
    ("online", _("Online in the app")),
    ("mpp", _("At an MPP counter")),
    ("office", _("At the agency's office")),
]
BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]
ORDERING_CHOICES = [
    ("name", "name"),
    ("-name", "-name"),
    ("fee", "fee"),
    ("-fee", "-fee"),
    ("popularity", "popularity"),
    ("-popularity", "-popularity"),
]


class ServiceFilter(django_filters.FilterSet):
    # Declared first: it orders by relevance, and an explicit ``ordering`` (last) overrides it.
    q = django_filters.CharFilter(
        method="filter_q",
        max_length=MAX_QUERY_LENGTH,
        label=_("Search"),
        help_text=_(
            "Words in Indonesian or English; spelling variants and typos are tolerated "
            "(e.g. akte lahir, birth certificate). Results come best first."
        ),
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(),
        to_field_name="slug",
        label=_("Category"),
        help_text=_("A category slug (see /api/v1/catalog/categories/)."),
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.filter(is_active=True),
        to_field_name="code",
        label=_("Agency"),
        help_text=_("An agency code, e.g. disdukcapil."),
    )
    channel = django_filters.ChoiceFilter(
        choices=CHANNEL_CHOICES, method="filter_channel", label=_("Channel")
    )
    online = django_filters.ChoiceFilter(
        choices=BOOLEAN_CHOICES,
        method="filter_online",
        label=_("Online"),
        help_text=_("true: only services that can be requested in the app."),
    )
    ordering = django_filters.ChoiceFilter(
        choices=ORDERING_CHOICES,
        method="filter_ordering",
        label=_("Ordering"),
        help_text=_("Default: the most used first, or the best match first with q."),
    )

    class Meta:
        model = Service
        fields = ["q", "category", "agency", "channel", "online", "ordering"]

    def filter_q(self, queryset: QuerySet[Service], name: str, value: str) -> QuerySet[Service]:
        ids = catalog_search(query=value)
        if not ids:
            return queryset.none()
        rank = Case(
            *[When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)],
            output_field=IntegerField(),
        )
        return queryset.filter(pk__in=ids).order_by(rank, "id")

    def _online(self, queryset):
        return queryset.exclude(module_slug="").exclude(module_slug__in=modules_switched_off())

    def filter_channel(self, queryset, name: str, value: str):
        if value == "online":
            return self._online(queryset)
        if value == "mpp":
            return queryset.filter(at_mpp=True)
        return queryset.filter(at_office=True)

    def filter_online(self, queryset, name: str, value: str):
        online = self._online(queryset)
        return online if value == "true" else queryset.exclude(pk__in=online.values("pk"))

    def filter_ordering(self, queryset, name: str, value: str):
        field = {
            "name": f"name_{current_language()}",
            "fee": "fee",
            "popularity": "popularity",
        }[value.lstrip("-")]
        # Services whose fee varies (no amount) come last either way.
        if value.startswith("-"):
            order = F(field).desc(nulls_last=True)
        else:
            order = F(field).asc(nulls_last=True)
        return queryset.order_by(order, "name_id", "id")

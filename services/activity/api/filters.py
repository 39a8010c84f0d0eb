import django_filters
from django.utils.translation import gettext_lazy as _

from services.activity.models import ActivityItem

_BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class ActivityFilter(django_filters.FilterSet):
    module = django_filters.CharFilter(help_text=_("Only items of this module (its slug)."))
    state = django_filters.CharFilter(help_text=_("Only items in this state."))
    is_open = django_filters.ChoiceFilter(
        choices=_BOOLEAN_CHOICES,
        method="filter_is_open",
        help_text=_("true: still going on; false: closed."),
    )
    since = django_filters.IsoDateTimeFilter(
        field_name="last_changed_at",
        lookup_expr="gt",
        help_text=_(
            "Only items changed after this moment (ISO 8601 with an offset, e.g. "
            "2026-03-01T10:00:00%2B08:00): pass the newest last_changed_at you have seen."
        ),
    )

    class Meta:
        model = ActivityItem
        fields = ["module", "state", "is_open", "since"]

    def filter_is_open(self, queryset, name, value):
        return queryset.filter(is_open=value == "true")

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from services.activity.models import ActivityItem

_BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


@extend_schema_field({"type": "string", "enum": ["true", "false"]})
class _TrueFalseFilter(django_filters.ChoiceFilter):
    """The text ``true``/``false`` (documented as such, not as the model's boolean)."""


class ActivityFilter(django_filters.FilterSet):
    module = django_filters.CharFilter(help_text=_("Only items of this module (its slug)."))
    state = django_filters.CharFilter(help_text=_("Only items in this state."))
    is_open = _TrueFalseFilter(
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

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # ``?since=`` with nothing after it is a mistake (the schema says date-time), not "no
        # filter": django-filter would skip the empty value and answer everything.
        if data is not None and data.get("since", None) == "":
            self.form.fields["since"].required = True

    def filter_is_open(self, queryset, name, value):
        return queryset.filter(is_open=value == "true")

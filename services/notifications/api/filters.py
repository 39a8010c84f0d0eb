import django_filters
from django.utils.translation import gettext_lazy as _

from services.notifications.models import Notification

_BOOLEAN_CHOICES = [("true", "true"), ("false", "false")]


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.ChoiceFilter(
        choices=_BOOLEAN_CHOICES,
        method="filter_unread",
        help_text=_("true: only unread; false: only read."),
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # ``?unread=`` with nothing after it is a mistake (the schema says true|false), not "no
        # filter": django-filter would skip the empty value and answer everything.
        if data is not None and data.get("unread", None) == "":
            self.form.fields["unread"].required = True

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")

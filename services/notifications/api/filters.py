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

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")

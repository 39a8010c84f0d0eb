"""``/api/v1/me/access-log/``: the staff views of the signed-in citizen's personal data."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView

from accounts.access_log import access_log_for_citizen
from accounts.api.access_log_serializers import AccessLogEntrySerializer
from accounts.models import AccessLogEntry
from balikpapan_untuk_warga.api.pagination import StrictCursorPagination


class AccessLogPagination(StrictCursorPagination):
    ordering = ("-at", "-id")


class MyAccessLogView(ListAPIView):
    """Who among the city's staff opened your data, for which agency, what and why; newest
    first."""

    serializer_class = AccessLogEntrySerializer
    pagination_class = AccessLogPagination
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return AccessLogEntry.objects.none()
        return access_log_for_citizen(user=self.request.user)

    @extend_schema(operation_id="me_access_log_list", tags=["accounts"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

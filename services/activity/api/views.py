"""``GET /api/v1/activity/``: everything the signed-in person has going on, newest change first."""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from balikpapan_untuk_warga.api.pagination import StrictCursorPagination
from services.activity.api.filters import ActivityFilter
from services.activity.api.serializers import ActivityItemSerializer
from services.activity.models import ActivityItem
from services.activity.selectors import activity_list_for


class ActivityCursorPagination(StrictCursorPagination):
    ordering = ("-last_changed_at", "-id")


class ActivityListView(generics.ListAPIView):
    serializer_class = ActivityItemSerializer
    pagination_class = ActivityCursorPagination
    filter_backends = [DjangoFilterBackend]  # the order is fixed: the cursor depends on it
    filterset_class = ActivityFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ActivityItem.objects.none()
        return activity_list_for(user=self.request.user)

    @extend_schema(
        operation_id="activity_list",
        description=(
            "Your items across all services, and those you handled for someone else, newest "
            "change first. For incremental sync, keep the newest `last_changed_at` you received "
            "and ask again with `?since=` it; follow `next` until it is null."
        ),
        tags=["activity"],
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

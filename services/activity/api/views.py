"""``GET /api/v1/activity/``: everything the signed-in person has going on, newest change first."""

from __future__ import annotations

from django.utils import timezone, translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from balikpapan_untuk_warga.api.pagination import MergedBranches, StrictCursorPagination
from services.activity.api.filters import ActivityFilter
from services.activity.api.serializers import ActivityItemSerializer
from services.activity.models import ActivityItem
from services.activity.presenters import render_feed_item
from services.activity.selectors import activity_feed_for


class ActivityCursorPagination(StrictCursorPagination):
    ordering = ("-last_changed_at", "-id")


class ActivityListView(generics.ListAPIView):
    """One query per page (cursor paging, no COUNT), rows as plain dicts rendered by
    :func:`render_feed_item`; ``serializer_class`` only describes them for the schema."""

    serializer_class = ActivityItemSerializer
    pagination_class = ActivityCursorPagination
    filter_backends = [DjangoFilterBackend]  # the order is fixed: the cursor depends on it
    filterset_class = ActivityFilter

    def filter_queryset(self, queryset):
        # Most requests are the plain first page: building and validating the FilterSet (a deep
        # copy of its filters, a form) to apply nothing cost as much as the page's query.
        if not any(name in self.request.query_params for name in ActivityFilter.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def get_queryset(self):
        """For the schema generator and the filter backend's model only: a request pages
        :meth:`feed`, the two branches (one of them alone would be half the feed)."""
        return ActivityItem.objects.none()

    def feed(self) -> MergedBranches:
        """Both branches of the feed, each filtered as asked, merged for the cursor paginator."""
        own, for_others = activity_feed_for(user=self.request.user)
        return MergedBranches(self.filter_queryset(own), self.filter_queryset(for_others))

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
        page = self.paginate_queryset(self.feed())
        language, viewer_id = translation.get_language(), request.user.pk
        zone = timezone.get_current_timezone()
        return self.get_paginated_response(
            [
                render_feed_item(row, language=language, viewer_id=viewer_id, zone=zone)
                for row in page
            ]
        )

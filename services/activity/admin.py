"""The activity feed in the staff admin: read-only, scoped to the staff member's agencies."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from services.activity.models import ActivityItem
from services.activity.selectors import activity_list_for_staff
from services.admin_tools import ReadOnlyAdminMixin


@admin.register(ActivityItem)
class ActivityItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "title_display",
        "module",
        "state_display",
        "is_open",
        "owner",
        "acted_by",
        "due_at",
        "last_changed_at",
    ]
    list_filter = ["module", "is_open"]
    search_fields = ["tracking_number"]
    ordering = ["-last_changed_at", "-id"]
    show_full_result_count = False
    fields = [
        "uuid",
        "tracking_number",
        "title_display",
        "module",
        "service_code",
        "state",
        "state_display",
        "is_open",
        "due_at",
        "owner",
        "acted_by",
        "content_type",
        "object_id",
        "app_link",
        "portal_link",
        "created_at",
        "last_changed_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return activity_list_for_staff(user=request.user)

    # Every staff member may look; the queryset shows them only their agencies' modules.
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff

    @admin.display(description=_("title"))
    def title_display(self, item: ActivityItem) -> str:
        return item.title_text

    @admin.display(description=_("state"))
    def state_display(self, item: ActivityItem) -> str:
        return item.state_label_text

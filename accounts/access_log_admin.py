"""The access log in the staff admin: read-only; an agency admin sees their agency's entries
(``accounts.access_log.access_log_for_staff``), a superuser all, nobody else any."""

from __future__ import annotations

from django.contrib import admin

from accounts.access_log import access_log_for_staff
from accounts.models import AccessLogEntry
from services.admin_tools import ReadOnlyAdminMixin


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "staff_name", "agency", "subject", "object_type", "object_ref", "reason"]
    list_filter = ["reason_kind", "channel", "object_type"]
    search_fields = ["=object_ref", "staff_name"]
    date_hierarchy = "at"
    list_select_related = ["agency", "subject"]
    show_full_result_count = False  # one count query per page, not two
    fields = [
        "at",
        "staff",
        "staff_name",
        "agency",
        "subject",
        "object_type",
        "object_ref",
        "reason_kind",
        "reason",
        "channel",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return access_log_for_staff(user=request.user)

    def get_list_filter(self, request):
        if request.user.is_superuser:  # agency admins see one agency's entries anyway
            return ["agency", *self.list_filter]
        return self.list_filter

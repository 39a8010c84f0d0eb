"""Consent records in the staff admin: read-only evidence, for the data-protection officer
(superusers); agency staff have no permission on it."""

from __future__ import annotations

from django.contrib import admin

from accounts.models import ConsentRecord
from services.admin_tools import ReadOnlyAdminMixin


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "user", "purpose", "object_ref", "granted", "text_version", "source"]
    list_filter = ["purpose", "granted", "source", "text_version"]
    search_fields = ["=object_ref", "user__email"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = [
        "at",
        "user",
        "purpose",
        "object_ref",
        "granted",
        "detail",
        "text_version",
        "text_digest",
        "source",
    ]
    fields = readonly_fields

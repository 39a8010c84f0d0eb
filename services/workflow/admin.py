"""The working calendar in the staff admin, the read-only history inline modules reuse, and
read-only views of deadlines and tracking counters.

Writes go through :mod:`services.workflow.holidays` (which moves the deadlines a calendar change
affects). Staff without ``workflow.manage_national_calendar`` see the city-wide calendar but
change only the local closures and office hours of their own agencies.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from services.admin_tools import ReadOnlyAdminMixin
from services.models import Agency
from services.workflow.holidays import holiday_delete, holiday_save
from services.workflow.models import (
    Deadline,
    DueDateChange,
    Holiday,
    StatusHistory,
    TrackingCounter,
    WorkingHours,
)

NATIONAL_CALENDAR_PERMISSION = "workflow.manage_national_calendar"


def _agency_ids(request) -> list[int] | None:
    """The agencies the staff member works for; ``None`` for a superuser (all of them)."""
    if request.user.is_superuser:
        return None
    return list(request.user.memberships.values_list("agency_id", flat=True))


class StatusHistoryInline(ReadOnlyAdminMixin, GenericTabularInline):
    """Read-only status history of a module object: ``inlines = [StatusHistoryInline]``."""

    model = StatusHistory
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["at", "id"]
    fields = [
        "at",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "actor_role",
        "note",
        "is_internal",
    ]
    readonly_fields = fields
    verbose_name = _("status change")
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class HolidayYearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = [
        "date",
        "weekday",
        "name_id",
        "name_en",
        "kind",
        "agency",
        "confirmed",
        "is_active",
    ]
    list_filter = [HolidayYearFilter, "kind", "confirmed", "is_active", "agency"]
    search_fields = ["name_id", "name_en", "source"]
    list_select_related = ["agency"]
    ordering = ["date", "kind", "id"]
    fields = ["date", "kind", "agency", "name_id", "name_en", "confirmed", "source", "is_active"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        return date_format(obj.date, "l")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agencies = _agency_ids(request)
        if agencies is None:
            return queryset
        return queryset.filter(Q(agency__isnull=True) | Q(agency__in=agencies))

    def _may_change(self, request, obj: Holiday | None) -> bool:
        if obj is None or request.user.has_perm(NATIONAL_CALENDAR_PERMISSION):
            return True
        agencies = _agency_ids(request)
        return obj.agency_id is not None and (agencies is None or obj.agency_id in agencies)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            agencies = _agency_ids(request)
            if agencies is not None:
                kwargs["queryset"] = Agency.objects.filter(pk__in=agencies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not request.user.has_perm(NATIONAL_CALENDAR_PERMISSION) and "kind" in form.base_fields:
            # Without the national permission, only local closures of one's own agency.
            form.base_fields["kind"].choices = [
                (Holiday.Kind.LOCAL.value, Holiday.Kind.LOCAL.label)
            ]
            form.base_fields["agency"].required = True
        return form

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("date") if change else None
        holiday_save(holiday=obj, previous_date=previous)

    def delete_model(self, request, obj):
        holiday_delete(holiday=obj)

    def delete_queryset(self, request, queryset):
        for holiday in queryset:
            holiday_delete(holiday=holiday)


@admin.register(WorkingHours)
class WorkingHoursAdmin(admin.ModelAdmin):
    list_display = ["agency", "weekday", "opens_at", "closes_at"]
    list_filter = ["agency", "weekday"]
    search_fields = ["agency__name", "agency__short_name"]
    list_select_related = ["agency"]
    ordering = ["agency__short_name", "weekday", "opens_at"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agencies = _agency_ids(request)
        return queryset if agencies is None else queryset.filter(agency__in=agencies)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            agencies = _agency_ids(request)
            if agencies is not None:
                kwargs["queryset"] = Agency.objects.filter(pk__in=agencies)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DueDateChangeInline(admin.TabularInline):
    model = DueDateChange
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["at", "reason_code", "old_due_at", "new_due_at", "reason"]
    readonly_fields = fields

    @admin.display(description=_("shown to the citizen"))
    def reason(self, obj: DueDateChange) -> str:
        return obj.reason_text()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: deadlines move only through the workflow and the calendar."""

    list_display = ["subject", "agency", "due_at", "paused_at", "completed_at"]
    list_filter = ["agency"]
    list_select_related = ["agency", "content_type"]
    ordering = ["due_at", "id"]
    inlines = [DueDateChangeInline]

    @admin.display(description=_("object"))
    def subject(self, obj: Deadline) -> str:
        content_type = ContentType.objects.get_for_id(obj.content_type_id)  # cached
        return f"{content_type.name} #{obj.object_id}"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        agencies = _agency_ids(request)
        return queryset if agencies is None else queryset.filter(agency__in=agencies)


@admin.register(TrackingCounter)
class TrackingCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a counter edited by hand would issue a number twice or leave a gap."""

    list_display = ["prefix", "year", "last_number"]
    list_filter = ["year"]
    search_fields = ["prefix"]

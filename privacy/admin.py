"""Staff side of the data-subject rights.

* Correction requests: the verifying agency's staff (Disdukcapil counter officers and agency
  admins, who may manage NIKs) see their agency's requests, oldest due first, with an "overdue"
  filter (UU PDP: 3 × 24 hours), and approve or reject them with an action; approval applies the
  change through ``accounts.services``. Staff of other agencies see nothing.
* Exports and erasures: read-only records for superusers (accountability), no personal data shown.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Case, Q, When
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.selectors import is_staff_of_code, staff_agency_ids
from balikpapan_untuk_warga.api.errors import ApplicationError
from privacy import services
from privacy.models import CorrectionEvent, CorrectionRequest, ErasureRecord, ExportRequest
from services.admin_tools import ReadOnlyAdminMixin


def _may_see(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    # Only the verifying agency's staff: others do not even see the menu entry.
    return user.is_superuser or (
        is_staff_of_code(user, settings.PRIVACY_CORRECTION_AGENCY_CODE)
        and user.has_perm("accounts.verify_nik")
    )


class CorrectionOverdueFilter(admin.SimpleListFilter):
    title = _("answer deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        pending = Q(state=CorrectionRequest.State.PENDING)
        if self.value() == "yes":
            return queryset.filter(pending, due_at__lt=now)
        if self.value() == "no":
            return queryset.exclude(pending & Q(due_at__lt=now))
        return queryset


class CorrectionEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CorrectionEvent
    fields = ["action", "actor", "note", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return _may_see(request)


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the citizen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a rejection: the citizen reads it."),
    )


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "citizen_display",
        "field",
        "requested_display",
        "state",
        "due_display",
        "decided_by",
    ]
    list_filter = [CorrectionOverdueFilter, "state", "field"]
    search_fields = ["user__full_name", "user__email", "user__phone", "reason"]
    show_full_result_count = False
    list_select_related = ["user", "decided_by"]
    fields = [
        "user",
        "agency",
        "field",
        "current_display",
        "requested_display",
        "reason",
        "state",
        "created_at",
        "due_at",
        "decided_at",
        "decided_by",
        "decision_note",
    ]
    readonly_fields = fields
    inlines = [CorrectionEventInline]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency_id__in=staff_agency_ids(request.user))

    def get_ordering(self, request):
        # Waiting requests first, the one due soonest on top.
        waiting_first = Case(When(state=CorrectionRequest.State.PENDING, then=0), default=1)
        return [waiting_first.asc(), "due_at", "id"]

    def has_module_permission(self, request) -> bool:
        return _may_see(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return _may_see(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        # Actions normally need the change permission; here they need the right to decide.
        actions = super().get_actions(request)
        if not _may_see(request):
            return {}
        return actions

    @admin.display(description=_("citizen"))
    def citizen_display(self, obj):
        return obj.user.full_name or obj.user.email or obj.user.phone or "—"

    @admin.display(description=_("requested value"))
    def requested_display(self, obj):
        return obj.requested_display

    @admin.display(description=_("recorded value"))
    def current_display(self, obj):
        user = obj.user
        if obj.field == CorrectionRequest.Field.NIK:
            return user.nik_masked or "—"
        if obj.field == CorrectionRequest.Field.HOME_KELURAHAN:
            return str(user.home_kelurahan) if user.home_kelurahan_id else "—"
        return user.full_name or "—"

    @admin.display(description=_("answer due by"), ordering="due_at")
    def due_display(self, obj):
        text = timezone.localtime(obj.due_at).strftime("%d-%m-%Y %H:%M")
        if obj.is_overdue:
            return format_html('<strong class="overdue">{} ({})</strong>', text, _("overdue"))
        return text

    def _decide(self, request, queryset, *, approve: bool, title):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for correction in queryset:
                try:
                    services.correction_decide(
                        actor=request.user,
                        correction=correction,
                        approve=approve,
                        note=form.cleaned_data["note"],
                    )
                except ApplicationError as exc:
                    self.message_user(request, f"{correction}: {exc.detail}", messages.ERROR)
                except Exception as exc:  # DRF ValidationError (a rejection without a note)
                    detail = getattr(exc, "detail", None)
                    if detail is None:
                        raise
                    self.message_user(request, f"{correction}: {detail}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request, _("%(count)d request(s) decided.") % {"count": done}, messages.SUCCESS
                )
            return None
        return TemplateResponse(
            request,
            "admin/privacy/decide.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "objects": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Approve and apply the correction"))
    def approve(self, request, queryset):
        return self._decide(request, queryset, approve=True, title=_("Approve corrections"))

    @admin.action(description=_("Reject (with a reason)"))
    def reject(self, request, queryset):
        return self._decide(request, queryset, approve=False, title=_("Reject corrections"))


@admin.register(ExportRequest)
class ExportRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "uuid",
        "user",
        "state",
        "created_at",
        "ready_at",
        "expires_at",
        "downloaded_at",
    ]
    list_filter = ["state", "created_at"]
    search_fields = ["uuid"]
    show_full_result_count = False
    fields = [
        "uuid",
        "user",
        "state",
        "size",
        "created_at",
        "ready_at",
        "expires_at",
        "downloaded_at",
    ]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["account_id", "at"]
    list_filter = ["at"]
    search_fields = ["account_id"]
    fields = ["account_id", "at", "counts"]
    readonly_fields = fields

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

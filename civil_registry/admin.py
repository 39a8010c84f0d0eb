"""Disdukcapil's work queue in the Django admin. Every action is a workflow transition performed
by the module's services; rows come from the same scoped selector as the API (staff of another
agency see nothing, not even the menu entry)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.access_log import AccessLoggedAdminMixin
from accounts.selectors import is_staff_of_code
from civil_registry import selectors, services
from civil_registry.models import CivilRequest
from services import admin_tools
from services.admin_tools import apply_each

STAFF_ACTIONS = {
    "start_review": (_("Start review"), False),
    "ask_revision": (_("Ask for a revision"), True),
    "approve": (_("Approve"), False),
    "reject": (_("Reject"), True),
    "issue": (_("Issue"), False),
    "complete": (_("Complete"), False),
}


def is_agency_staff(request) -> bool:
    """Active staff with a membership in Disdukcapil: only they see the module in the admin
    (the menu entry included). Staff of other agencies and superusers without that membership
    see nothing, as in the selectors. No query of its own: the roles are read once per user."""
    return is_staff_of_code(request.user, services.AGENCY_CODE)


class OverdueFilter(admin_tools.OverdueFilter):
    # Declared here too so that this catalog (first in LOCALE_PATHS) keeps its "Overdue".
    overdue_label = _("Overdue")


class KelurahanFilter(admin.SimpleListFilter):
    title = _("kelurahan")
    parameter_name = "kelurahan"

    def lookups(self, request, model_admin):
        from services.models import Kelurahan

        return [(k.code, k.name) for k in Kelurahan.objects.order_by("name")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kelurahan__code=self.value())
        return queryset


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note to the citizen"), widget=forms.Textarea, required=False)
    pdf = forms.FileField(label=_("Signed PDF from the national system"), required=False)
    pickup_note = forms.CharField(
        label=_("Or: ready for pick-up at"),
        required=False,
        max_length=200,
        help_text=_("e.g. MPP Balikpapan, Disdukcapil counter 3"),
    )


@admin.register(CivilRequest)
class CivilRequestAdmin(AccessLoggedAdminMixin, admin_tools.WorkQueueAdminMixin, admin.ModelAdmin):
    access_log_subject_fields = ("owner",)
    list_display = [
        "tracking_number",
        "request_type",
        "state",
        "subject_name",
        "kelurahan",
        "due_display",
        "nik_check",
        "created_at",
    ]
    list_filter = ["request_type", "state", OverdueFilter, KelurahanFilter, "nik_check"]
    search_fields = ["tracking_number"]
    search_help_text = _("Tracking number (DUK-…) or the full 16-digit NIK concerned.")
    list_per_page = 50
    actions = ["start_review_action", "approve_action", "complete_action"]
    fields = [
        "tracking_number",
        "request_type",
        "state",
        "owner_display",
        "relationship",
        "subject_name",
        "subject_nik_masked",
        "kelurahan",
        "subject_data_display",
        "documents_display",
        "revision_note",
        "issued_document",
        "pickup_note",
        "issued_at",
        "nik_check",
        "nik_checked_at",
        "national_reference",
        "national_status",
        "national_checked_at",
        "history_display",
        "actions_display",
    ]
    readonly_fields = fields
    staff_actions = STAFF_ACTIONS
    transition_form_class = TransitionForm
    transition_template = "civil_registry/admin_transition.html"
    nik_digest_lookup = "subject_nik_digest"

    # --- who sees what ---------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.request_queue_for(user=request.user)

    def is_queue_staff(self, request) -> bool:
        return is_agency_staff(request)

    # --- columns and detail ----------------------------------------------------------------

    @admin.display(description=_("subject data"))
    def subject_data_display(self, obj):
        fields = obj.type_spec.serializer().fields
        rows = []
        for name, value in obj.subject_data.items():
            label = fields[name].label if name in fields else name
            if isinstance(value, list):  # moving members: one per line
                value = "; ".join(
                    ", ".join(str(v) for v in row.values()) if isinstance(row, dict) else str(row)
                    for row in value
                )
            rows.append((label, value))
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows))

    @admin.display(description=_("documents"))
    def documents_display(self, obj):
        rows = []
        for link in obj.documents.select_related("document"):
            url = reverse("admin:uploads_document_download", args=[link.document.uuid])
            preview = (
                format_html('<br><img src="{}" alt="" class="buw-thumb">', url)
                if link.document.content_type.startswith("image/")
                else ""
            )
            rows.append((link.requirement_label, url, link.document.original_name, preview))
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", '<li>{}: <a href="{}">{}</a>{}</li>', rows),
        )

    def perform_transition(self, request, obj, name, data):
        actor = request.user
        note = data.get("note", "")
        if name == "start_review":
            services.request_start_review(actor=actor, request=obj)
        elif name == "ask_revision":
            services.request_ask_revision(actor=actor, request=obj, note=note)
        elif name == "approve":
            services.request_approve(actor=actor, request=obj, note=note)
        elif name == "reject":
            services.request_reject(actor=actor, request=obj, reason=note)
        elif name == "issue":
            services.request_issue(
                actor=actor, request=obj, pdf=data.get("pdf"), pickup_note=data.get("pickup_note")
            )
        elif name == "complete":
            services.request_complete(actor=actor, request=obj)

    @admin.action(description=_("Start review of the selected requests"))
    def start_review_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.request_start_review(actor=request.user, request=obj),
            success=_("%(count)d request(s) in review."),
        )

    @admin.action(description=_("Approve the selected requests"))
    def approve_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.request_approve(actor=request.user, request=obj),
            success=_("%(count)d request(s) approved."),
        )

    @admin.action(description=_("Complete the selected requests"))
    def complete_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.request_complete(actor=request.user, request=obj),
            success=_("%(count)d request(s) completed."),
        )

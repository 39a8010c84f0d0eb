"""Disdukcapil's work queue in the Django admin. Every action is a workflow transition performed
by the module's services; rows come from the same scoped selector as the API (staff of another
agency see nothing, not even the menu entry)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts import identifiers
from accounts.selectors import is_staff_of_code
from balikpapan_untuk_warga.api.errors import ApplicationError
from civil_registry import selectors, services
from civil_registry.models import CivilRequest
from services.admin_tools import apply_each
from services.workflow import allowed_transitions_for, history_for

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


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("On time"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(due_at__lt=now)
        if self.value() == "no":
            return queryset.exclude(due_at__lt=now)
        return queryset


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
class CivilRequestAdmin(admin.ModelAdmin):
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

    # --- who sees what ---------------------------------------------------------------------

    def get_queryset(self, request):
        return selectors.request_queue_for(user=request.user)

    def get_ordering(self, request):
        # oldest due first (an annotation of the selector, so not a checked ``ordering``)
        return (F("due_at").asc(nulls_last=True), "created_at", "id")

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if len(term) == 16 and term.isdigit():
            return queryset.filter(subject_nik_digest=identifiers.digest(term)), False
        return super().get_search_results(request, queryset, search_term)

    # --- columns and detail ----------------------------------------------------------------

    @admin.display(description=_("due"), ordering="due_at")
    def due_display(self, obj):
        if not getattr(obj, "due_at", None):
            return "—"
        text = timezone.localtime(obj.due_at).strftime("%d-%m-%Y %H:%M")
        if selectors.is_overdue(obj):
            return format_html('<strong style="color:#b00">{} ({})</strong>', text, _("overdue"))
        return text

    @admin.display(description=_("applicant"))
    def owner_display(self, obj):
        return f"{obj.owner.full_name} ({obj.owner.nik_masked})"

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
                format_html('<br><img src="{}" alt="" style="max-width:240px">', url)
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

    @admin.display(description=_("history"))
    def history_display(self, obj):
        rows = history_for(obj=obj, viewer=obj._viewer)
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} — {} → {} ({}) {}</li>",
                (
                    (
                        timezone.localtime(r.at).strftime("%d-%m-%Y %H:%M"),
                        r.from_state or "·",
                        r.to_state,
                        r.get_actor_role_display(),
                        r.note,
                    )
                    for r in rows
                ),
            ),
        )

    @admin.display(description=_("actions"))
    def actions_display(self, obj):
        allowed = [
            t.name
            for t in allowed_transitions_for(obj=obj, actor=obj._viewer)
            if t.name in STAFF_ACTIONS
        ]
        if not allowed:
            return "—"
        return format_html_join(
            " ",
            '<a class="button" href="{}">{}</a>',
            (
                (
                    reverse("admin:civil_registry_civilrequest_transition", args=[obj.pk, name]),
                    STAFF_ACTIONS[name][0],
                )
                for name in allowed
            ),
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._viewer = request.user  # for the history and the allowed actions
        return obj

    # --- transitions -----------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="civil_registry_civilrequest_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, name):
        if name not in STAFF_ACTIONS or not is_agency_staff(request):
            raise Http404
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404
        form = TransitionForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                self._perform(request, obj, name, form.cleaned_data)
            except ApplicationError as exc:
                self.message_user(request, str(exc.detail), messages.ERROR)
            except Exception as exc:
                from rest_framework.exceptions import ValidationError

                if not isinstance(exc, ValidationError):
                    raise
                self.message_user(request, str(exc.detail), messages.ERROR)
            else:
                self.message_user(request, _("Done."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:civil_registry_civilrequest_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "obj": obj,
            "form": form,
            "title": f"{STAFF_ACTIONS[name][0]} — {obj.tracking_number}",
            "name": name,
        }
        return render(request, "civil_registry/admin_transition.html", context)

    def _perform(self, request, obj, name, data):
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

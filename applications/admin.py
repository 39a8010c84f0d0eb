"""The applications module in the Django admin.

* **Application forms** (agency admins of the service's agency, superusers): the draft fields and
  required documents edited inline, a preview that renders the draft and checks a sample, and
  publishing, which freezes the draft into a new immutable version.
* **Applications** (staff of the handling agency): the work queue, oldest due first, with the
  same filters, search and actions as the civil registry's. Every action is a workflow
  transition performed by the module's services; rows come from the same scoped selectors.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from accounts.models import AgencyMembership
from accounts.selectors import holds_role, is_agency_staff
from accounts.services import personal_data_access_record
from applications import definition, selectors, services
from applications.models import (
    AgencyPrefix,
    Application,
    ApplicationForm,
    FieldType,
    FormField,
    FormRequirement,
    FormVersion,
)
from applications.portal.forms import DefinitionForm, _flat
from applications.portal.views import form_page_context, kelurahan_choices
from balikpapan_untuk_warga.api.errors import ApplicationError
from services import admin_tools
from services.admin_tools import apply_each
from services.catalog.models import Service
from services.catalog.selectors import service_admin_list_for

# --- definitions ------------------------------------------------------------------------------


def manages_some_agency(request) -> bool:
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    return holds_role(user, AgencyMembership.Role.AGENCY_ADMIN)


class FormFieldForm(forms.ModelForm):
    class Meta:
        model = FormField
        fields = [
            "position",
            "key",
            "field_type",
            "is_required",
            "label_id",
            "label_en",
            "help_id",
            "help_en",
            "min_length",
            "max_length",
            "min_value",
            "max_value",
            "is_integer",
            "pattern",
            "choices",
            "requirement_code",
            "show_when_field",
            "show_when_value",
        ]
        widgets = {
            "choices": forms.Textarea(attrs={"rows": 3, "cols": 40}),
            "help_id": forms.TextInput(attrs={"size": 30}),
            "help_en": forms.TextInput(attrs={"size": 30}),
        }

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("field_type")
        if cleaned.get("pattern"):
            import re

            try:
                re.compile(cleaned["pattern"])
            except re.error:
                self.add_error("pattern", _("Not a valid regular expression."))
        if kind in definition.CHOICE_TYPES and not definition.parse_choices(
            cleaned.get("choices", "")
        ):
            self.add_error("choices", _("A choice field needs its allowed choices."))
        if kind == FieldType.FILE and not cleaned.get("requirement_code"):
            self.add_error("requirement_code", _("Name the required document this file is."))
        if bool(cleaned.get("show_when_field")) != bool(cleaned.get("show_when_value")):
            self.add_error("show_when_value", _("Give both the field and the value, or neither."))
        return cleaned


class AgencyAdminInline:
    """Inline rows follow the form's own rule (the agency's admins), not Django model perms."""

    def has_view_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)


class FormFieldInline(AgencyAdminInline, admin.StackedInline):
    model = FormField
    form = FormFieldForm
    extra = 0
    ordering = ["position", "id"]
    fieldsets = [
        (None, {"fields": [("position", "key", "field_type", "is_required")]}),
        (None, {"fields": [("label_id", "label_en"), ("help_id", "help_en")]}),
        (
            _("Validation"),
            {
                "fields": [
                    ("min_length", "max_length"),
                    ("min_value", "max_value", "is_integer"),
                    "pattern",
                    "choices",
                    "requirement_code",
                ]
            },
        ),
        (_("Condition"), {"fields": [("show_when_field", "show_when_value")]}),
    ]


class FormRequirementInline(AgencyAdminInline, admin.TabularInline):
    model = FormRequirement
    extra = 0
    ordering = ["position", "id"]
    fields = ["position", "code", "label_id", "label_en", "is_required"]


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    extra = 0
    fields = ["number", "published_at", "published_by"]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ApplicationFormAdminForm(forms.ModelForm):
    class Meta:
        model = ApplicationForm
        fields = [
            "service",
            "intro_id",
            "intro_en",
            "working_days",
            "output_kind",
            "output_name_id",
            "output_name_en",
            "letter_template",
            "is_open",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "service" in self.fields and user is not None:
            available = service_admin_list_for(actor=user)
            if self.instance.pk is None:
                available = available.filter(application_form__isnull=True)
            self.fields["service"].queryset = available


@admin.register(ApplicationForm)
class ApplicationFormAdmin(admin.ModelAdmin):
    form = ApplicationFormAdminForm
    list_display = ["service", "agency", "published_display", "is_open", "updated_at"]
    list_filter = ["is_open", "agency"]
    search_fields = ["service__name_id", "service__name_en", "service__code"]
    inlines = [FormRequirementInline, FormFieldInline, FormVersionInline]
    actions = ["publish_action"]
    list_select_related = ["service", "agency", "current_version"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class WithUser(base):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=user, **inner)

        return WithUser

    def get_readonly_fields(self, request, obj=None):
        return ["service", "preview_link"] if obj is not None else []

    @admin.display(description=_("preview and publish"))
    def preview_link(self, obj):
        url = reverse("admin:applications_applicationform_preview", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url, _("Preview the draft"))

    def get_queryset(self, request):
        return selectors.form_admin_list_for(user=request.user)

    def has_module_permission(self, request) -> bool:
        return manages_some_agency(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_add_permission(self, request) -> bool:
        return manages_some_agency(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return manages_some_agency(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("published version"))
    def published_display(self, obj):
        if obj.current_version is None:
            return _("not published")
        return f"v{obj.current_version.number}"

    def save_model(self, request, obj, form, change):
        if change:
            services._check_may_manage(request.user, obj.agency_id)
            obj.full_clean(exclude=["current_version"])
            obj.save()
        else:
            values = {
                name: form.cleaned_data[name] for name in form.Meta.fields if name != "service"
            }
            created = services.form_create(
                actor=request.user, service=form.cleaned_data["service"], **values
            )
            obj.pk, obj.id, obj.agency = created.pk, created.pk, created.agency
            obj._state.adding = False
            obj.uuid = created.uuid

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(
                reverse("admin:applications_applicationform_preview", args=[obj.pk])
            )
        return super().response_change(request, obj)

    @admin.action(description=_("Publish the selected forms (a new version each)"))
    def publish_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda form: services.form_publish(actor=request.user, form=form),
            success=_("%(count)d form(s) published."),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="applications_applicationform_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """Render the draft as citizens would see it and check a sample against it."""
        form_obj = self.get_queryset(request).filter(pk=pk).first()
        if form_obj is None:
            raise Http404
        if request.method == "POST" and request.POST.get("action") == "publish":
            try:
                version = services.form_publish(actor=request.user, form=form_obj)
            except ApplicationError as exc:
                self.message_user(request, str(exc.detail), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Published as version %(n)d.") % {"n": version.number},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        spec = services.form_spec(form_obj)
        problems = definition.spec_problems(spec)
        sample = DefinitionForm(
            request.POST or None,
            request.FILES or None,
            spec=spec,
            kelurahan=kelurahan_choices(),
        )
        errors: list[str] = []
        verdict = ""
        if request.method == "POST" and not problems:
            sample.is_valid()
            answers = sample.answers()
            try:
                definition.validate_answers(spec, answers)
            except DRFValidationError as exc:
                errors = sample.add_service_errors(exc.detail)
            uploaded = set(sample.uploads(answers))
            missing = [
                definition.text_in(r, "label")
                for r in definition.needed_requirements(spec, answers)
                if r["code"] not in uploaded
            ]
            errors += [_("Missing document: %(label)s") % {"label": label} for label in missing]
            if not errors and not sample.errors:
                verdict = _("The sample is valid: it would be accepted.")
            elif not errors:
                errors = [_("Please fix the marked fields.")]
        context = {
            **self.admin_site.each_context(request),
            **form_page_context(spec=spec, form=sample, errors=errors),
            "opts": self.model._meta,
            "original": form_obj,
            "title": _("Preview: %(form)s") % {"form": form_obj},
            "problems": problems,
            "verdict": verdict,
            "schema": json.dumps(definition.json_schema(spec), indent=2, ensure_ascii=False)
            if not problems
            else "",
        }
        return render(request, "applications/admin_preview.html", context)


@admin.register(AgencyPrefix)
class AgencyPrefixAdmin(admin.ModelAdmin):
    list_display = ["prefix", "agency"]
    search_fields = ["prefix", "agency__short_name"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: request.user.is_superuser
    )


# --- the work queue ---------------------------------------------------------------------------

STAFF_ACTIONS = {
    "start_review": (_("Start review"), False),
    "ask_revision": (_("Ask for a revision"), True),
    "approve": (_("Approve"), False),
    "reject": (_("Reject"), True),
    "complete": (_("Complete"), False),
}


class ServiceFilter(admin.SimpleListFilter):
    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        from accounts.selectors import staff_agency_ids

        services_ = Service.objects.filter(application_form__isnull=False)
        if not request.user.is_superuser:
            services_ = services_.filter(agency_id__in=staff_agency_ids(request.user))
        return list(services_.order_by("name_id").values_list("code", "name_id"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(service_code=self.value())
        return queryset


class TransitionForm(forms.Form):
    note = forms.CharField(label=_("Note to the citizen"), widget=forms.Textarea, required=False)
    pdf = forms.FileField(
        label=_("Signed output document (PDF)"),
        required=False,
        help_text=_("Not needed when the form's output is a generated decision letter."),
    )


@admin.register(Application)
class ApplicationAdmin(admin_tools.WorkQueueAdminMixin, admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "title",
        "state",
        "owner_name",
        "due_display",
        "created_at",
    ]
    list_filter = ["state", ServiceFilter, admin_tools.OverdueFilter]
    search_fields = ["tracking_number"]
    search_help_text = _("Tracking number, or the full 16-digit NIK of the applicant.")
    list_per_page = 50
    actions = ["start_review_action", "approve_action", "complete_action"]
    fields = [
        "tracking_number",
        "title",
        "state",
        "owner_display",
        "version_display",
        "answers_display",
        "documents_display",
        "revision_note",
        "decision_note",
        "output_document",
        "history_display",
        "actions_display",
    ]
    readonly_fields = fields
    staff_actions = STAFF_ACTIONS
    transition_form_class = TransitionForm
    transition_template = "applications/admin_transition.html"
    nik_digest_lookup = "owner__nik_digest"

    def get_queryset(self, request):
        return selectors.application_queue_for(user=request.user).select_related("version")

    def is_queue_staff(self, request) -> bool:
        return is_agency_staff(request.user)

    def transition_error_messages(self, exc) -> list[str]:
        return list(_flat(exc.detail))

    @admin.display(description=_("applicant"), ordering="owner__full_name")
    def owner_name(self, obj):
        return obj.owner.full_name

    @admin.display(description=_("form version"))
    def version_display(self, obj):
        return f"v{obj.version.number}"

    @admin.display(description=_("answers"))
    def answers_display(self, obj):
        """NIK answers masked (what the list and any view without a request show)."""
        return self._answers_html(obj, full=False)

    def _answers_html(self, obj, *, full: bool):
        from applications.portal.views import answer_rows

        shown = answer_rows(obj, services.full_answers(obj) if full else None)
        return format_html("<dl>{}</dl>", format_html_join("", "<dt>{}</dt><dd>{}</dd>", shown))

    def _full_answers_field(self, request, obj):
        """For staff holding ``accounts.view_full_nik``: the answers with the full NIKs, each
        rendering recorded as an access to the applicant's personal data (UU PDP), as for a
        user's NIK. ``None`` for anyone else or an application without NIK answers."""
        if obj is None or not obj.sealed_answers:
            return None
        if not request.user.has_perm("accounts.view_full_nik"):
            return None
        cached = getattr(request, "_applications_full_answers", None)
        if cached is None:

            def cached(application):
                personal_data_access_record(
                    accessor=request.user, subject=application.owner, field="nik", channel="admin"
                )
                return self._answers_html(application, full=True)

            cached.short_description = _("answers")
            request._applications_full_answers = cached
        return cached

    def _with_full_answers(self, request, obj, names):
        field = self._full_answers_field(request, obj)
        if field is None:
            return list(names)
        return [field if name == "answers_display" else name for name in names]

    def get_fields(self, request, obj=None):
        return self._with_full_answers(request, obj, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._with_full_answers(request, obj, super().get_readonly_fields(request, obj))

    @admin.display(description=_("documents"))
    def documents_display(self, obj):
        labels = {
            r["code"]: definition.text_in(r, "label") for r in obj.version.spec["requirements"]
        }
        rows = []
        for link in obj.documents.select_related("document"):
            url = reverse("admin:uploads_document_download", args=[link.document.uuid])
            rows.append(
                (labels.get(link.requirement, link.requirement), url, link.document.original_name)
            )
        if not rows:
            return "—"
        return format_html(
            "<ul>{}</ul>", format_html_join("", '<li>{}: <a href="{}">{}</a></li>', rows)
        )

    def perform_transition(self, request, obj, name, data):
        actor, note = request.user, data.get("note", "")
        if name == "start_review":
            services.application_start_review(actor=actor, application=obj)
        elif name == "ask_revision":
            services.application_ask_revision(actor=actor, application=obj, note=note)
        elif name == "approve":
            services.application_approve(actor=actor, application=obj, note=note)
        elif name == "reject":
            services.application_reject(actor=actor, application=obj, reason=note)
        elif name == "complete":
            services.application_complete(actor=actor, application=obj, pdf=data.get("pdf"))

    @admin.action(description=_("Start review of the selected applications"))
    def start_review_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.application_start_review(actor=request.user, application=obj),
            success=_("%(count)d application(s) in review."),
        )

    @admin.action(description=_("Approve the selected applications"))
    def approve_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.application_approve(actor=request.user, application=obj),
            success=_("%(count)d application(s) approved."),
        )

    @admin.action(description=_("Complete the selected applications (decision letters)"))
    def complete_action(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda obj: services.application_complete(actor=request.user, application=obj),
            success=_("%(count)d application(s) completed."),
        )

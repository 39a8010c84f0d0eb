"""The agency's work list and the command centre's triage queue. Scoped by the same selector as
the API; every action is a workflow transition through a service."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts.access_log import AccessLoggedAdminMixin
from accounts.selectors import is_agency_staff
from balikpapan_untuk_warga.api.errors import ApplicationError
from channels.admin import whatsapp_reply_send, whatsapp_thread
from complaints import selectors, services
from complaints.models import (
    Boundary,
    Category,
    Complaint,
    InternalNote,
    OutsideBody,
    PublicPhoto,
    Supporter,
)
from complaints.workflow import State
from services.admin_tools import ReadOnlyAdminMixin, apply_each
from services.uploads.services import document_upload


def _is_complaint_staff(request) -> bool:
    """Staff with a role in any agency (their selector scopes what they see). Every agency role
    grants permissions (``accounts.roles``) and the backends cache them on the user, so this adds
    no query to admin pages, whose sidebar asks every admin."""
    return is_agency_staff(request.user)


class TriageFilter(admin.SimpleListFilter):
    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [("triage", _("Triage queue")), ("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "triage":
            return queryset.filter(state=State.RECEIVED)
        if self.value() == "overdue":
            return queryset.filter(pk__in=selectors.overdue_for(user=request.user).values("pk"))
        return queryset


class ComplaintAdminForm(forms.ModelForm):
    resolution_note = forms.CharField(
        label=_("Resolve with this public note"), required=False, widget=forms.Textarea
    )
    after_photo = forms.ImageField(label=_('"After" photo'), required=False)
    whatsapp_reply = forms.CharField(
        label=_("Reply to the reporter on WhatsApp"),
        required=False,
        max_length=4096,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only for a complaint that came by WhatsApp; the reporter sees the agency, not your name."
        ),
    )

    class Meta:
        model = Complaint
        fields = []


class InternalNoteInline(admin.TabularInline):
    """Staff notes: added here or through the API, never shown to the reporter or the public.
    Existing notes are read-only (a note is a record); new ones go through the service."""

    model = InternalNote
    fields = ["created_at", "author", "text"]
    readonly_fields = ["created_at", "author"]
    extra = 1
    verbose_name = _("internal note")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return obj is not None and services.may_handle(user=request.user, complaint=obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class SupporterInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Supporter
    fields = ["created_at"]
    readonly_fields = fields
    extra = 0


@admin.register(Complaint)
class ComplaintAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_log_subject_fields = ("reporter",)
    form = ComplaintAdminForm
    list_display = [
        "tracking_number",
        "state",
        "category",
        "agency",
        "kelurahan",
        "channel",
        "resolution_due_at",
        "is_breached",
        "created_at",
    ]
    list_filter = [
        TriageFilter,
        "state",
        "category",
        "agency",
        "outside_body",
        "channel",
        "is_breached",
    ]
    search_fields = ["tracking_number", "text", "address"]
    list_select_related = ["category", "agency", "kelurahan"]
    readonly_fields = [
        "tracking_number",
        "state",
        "channel",
        "text",
        "category",
        "suggested_category",
        "suggestion_confidence",
        "agency",
        "latitude",
        "longitude",
        "kelurahan",
        "address",
        "duplicate_of",
        "outside_body",
        "outside_sent_at",
        "outside_answer",
        "outside_answered_at",
        "public_photos_allowed",
        "public_note",
        "response_due_at",
        "resolution_due_at",
        "responded_at",
        "resolved_at",
        "is_breached",
        "rating",
        "rating_comment",
        "created_at",
        whatsapp_thread,
    ]
    inlines = [InternalNoteInline, SupporterInline]
    actions = ["triage_with_suggestion", "start_work"]

    def get_queryset(self, request):
        if not hasattr(request, "_complaints_queryset"):
            request._complaints_queryset = selectors.complaint_list_for(user=request.user)
        return request._complaints_queryset.all()

    def has_module_permission(self, request):
        return _is_complaint_staff(request)

    def has_view_permission(self, request, obj=None):
        return _is_complaint_staff(request)

    def has_change_permission(self, request, obj=None):
        return _is_complaint_staff(request)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        """New internal notes go through the service (author, agency, checks)."""
        if formset.model is not InternalNote:
            return super().save_formset(request, form, formset, change)
        for note in formset.save(commit=False):
            if note.pk is None and (note.text or "").strip():
                try:
                    services.internal_note_add(
                        actor=request.user, complaint=form.instance, text=note.text
                    )
                except ApplicationError as exc:
                    self.message_user(request, str(exc.detail), messages.ERROR)
        return None

    def save_model(self, request, obj, form, change):
        """Nothing is edited in place: a resolution note resolves through the service; a WhatsApp
        reply goes to the conversation the complaint came from."""
        reply = (form.cleaned_data.get("whatsapp_reply") or "").strip()
        if reply:
            if not services.may_handle(user=request.user, complaint=obj):
                self.message_user(request, _("Only the handling agency may reply."), messages.ERROR)
            elif whatsapp_reply_send(actor=request.user, complaint=obj, text=reply):
                self.message_user(request, _("The reply is being sent."), messages.SUCCESS)
            else:
                self.message_user(
                    request, _("This complaint did not come by WhatsApp."), messages.ERROR
                )
        note = form.cleaned_data.get("resolution_note")
        if not note:
            return
        photo = form.cleaned_data.get("after_photo")
        try:
            uuid = None
            if photo:
                uuid = document_upload(
                    owner=request.user, file=photo, purpose="complaint_after_photo"
                ).uuid
            services.complaint_resolve(
                actor=request.user, complaint=obj, public_note=note, after_photo=uuid
            )
        except ApplicationError as exc:
            self.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)

    @admin.action(description=_("Triage with the suggested category"))
    def triage_with_suggestion(self, request, queryset):
        def triage(complaint):
            if complaint.suggested_category is None:
                raise ApplicationError(_("No suggested category."), code="category_not_found")
            services.complaint_triage(
                actor=request.user, complaint=complaint, category=complaint.suggested_category
            )

        apply_each(self, request, queryset, triage, success=_("%(count)d complaint(s) triaged."))

    @admin.action(description=_("Start work"))
    def start_work(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda c: services.complaint_start(actor=request.user, complaint=c),
            success=_("%(count)d complaint(s) in progress."),
        )


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "parent", "agency", "response_hours", "resolution_days"]
    list_filter = ["agency", "is_field", "is_active"]
    search_fields = ["code", "name_id", "name_en"]
    list_select_related = ["parent", "agency"]


@admin.register(Boundary)
class BoundaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "is_approximation", "is_active", "licence", "loaded_at"]
    exclude = ["geometry"]


@admin.register(OutsideBody)
class OutsideBodyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "email", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name", "short_name"]

    def has_module_permission(self, request):
        return _is_complaint_staff(request)

    def has_view_permission(self, request, obj=None):
        return _is_complaint_staff(request)

    # The bodies' addresses are city configuration: superusers set them, staff read them (no
    # query here: the admin's sidebar asks every admin on every page).
    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublicPhoto)
class PublicPhotoAdmin(admin.ModelAdmin):
    """Blurred public copies; staff withdraw one the detector missed something in."""

    list_display = ["complaint", "faces", "plates", "created_at"]
    list_select_related = ["complaint"]
    fields = ["complaint", "faces", "plates", "created_at"]
    readonly_fields = fields
    search_fields = ["complaint__tracking_number"]
    list_filter = ["created_at"]

    def get_queryset(self, request):
        visible = selectors.complaint_list_for(user=request.user).values("pk")
        return super().get_queryset(request).filter(complaint__in=visible)

    def has_module_permission(self, request):
        return _is_complaint_staff(request)

    def has_view_permission(self, request, obj=None):
        return _is_complaint_staff(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return _is_complaint_staff(request)

"""The counter's admin: staff see only their agencies' service points, sessions and tickets; every
action calls the same service as the API."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from accounts.access_log import AccessLoggedAdminMixin
from accounts.selectors import staff_agency_ids
from balikpapan_untuk_warga.api.errors import ApplicationError
from health import selectors, services
from health.models import (
    Closure,
    Doctor,
    Facility,
    Schedule,
    ServicePoint,
    Session,
    SessionChange,
    Ticket,
)
from services.admin_tools import ReadOnlyAdminMixin, apply_each

# Model permissions come from agency memberships (``accounts.roles``, computed once per request
# by the platform's auth backend and cached on the user), so asking costs no query.
AGENCY_ADMIN_PERMISSION = "accounts.add_agencymembership"  # held by agency admins only
COUNTER_PERMISSION = "workflow.view_deadline"  # held by every counter role


class ScopedAdmin(admin.ModelAdmin):
    """Superusers see everything; staff only what belongs to their agencies. Agency staff may
    view (the rows are scoped); agency admins may change (``counter_may_edit``: officers too)."""

    agency_path = "agency"
    counter_may_edit = False

    def _member(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.has_perm(COUNTER_PERMISSION)

    def has_module_permission(self, request):
        return request.user.is_superuser or self._member(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._member(request)

    def _may_edit(self, request) -> bool:
        user = request.user
        if user.is_superuser:
            return True
        if self.counter_may_edit:
            return self._member(request)
        return self._member(request) and user.has_perm(AGENCY_ADMIN_PERMISSION)

    def has_add_permission(self, request, *args):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        agencies = staff_agency_ids(request.user)
        return queryset.filter(**{f"{self.agency_path}__in": agencies})


class ScheduleInline(admin.TabularInline):
    model = Schedule
    extra = 0


@admin.register(Facility)
class FacilityAdmin(ScopedAdmin):
    list_display = ["name", "kind", "kecamatan", "agency", "is_confirmed", "is_active"]
    list_filter = ["kind", "is_confirmed", "is_active"]
    list_select_related = ["agency"]
    search_fields = ["name", "code"]


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedAdmin):
    list_display = ["name", "facility", "kind", "agency", "is_active"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["facility", "agency"]
    inlines = [ScheduleInline]


@admin.register(Doctor)
class DoctorAdmin(ScopedAdmin):
    agency_path = "facility__agency"
    list_display = ["name", "specialty", "facility", "is_active"]
    list_select_related = ["facility"]


@admin.register(Closure)
class ClosureAdmin(ScopedAdmin):
    agency_path = "facility__agency"
    list_display = ["date", "facility", "service_point", "reason", "created_by"]
    list_select_related = ["facility", "service_point", "created_by"]
    fields = ["facility", "service_point", "date", "reason"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._may_edit(request)

    def save_model(self, request, obj, form, change):
        closure = services.closure_create(
            actor=request.user,
            facility=obj.facility,
            service_point=obj.service_point,
            date=obj.date,
            reason=obj.reason,
        )
        obj.pk = closure.pk


class SessionChangeInline(admin.TabularInline):
    model = SessionChange
    extra = 0
    can_delete = False
    fields = ["at", "field", "from_value", "to_value", "reason", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class SessionForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=200,
        help_text=_("Required when the quota changes; shown on the session's public page."),
    )

    class Meta:
        model = Session
        fields = ["quota"]

    def clean(self):
        data = super().clean()
        if "quota" in self.changed_data and not data.get("change_reason", "").strip():
            self.add_error("change_reason", _("Say why the quota changes."))
        return data


@admin.register(Session)
class SessionAdmin(ScopedAdmin):
    agency_path = "service_point__agency"
    form = SessionForm
    list_display = [
        "date",
        "starts_at",
        "service_point",
        "state",
        "quota",
        "taken_count",
        "last_number",
        "now_serving",
    ]
    list_filter = ["state", "date"]
    list_select_related = ["service_point__facility"]
    date_hierarchy = "date"
    readonly_fields = [
        "service_point",
        "date",
        "starts_at",
        "ends_at",
        "doctor",
        "state",
        "taken_count",
        "last_number",
        "now_serving",
    ]
    inlines = [SessionChangeInline]
    actions = ["call_next", "close_sessions"]

    counter_may_edit = True  # the quota, with a reason

    def has_add_permission(self, request, *args):
        return False

    def save_model(self, request, obj, form, change):
        if "quota" in form.changed_data:
            try:
                services.session_quota_change(
                    actor=request.user,
                    session=obj,
                    quota=form.cleaned_data["quota"],
                    reason=form.cleaned_data["change_reason"],
                )
            except ApplicationError as exc:
                self.message_user(request, str(exc.detail), messages.ERROR)

    @admin.action(description=_("Call the next ticket"))
    def call_next(self, request, queryset):
        def call(session):
            ticket = services.session_call_next(actor=request.user, session=session)
            self.message_user(request, _("Called number %(number)d.") % {"number": ticket.number})

        apply_each(self, request, queryset, call, success=_("%(count)d session(s) called."))

    @admin.action(description=_("Close the session"))
    def close_sessions(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda s: services.session_close(
                actor=request.user, session=s, reason="closed at the counter"
            ),
            success=_("%(count)d session(s) closed."),
        )


class ScanForm(forms.Form):
    code = forms.CharField(
        label=_("Scanned check-in code"),
        max_length=200,
        help_text=_("Scan the QR on the ticket; the scanner types the code and presses Enter."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false", "size": 60}
        ),
    )


class TicketSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Ticket number, code or patient name"), max_length=100, required=False
    )


@admin.register(Ticket)
class TicketAdmin(AccessLoggedAdminMixin, ReadOnlyAdminMixin, ScopedAdmin):
    access_log_subject_fields = ("owner",)
    agency_path = "session__service_point__agency"
    list_display = ["number", "code", "patient_name", "session", "payer", "state", "is_walk_in"]
    list_filter = ["state", "payer", "is_walk_in", "session__date"]
    list_select_related = ["session__service_point__facility"]
    search_fields = ["code", "patient_name", "=number"]
    actions = ["check_in", "serve", "recall"]

    def get_urls(self):
        return [
            path(
                "check-in/",
                self.admin_site.admin_view(self.check_in_view),
                name="health_ticket_check_in",
            ),
            *super().get_urls(),
        ]

    def check_in_view(self, request):
        """The check-in counter: a field kept focused for a keyboard-wedge barcode scanner (the
        QR's code, then Enter), and a search by number, code or name for a ticket without its
        QR. Scoped like everything else: another facility's ticket is not found (404)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        scan = ScanForm(request.POST if "code" in request.POST else None)
        search = TicketSearchForm(request.GET or None)
        status = 200
        if request.method == "POST":
            try:
                ticket = self._check_in_posted(request, scan)
            except ApplicationError as exc:
                status = exc.status_code
                self.message_user(request, str(exc.detail), messages.ERROR)
            except Http404:
                status = 404
                self.message_user(
                    request, _("No such ticket at your service points."), messages.ERROR
                )
            else:
                if ticket is not None:
                    self.message_user(
                        request,
                        _("Number %(number)d (%(code)s) is checked in.")
                        % {"number": ticket.number, "code": ticket.code},
                        messages.SUCCESS,
                    )
                    return redirect(request.get_full_path())
                status = 400
            scan = ScanForm()  # an empty, focused field for the next scan
        query = search.cleaned_data.get("q", "") if search.is_valid() else ""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check-in"),
            "opts": self.model._meta,
            "scan": scan,
            "search": search,
            "query": query,
            "results": list(selectors.staff_ticket_search(user=request.user, search=query)[:50]),
        }
        return TemplateResponse(
            request, "admin/health/ticket/check_in.html", context, status=status
        )

    def _check_in_posted(self, request, scan):
        """Check in the scanned code or the ticket picked from the search (``None``: bad form)."""
        if "ticket" in request.POST:
            try:
                ticket = selectors.staff_ticket_get_for(
                    user=request.user, uuid=uuid.UUID(request.POST["ticket"])
                )
            except ValueError:
                raise Http404 from None
        elif scan.is_valid():
            ticket = selectors.staff_ticket_by_check_in_token(
                user=request.user, token=scan.cleaned_data["code"]
            )
        else:
            return None
        if ticket is None:
            raise Http404
        return services.ticket_check_in(actor=request.user, ticket=ticket)

    def _each(self, request, queryset, action, success):
        apply_each(
            self, request, queryset, lambda t: action(actor=request.user, ticket=t), success=success
        )

    @admin.action(description=_("Check in"))
    def check_in(self, request, queryset):
        self._each(request, queryset, services.ticket_check_in, _("%(count)d checked in."))

    @admin.action(description=_("Mark served"))
    def serve(self, request, queryset):
        self._each(request, queryset, services.ticket_serve, _("%(count)d served."))

    @admin.action(description=_("Recall"))
    def recall(self, request, queryset):
        self._each(request, queryset, services.ticket_recall, _("%(count)d recalled."))


@admin.register(SessionChange)
class SessionChangeAdmin(ReadOnlyAdminMixin, ScopedAdmin):
    agency_path = "session__service_point__agency"
    list_display = ["at", "session", "field", "from_value", "to_value", "reason", "actor"]
    list_select_related = ["session__service_point__facility", "actor"]

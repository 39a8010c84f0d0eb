"""Who looked at a citizen's personal data (UU PDP accountability): one helper and two mixins.

* ``record_access(request, subject_ids=..., obj=..., reason_kind=..., reason=...)`` writes the
  entries of one view of one object (one INSERT, however many citizens the object names).
* ``AccessLoggedAdminMixin`` calls it when the staff admin renders an object's change/view page.
* ``AccessLoggedAPIMixin`` gives a DRF view ``self.log_access(request, obj)`` for its detail GET.

Detail views are logged; list views are not. A list (a work queue, a search result) shows a line
per row and is where staff look for the object they then open: logging every row of every page
would bury the one meaningful entry ("X opened my request") under dozens of "appeared in a list"
entries for each citizen and add a write to every page of the queue. The opening of the object
is what shows the personal data and what the citizen is owed. The NIK is never stored here: an
object is named by its type and tracking number (or uuid).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from operator import attrgetter

from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessLogEntry
from accounts.selectors import staff_roles

ReasonKind = AccessLogEntry.ReasonKind

DEFAULT_REASONS = {
    ReasonKind.WORK_ITEM: "Penanganan berkas",  # the stored reason is the agency's language
    ReasonKind.SERVICE: "Pelayanan permohonan",
}


def object_reference(obj) -> str:
    """How the citizen recognises the object: its tracking number, else its uuid, else its id."""
    getter = getattr(obj, "get_tracking_number", None)
    reference = getter() if callable(getter) else getattr(obj, "tracking_number", "")
    return str(reference or getattr(obj, "uuid", "") or obj.pk)


def _agency_id(user, obj) -> int | None:
    """The object's handling agency when it has one the staff member works for, else the staff
    member's first agency (one query, cached on the user for the request)."""
    roles = staff_roles(user)
    agency_id = getattr(obj, "agency_id", None)
    if agency_id and any(r.agency_id == agency_id for r in roles):
        return agency_id
    return roles[0].agency_id if roles else agency_id


def record_access(
    request,
    *,
    subject_ids: Iterable[int | None],
    obj,
    reason_kind: str = ReasonKind.WORK_ITEM,
    reason: str = "",
) -> int:
    """Record that ``request.user`` (staff) opened ``obj`` holding the personal data of the users
    ``subject_ids``. Nothing is written for a non-staff viewer or for one's own data. Returns the
    number of entries written (one INSERT for all of them)."""
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_staff):
        return 0
    subjects = sorted({pk for pk in subject_ids if pk and pk != user.pk})
    if not subjects:
        return 0
    path = getattr(request, "path", "") or ""
    channel = AccessLogEntry.Channel.ADMIN if "/admin/" in path else AccessLogEntry.Channel.API
    fields = {
        "staff": user,
        # the name the citizen reads; never the staff member's email or phone
        "staff_name": (user.full_name or f"Petugas {user.uuid.hex[:8]}")[:150],
        "agency_id": _agency_id(user, obj),
        "object_type": obj._meta.label_lower[:60],
        "object_ref": object_reference(obj)[:64],
        "reason_kind": reason_kind,
        "reason": (reason or DEFAULT_REASONS.get(reason_kind, ""))[:255],
        "channel": channel,
        "at": timezone.now(),
    }
    AccessLogEntry.objects.bulk_create([AccessLogEntry(subject_id=pk, **fields) for pk in subjects])
    return len(subjects)


class AccessLoggedAdminMixin:
    """For a ModelAdmin whose change page shows a citizen's personal data.

    Set ``access_log_subject_fields`` (the foreign keys to the citizens the object names, e.g.
    ``["owner"]``) or override ``access_log_subject_ids(obj)``. The entry is written when the
    page is rendered for a GET (opening it), not on the save that follows."""

    access_log_subject_fields: tuple[str, ...] = ()
    access_log_reason_kind = ReasonKind.WORK_ITEM

    def access_log_subject_ids(self, obj) -> list[int | None]:
        return [attrgetter(f"{name}_id")(obj) for name in self.access_log_subject_fields]

    def access_log_reason(self, request, obj) -> tuple[str, str]:
        return self.access_log_reason_kind, ""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not add and request.method == "GET":
            reason_kind, reason = self.access_log_reason(request, obj)
            record_access(
                request,
                subject_ids=self.access_log_subject_ids(obj),
                obj=obj,
                reason_kind=reason_kind,
                reason=reason,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class AccessLoggedAPIMixin:
    # For a DRF view whose GET shows one object with a citizen's personal data to staff: call
    # ``self.log_access(request, obj)`` after the object is found (a citizen's own view writes
    # nothing). A comment, not a docstring: drf-spectacular would make it the description of
    # every operation of the views that have none of their own.

    access_log_subject_fields: tuple[str, ...] = ("owner",)
    access_log_reason_kind = ReasonKind.WORK_ITEM

    def log_access(self, request, obj, *, subject_ids=None) -> None:
        if subject_ids is None:
            subject_ids = [attrgetter(f"{name}_id")(obj) for name in self.access_log_subject_fields]
        record_access(
            request, subject_ids=subject_ids, obj=obj, reason_kind=self.access_log_reason_kind
        )


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you open this record?"),
        min_length=10,
        max_length=255,
        widget=forms.TextInput(attrs={"size": 80, "autofocus": True}),
        help_text=_(
            "E.g. “citizen at counter 3 asks to correct the phone number”. The citizen sees this "
            "reason in their access log."
        ),
    )

    def clean_reason(self) -> str:
        return " ".join(self.cleaned_data["reason"].split())


class StatedReasonAdminMixin(AccessLoggedAdminMixin):
    """For a record staff open outside any work item (a citizen's account): the change page asks
    for a free-text reason first, remembers it in the session for ``access_reason_seconds`` for
    that record, and logs each opening with it. Opening one's own record needs no reason."""

    access_log_reason_kind = ReasonKind.STATED
    access_reason_seconds = 30 * 60
    access_reason_template = "admin/accounts/access_reason.html"

    def access_reason_required(self, request, object_id: str) -> bool:
        return True

    def _reason_key(self, object_id) -> str:
        return f"{self.model._meta.label_lower}:{object_id}"

    def _stated_reason(self, request, object_id) -> str:
        reason, at = request.session.get(_SESSION_KEY, {}).get(self._reason_key(object_id), ("", 0))
        return reason if time.time() - at < self.access_reason_seconds else ""

    def access_log_reason(self, request, obj) -> tuple[str, str]:
        return ReasonKind.STATED, self._stated_reason(request, obj.pk)

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "<path:object_id>/reason/",
                self.admin_site.admin_view(self.access_reason_view),
                name="{}_{}_access_reason".format(*info),
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (
            request.method == "GET"
            and self.access_reason_required(request, object_id)
            and not self._stated_reason(request, object_id)
        ):
            info = self.model._meta.app_label, self.model._meta.model_name
            return redirect("admin:{}_{}_access_reason".format(*info), object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def access_reason_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        form = AccessReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            reasons = dict(request.session.get(_SESSION_KEY, {}))
            now = time.time()
            reasons = {k: v for k, v in reasons.items() if now - v[1] < self.access_reason_seconds}
            reasons[self._reason_key(obj.pk)] = (form.cleaned_data["reason"], now)
            request.session[_SESSION_KEY] = reasons
            info = self.model._meta.app_label, self.model._meta.model_name
            return redirect("admin:{}_{}_change".format(*info), obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reason for opening %(object)s") % {"object": obj},
            "form": form,
            "opts": self.model._meta,
            "original": obj,
        }
        return TemplateResponse(request, self.access_reason_template, context)


_SESSION_KEY = "access_log_reasons"


# Labels of the object types the citizen sees (``object_type`` is ``app_label.model``).
OBJECT_TYPE_LABELS = {
    "accounts.user": _("Account profile"),
    "accounts.household": _("Household (KK)"),
    "civil_registry.civilrequest": _("Civil registry request"),
    "health.ticket": _("Health queue ticket"),
    "health.visitplan": _("Health visit plan"),
    "complaints.complaint": _("Complaint"),
    "payments.payment": _("Payment"),
    "payments.bill": _("Bill"),
}


def object_type_label(object_type: str) -> str:
    return str(OBJECT_TYPE_LABELS.get(object_type, object_type))


# --- reads ------------------------------------------------------------------------------------


def access_log_for_citizen(*, user):
    """The entries about ``user`` — never anyone else's; staff name and agency in the same
    query."""
    return AccessLogEntry.objects.filter(subject=user).select_related("agency")


def access_log_for_staff(*, user):
    """The entries an agency admin may read: those written for the agencies they administer
    (all for a superuser, none for anyone else)."""
    from accounts.models import AgencyMembership

    if not (user.is_authenticated and user.is_active and user.is_staff):
        return AccessLogEntry.objects.none()
    queryset = AccessLogEntry.objects.select_related("agency", "subject")
    if user.is_superuser:
        return queryset
    agencies = AgencyMembership.objects.filter(
        user=user, role=AgencyMembership.Role.AGENCY_ADMIN
    ).values("agency_id")
    return queryset.filter(agency_id__in=agencies)

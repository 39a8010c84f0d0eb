"""Helpers for the Django admin of service modules.

* :func:`apply_each` runs a service function object by object for a bulk action.
* :class:`ReadOnlyAdminMixin` for records nobody edits by hand.
* :class:`WorkQueueAdminMixin` (with :class:`OverdueFilter`) is the agency's work queue of a
  workflow model: oldest due first, an overdue filter, a 16-digit NIK search, the status
  history, and one confirmation page per staff transition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from accounts import identifiers
from balikpapan_untuk_warga.api.errors import ApplicationError
from services.workflow import allowed_transitions_for, history_for


def apply_each(modeladmin, request, objects: Iterable, action: Callable, *, success: str) -> int:
    """Call ``action(obj)`` for every object; a refusal is reported for that object alone.

    ``success`` is a message with ``%(count)d``, shown once for all that succeeded.
    """
    done = 0
    for obj in objects:
        try:
            action(obj)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.detail}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, success % {"count": done}, messages.SUCCESS)
    return done


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (history, audit rows, deliveries): view and actions only."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def is_overdue(obj, now=None) -> bool:
    """Whether a workflow object's ``due_at`` (an annotation of the queue selector) has passed
    while it is still open."""
    due_at = getattr(obj, "due_at", None)
    return bool(due_at and due_at < (now or timezone.now()) and obj.workflow.is_open(obj.state))


class OverdueFilter(admin.SimpleListFilter):
    """Filter a work queue on its ``due_at`` annotation: past it (``yes``) or not (``no``).

    A module may subclass it to set its own labels (``title``, ``overdue_label``,
    ``on_time_label``)."""

    title = _("overdue")
    parameter_name = "overdue"
    overdue_label = _("Overdue")
    on_time_label = _("On time")

    def lookups(self, request, model_admin):
        return [("yes", self.overdue_label), ("no", self.on_time_label)]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(due_at__lt=now)
        if self.value() == "no":
            return queryset.exclude(due_at__lt=now)
        return queryset


class WorkQueueAdminMixin:
    """The agency's work queue of a workflow model, to put before ``admin.ModelAdmin``.

    Rows come from the module's scoped queue selector (``get_queryset``, which must annotate
    ``due_at``), oldest due first. Nobody adds, changes or deletes rows by hand: staff act through
    the transition pages at ``<pk>/transition/<name>/`` (URL name
    ``<app_label>_<model_name>_transition``), each a form confirmed by staff and handed to the
    module's services. The subclass sets:

    * ``staff_actions``: ``{transition name: (button label, needs a note)}``, the transitions
      staff may perform here;
    * ``transition_form_class`` and ``transition_template``: the confirmation page;
    * ``nik_digest_lookup``: the field searched with the digest of a full 16-digit NIK;
    * ``is_queue_staff(request)``: who sees the queue at all (the menu entry included);
    * ``perform_transition(request, obj, name, data)``: calls the service for ``name``.

    It provides the columns ``due_display``, ``owner_display``, ``history_display`` and
    ``actions_display`` (the last two need the object from ``get_object``).
    """

    staff_actions: dict[str, tuple] = {}
    transition_form_class: type[forms.Form] = forms.Form
    transition_template: str = ""
    nik_digest_lookup: str = "owner__nik_digest"

    def is_queue_staff(self, request) -> bool:
        raise NotImplementedError

    def perform_transition(self, request, obj, name: str, data: dict) -> None:
        raise NotImplementedError

    def transition_error_messages(self, exc) -> list[str]:
        """The messages shown for a refused transition (one per line of ``exc.detail``)."""
        return [str(exc.detail)]

    # --- who sees what ---------------------------------------------------------------------

    def get_ordering(self, request):
        # oldest due first (an annotation of the selector, so not a checked ``ordering``)
        return (F("due_at").asc(nulls_last=True), "created_at", "id")

    def has_module_permission(self, request) -> bool:
        return self.is_queue_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self.is_queue_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if len(term) == 16 and term.isdigit():
            lookup = {self.nik_digest_lookup: identifiers.digest(term)}
            return queryset.filter(**lookup), False
        return super().get_search_results(request, queryset, search_term)

    # --- columns and detail ----------------------------------------------------------------

    @admin.display(description=_("due"), ordering="due_at")
    def due_display(self, obj):
        if not getattr(obj, "due_at", None):
            return "—"
        text = timezone.localtime(obj.due_at).strftime("%d-%m-%Y %H:%M")
        if is_overdue(obj):
            return format_html('<strong class="buw-overdue">{} ({})</strong>', text, _("overdue"))
        return text

    @admin.display(description=_("applicant"))
    def owner_display(self, obj):
        return f"{obj.owner.full_name} ({obj.owner.nik_masked})"

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
            if t.name in self.staff_actions
        ]
        if not allowed:
            return "—"
        url_name = f"admin:{self._transition_url_name()}"
        return format_html_join(
            " ",
            '<a class="button" href="{}">{}</a>',
            (
                (reverse(url_name, args=[obj.pk, name]), self.staff_actions[name][0])
                for name in allowed
            ),
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._viewer = request.user  # for the history and the allowed actions
        return obj

    # --- transitions -----------------------------------------------------------------------

    def _transition_url_name(self) -> str:
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}_transition"

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=self._transition_url_name(),
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, pk, name):
        """Confirm one staff transition of one row of the queue (404 outside it)."""
        if name not in self.staff_actions or not self.is_queue_staff(request):
            raise Http404
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404
        form = self.transition_form_class(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                self.perform_transition(request, obj, name, form.cleaned_data)
            except (ApplicationError, DRFValidationError) as exc:
                for text in self.transition_error_messages(exc):
                    self.message_user(request, text, messages.ERROR)
            else:
                self.message_user(request, _("Done."), messages.SUCCESS)
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "obj": obj,
            "form": form,
            "title": f"{self.staff_actions[name][0]} — {obj.tracking_number}",
            "name": name,
        }
        return render(request, self.transition_template, context)

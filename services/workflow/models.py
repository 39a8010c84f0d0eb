"""Models of services.workflow: status history, deadlines on the working calendar, tracking numbers.

* :class:`WorkflowModel` — the abstract mixin a module's stateful model inherits;
* :class:`StatusHistory` — append-only: one row per transition, never edited or deleted;
* :class:`Holiday`, :class:`WorkingHours` — the admin-managed working calendar;
* :class:`Deadline`, :class:`DueDateChange` — an object's SLA clock and every move of its due time;
* :class:`TrackingCounter` — the last tracking number issued per (prefix, year).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from services.workflow.definitions import AGENCY_STAFF, OWNER, SYSTEM

if TYPE_CHECKING:
    from accounts.models import User
    from services.models import Agency
    from services.workflow.definitions import Workflow


class ActorRole(models.TextChoices):
    OWNER = OWNER, _("Citizen")
    AGENCY_STAFF = AGENCY_STAFF, _("Agency staff")
    SYSTEM = SYSTEM, _("System")


# --- the module's stateful model ----------------------------------------------------------------


class WorkflowModel(models.Model):
    """Mixin for a stateful model. The module sets ``workflow``, ``module_slug``, ``service_code``,
    redeclares ``state`` with its choices and default, has a ``uuid`` field, and implements the
    ``get_*`` methods. ``state`` is changed only by :func:`services.workflow.transition_perform`
    (the initial state is set on creation); ``manage.py check`` verifies the declarations.
    """

    workflow: ClassVar[Workflow]
    module_slug: ClassVar[str] = ""
    service_code: ClassVar[str] = ""

    state = models.CharField(_("state"), max_length=40, db_index=True)
    state_changed_at = models.DateTimeField(
        _("state changed at"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def get_owner(self) -> User:
        """The citizen the object belongs to (receives the activity item and notifications)."""
        raise NotImplementedError

    def get_handling_agency(self) -> Agency | None:
        """The agency whose staff handle the object (and whose calendar its deadline follows)."""
        raise NotImplementedError

    def get_tracking_number(self) -> str:
        raise NotImplementedError

    def get_activity_title(self):
        """The title of the citizen's activity item (may be a lazy translation)."""
        raise NotImplementedError

    def get_links(self) -> tuple[str, str]:
        """``(app_link, portal_link)`` of the object's detail."""
        return "", ""

    def get_state_label(self):
        return self.workflow.label(self.state)


# --- history ---------------------------------------------------------------------------------


class AppendOnlyError(RuntimeError):
    """History rows are appended, never changed or deleted."""


class StatusHistoryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Status history is append-only.")

    def delete(self):
        raise AppendOnlyError("Status history is append-only.")


class StatusHistory(models.Model):
    """One transition of one object: who, from, to, the note, when. Rows are never changed."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=64)
    from_state = models.CharField(_("from state"), max_length=40)
    to_state = models.CharField(_("to state"), max_length=40)
    # SET_NULL keeps the row when an account is erased; actor_role still says who acted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_role = models.CharField(_("acted as"), max_length=20, choices=ActorRole.choices)
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling agency"),
    )
    note = models.TextField(_("note"), blank=True)
    is_internal = models.BooleanField(
        _("internal note"),
        default=False,
        help_text=_("Internal notes are never shown to citizens."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    objects = StatusHistoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("status history entry")
        verbose_name_plural = _("status history")
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "at"], name="workflow_history_obj_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state} ({self.transition})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Status history is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Status history is append-only.")


# --- the working calendar ----------------------------------------------------------------------


class Holiday(models.Model):
    """A day on which offices are closed: national holidays and cuti bersama (the SKB 3 Menteri of
    each year) for everyone, or a local closure of one agency (or, without agency, of the city)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local closure")

    date = models.DateField(_("date"), db_index=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        verbose_name=_("agency"),
        help_text=_("Only for a local closure of one agency; empty means every agency."),
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_(
            "Ticked when the date is fixed by law or published in the decree (SKB); unticked "
            "for an estimate that must be checked when the decree is out."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(
        _("in force"),
        default=True,
        help_text=_(
            "Untick instead of deleting a seeded date: the seed command re-creates deleted dates."
        ),
    )
    seed_key = models.SlugField(
        _("seed key"), max_length=80, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(kind="local"),
                name="holiday_agency_only_for_local",
            ),
        ]
        permissions = [
            ("manage_national_calendar", _("Can enter national holidays and cuti bersama")),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def name(self) -> str:
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english else self.name_id


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WorkingHours(models.Model):
    """One opening period of an agency on a weekday (WITA); a break makes two rows. An agency with
    no rows follows ``WORKFLOW_DEFAULT_WORKING_HOURS``; with rows, weekdays without rows are closed.
    """

    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.CASCADE,
        related_name="working_hours",
        verbose_name=_("agency"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["agency", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="working_hours_closes_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


# --- deadlines -----------------------------------------------------------------------------------


class Deadline(models.Model):
    """The SLA clock of one object, counted in working time of its handling agency.

    While running, ``due_at`` is set and the clock counts from ``resumed_at`` (or ``started_at``)
    with ``remaining`` working time left at that moment. While paused (the object waits for the
    citizen), ``due_at`` is empty and ``remaining`` is what was left when it was paused.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of object")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    obj = GenericForeignKey("content_type", "object_id")
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling agency"),
    )
    days = models.PositiveSmallIntegerField(_("working days"), default=0)
    hours = models.DecimalField(_("working hours"), max_digits=6, decimal_places=2, default=0)
    started_at = models.DateTimeField(_("started at"))
    resumed_at = models.DateTimeField(_("last resumed at"), null=True, blank=True)
    remaining = models.DurationField(_("working time left"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="deadline_once_per_object"
            ),
        ]
        indexes = [
            # "Overdue for this agency": open, running deadlines by due time.
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(completed_at__isnull=True, paused_at__isnull=True),
                name="workflow_deadline_running_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} due {self.due_at}"

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_open(self) -> bool:
        return self.completed_at is None

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_open and self.due_at is not None and self.due_at < now


class DueDateChange(models.Model):
    """One move of a due time, with its reason (shown to the citizen in their language)."""

    class Reason(models.TextChoices):
        STARTED = "started", _("Deadline set")
        PAUSED = "paused", _("Paused while waiting for the citizen")
        RESUMED = "resumed", _("Resumed after the citizen answered")
        CALENDAR_CHANGED = "calendar_changed", _("The working calendar changed")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="changes", verbose_name=_("deadline")
    )
    old_due_at = models.DateTimeField(_("previous due time"), null=True, blank=True)
    new_due_at = models.DateTimeField(_("new due time"), null=True, blank=True)
    reason_code = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("What the reason names: the holidays skipped, the due time without them."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("due date change")
        verbose_name_plural = _("due date changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_reason_code_display()}: {self.old_due_at} → {self.new_due_at}"

    def reason_text(self, language: str | None = None) -> str:
        """The sentence shown to the citizen, in ``language`` (default: the active language)."""
        from services.workflow.texts import due_change_text

        if language is None:
            return due_change_text(self)
        with translation.override(language):
            return due_change_text(self)

    @property
    def reason_id(self) -> str:
        return self.reason_text("id")

    @property
    def reason_en(self) -> str:
        return self.reason_text("en")


# --- tracking numbers --------------------------------------------------------------------------


class TrackingCounter(models.Model):
    """The last number issued for a (prefix, year); see :mod:`services.workflow.tracking`."""

    prefix = models.CharField(_("prefix"), max_length=5)
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("tracking number counter")
        verbose_name_plural = _("tracking number counters")
        ordering = ["prefix", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="tracking_counter_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"

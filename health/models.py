"""The queue engine: facilities, service points (polyclinics or MPP counters), doctors, weekly
schedules, closures, daily sessions with a quota, and numbered tickets.

Times are stored in UTC; a session's ``date`` is its day in WITA.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from health.workflow import ACTIVE_STATES, TICKET_WORKFLOW, TicketState
from services.workflow import WorkflowModel


class Facility(models.Model):
    class Kind(models.TextChoices):
        PUSKESMAS = "puskesmas", _("Community health centre (puskesmas)")
        HOSPITAL = "hospital", _("Hospital (RSUD)")
        MPP = "mpp", _("Public service mall (MPP)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="health_facilities",
        verbose_name=_("responsible agency"),
    )
    kecamatan = models.CharField(_("kecamatan"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    is_confirmed = models.BooleanField(
        _("details confirmed"),
        default=False,
        help_text=_("Unticked while the address, kecamatan or hours still wait for DKK's list."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServicePoint(models.Model):
    """Where one queue forms: a polyclinic of a facility, or an agency's counter at the MPP."""

    class Kind(models.TextChoices):
        POLYCLINIC = "polyclinic", _("Polyclinic")
        COUNTER = "counter", _("Counter")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        related_name="service_points",
        verbose_name=_("facility"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="health_service_points",
        verbose_name=_("handling agency"),
        help_text=_("DKK for a puskesmas polyclinic; the counter's agency at the MPP."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    ticket_prefix = models.CharField(_("ticket prefix"), max_length=4, default="A")
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("comes after"),
        help_text=_(
            "Counters whose service must come first in one visit (e.g. a KK update at "
            "Disdukcapil before BPJS): a household's visit plan is ordered by these."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        ordering = ["facility__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "code"], name="health_point_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facility.name} — {self.name}"


class Doctor(models.Model):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="doctors", verbose_name=_("facility")
    )
    name = models.CharField(_("name"), max_length=120)
    specialty = models.CharField(_("specialty"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("doctor")
        verbose_name_plural = _("doctors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Schedule(models.Model):
    """A weekly slot of a service point from which daily sessions are materialised."""

    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        related_name="schedules",
        verbose_name=_("service point"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), help_text=_("0 = Monday … 6 = Sunday.")
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    quota = models.PositiveIntegerField(_("quota"))
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("doctor"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["service_point", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="health_schedule_weekday"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="health_schedule_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_point} {self.weekday} {self.starts_at:%H:%M}"


class Closure(models.Model):
    """A day a facility (or one service point) is closed; its sessions are cancelled."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="closures", verbose_name=_("facility")
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closures",
        verbose_name=_("service point"),
        help_text=_("Empty: the whole facility is closed."),
    )
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.facility} {self.date}"


class Session(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("service point"),
    )
    schedule = models.ForeignKey(
        Schedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("schedule"),
    )
    doctor = models.ForeignKey(
        Doctor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("doctor"),
    )
    date = models.DateField(_("date"), db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    quota = models.PositiveIntegerField(_("quota"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    last_number = models.PositiveIntegerField(_("last number issued"), default=0)
    taken_count = models.PositiveIntegerField(
        _("places taken"),
        default=0,
        help_text=_("Tickets not cancelled; only a cancellation frees a place."),
    )
    now_serving = models.PositiveIntegerField(_("number being served"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service_point", "starts_at"], name="health_session_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(taken_count__lte=models.F("quota")) | Q(state="cancelled"),
                name="health_session_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_point} {self.date}"

    @property
    def remaining(self) -> int:
        if self.state != self.State.OPEN:
            return 0
        return max(self.quota - self.taken_count, 0)


class SessionChange(models.Model):
    """Append-only: every change of a session's quota or opening (who, when, from, to, why)."""

    class Field(models.TextChoices):
        QUOTA = "quota", _("Quota")
        STATE = "state", _("Opening")
        CREATED = "created", _("Created")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="changes", verbose_name=_("session")
    )
    field = models.CharField(_("what changed"), max_length=16, choices=Field.choices)
    from_value = models.CharField(_("from"), max_length=40, blank=True)
    to_value = models.CharField(_("to"), max_length=40)
    reason = models.CharField(_("reason"), max_length=200)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("session change")
        verbose_name_plural = _("session changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.session_id} {self.field}: {self.from_value} → {self.to_value}"


class VisitPlan(models.Model):
    """One visit for a household at the MPP: a chain of tickets at consecutive times across
    counters, in the order of what depends on what (e.g. the KK update before two KIA)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="health_visit_plans",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")

    def __str__(self) -> str:
        return str(self.uuid)


class Ticket(WorkflowModel):
    workflow = TICKET_WORKFLOW
    module_slug = "kesehatan"
    service_code = "antrean_puskesmas"

    class Payer(models.TextChoices):
        BPJS = "bpjs", _("BPJS Kesehatan")
        GENERAL = "general", _("General (self-paying)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("session")
    )
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket code"), max_length=40, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="health_tickets",
        verbose_name=_("booked by"),
        help_text=_("Empty for a walk-in ticket issued at the counter."),
    )
    patient_member = models.ForeignKey(
        "accounts.HouseholdMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("household member"),
    )
    patient_name = models.CharField(_("patient"), max_length=150)
    patient_key = models.CharField(_("patient key"), max_length=60, editable=False)
    payer = models.CharField(_("payer"), max_length=10, choices=Payer.choices)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    state = models.CharField(
        _("state"),
        max_length=40,
        choices=TicketState.choices,
        default=TicketState.BOOKED,
        db_index=True,
    )
    booked_at = models.DateTimeField(_("booked at"))
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("recalls"), default=0)
    plan = models.ForeignKey(
        VisitPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("visit plan"),
    )
    plan_step = models.PositiveSmallIntegerField(_("step in the plan"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="health_ticket_number"),
            models.UniqueConstraint(
                fields=["session", "patient_key"],
                condition=~Q(state="cancelled"),
                name="health_ticket_one_per_person",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "-booked_at"], name="health_ticket_owner_idx"),
            models.Index(fields=["session", "state", "number"], name="health_ticket_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_owner(self):
        return self.owner

    def get_handling_agency(self):
        return self.session.service_point.agency

    def get_tracking_number(self) -> str:
        return self.code

    def get_activity_title(self):
        return _("Queue ticket")

    def get_links(self) -> tuple[str, str]:
        return f"/api/v1/kesehatan/tickets/{self.uuid}/", f"/layanan/kesehatan/tiket/{self.uuid}/"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

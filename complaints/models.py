"""Complaints: the city's boundary, the category tree, complaints and their supporters."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from complaints.workflow import WORKFLOW, State
from services.workflow import WorkflowModel


class Boundary(models.Model):
    """The city's boundary as GeoJSON, loaded by ``manage.py load_complaint_boundary`` with its
    source and licence; the active row is the one intake checks against."""

    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField(_("geometry (GeoJSON Polygon or MultiPolygon)"))
    source = models.TextField(_("source"))
    licence = models.CharField(_("licence"), max_length=200)
    is_approximation = models.BooleanField(_("approximation"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("city boundary")
        verbose_name_plural = _("city boundaries")
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    """A node of the category tree, mapped to its handling agency and service times."""

    code = models.SlugField(
        _("code"), max_length=64, unique=True, help_text=_("Also the Open311 service code.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling agency"),
    )
    response_hours = models.PositiveSmallIntegerField(_("response time (working hours)"))
    resolution_days = models.PositiveSmallIntegerField(_("resolution time (working days)"))
    is_field = models.BooleanField(
        _("field work"),
        default=False,
        help_text=_('Resolving needs an "after" photo (roads, drainage, lights, waste).'),
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Public output rounds the location to about a kilometre (health, personal papers, "
            "reports about neighbours)."
        ),
    )
    keywords = models.JSONField(
        _("keywords"),
        default=list,
        blank=True,
        help_text=_("Indonesian word stems that suggest this category."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english else self.name_id


class OutsideBody(models.Model):
    """A body outside the city government that some complaints belong to (PLN for the grid, PDAM
    for piped water, BPJS, Polri, the province): a re-route target. It gets the complaint by
    e-mail and the command centre records its answer."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50)
    email = models.EmailField(
        _("e-mail for complaints"),
        blank=True,
        help_text=_("Where complaints are sent; empty: the command centre forwards them itself."),
    )
    description = models.CharField(_("what it handles"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("outside body")
        verbose_name_plural = _("outside bodies")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class Channel(models.TextChoices):
    APP = "app", _("Mobile app")
    WEB = "web", _("Web portal")
    WHATSAPP = "whatsapp", _("WhatsApp")
    MPP = "mpp", _("MPP counter")
    OPEN311 = "open311", _("Open311")


class Complaint(WorkflowModel):
    """One complaint, from intake to closure."""

    workflow = WORKFLOW
    module_slug = "pengaduan"
    service_code = "pengaduan"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(
        _("tracking number"), max_length=32, unique=True, editable=False
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporter"),
        help_text=_(
            "Empty for a complaint filed without an account (WhatsApp, MPP counter, Open311) "
            "until a citizen verifies the contact phone."
        ),
    )
    is_anonymous = models.BooleanField(
        _("anonymous"),
        default=False,
        help_text=_("The reporter's name is never shown, not even to the agency."),
    )
    identity_visible_to_agency = models.BooleanField(
        _("identity visible to the agency"), default=False
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=20,
        blank=True,
        help_text=_("Never shown in public output."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("complaint"))
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("category"),
    )
    suggested_category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested category"),
    )
    suggestion_confidence = models.DecimalField(
        _("suggestion confidence"), max_digits=3, decimal_places=2, null=True, blank=True
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handling agency"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    kelurahan = models.ForeignKey(
        "services.Kelurahan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kelurahan"),
    )
    address = models.CharField(_("address description"), max_length=300, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    public_photos_allowed = models.BooleanField(
        _("photos may be public"),
        default=False,
        help_text=_("The reporter allows blurred copies of the photos in public output."),
    )
    outside_body = models.ForeignKey(
        OutsideBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("outside body"),
        help_text=_("Set when the complaint was routed to a body outside the city government."),
    )
    outside_sent_at = models.DateTimeField(_("sent to the outside body at"), null=True, blank=True)
    outside_answer = models.TextField(_("answer of the outside body"), blank=True)
    outside_answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    public_note = models.TextField(_("public resolution note"), blank=True)
    response_due_at = models.DateTimeField(_("response due at"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    is_breached = models.BooleanField(_("SLA breached"), default=False)
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.CharField(_("rating comment"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=40, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["reporter", "-created_at"]),
            # The public list, Open311 requests.json and the dashboard: newest first over all
            # complaints (a sort of every row without it; docs/performance-explain.md).
            models.Index(fields=["-created_at", "-id"], name="complaint_created_idx"),
            models.Index(fields=["agency", "state"]),
            models.Index(fields=["category", "latitude", "longitude"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_number

    def get_owner(self):
        return self.reporter  # None for a complaint filed without an account

    def get_handling_agency(self):
        return self.agency

    def get_tracking_number(self) -> str:
        return self.tracking_number

    def get_activity_title(self):
        return self.category.name_id if self.category_id else _("Complaint")

    def get_links(self) -> tuple[str, str]:
        return (
            f"/api/v1/pengaduan/complaints/{self.uuid}/",
            reverse("complaints:detail", args=[self.uuid]),
        )

    @property
    def needs_triage(self) -> bool:
        return self.state == State.RECEIVED


class Supporter(models.Model):
    """A citizen who supports an existing complaint instead of filing a duplicate."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="supporters",
        verbose_name=_("complaint"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supporter"),
    )
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "user"], name="complaint_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.complaint} + {self.user_id}"


class InternalNote(models.Model):
    """A note between staff about a complaint. Never shown to the reporter or the public."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="internal_notes",
        verbose_name=_("complaint"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    agency = models.ForeignKey(
        "services.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("The agency handling the complaint when the note was written."),
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""


class PublicPhoto(models.Model):
    """The blurred copy of a complaint photo that public output may show (faces and licence
    plates found by OpenCV's bundled Haar cascades are pixelated), made by a Celery task after
    filing when the reporter allowed public photos."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="public_photos",
        verbose_name=_("complaint"),
    )
    source = models.OneToOneField(
        "uploads.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("original photo"),
    )
    file = models.FileField(_("blurred file"), max_length=255)
    faces = models.PositiveSmallIntegerField(_("faces blurred"), default=0)
    plates = models.PositiveSmallIntegerField(_("licence plates blurred"), default=0)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public (blurred) photo")
        verbose_name_plural = _("public (blurred) photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.uuid}"

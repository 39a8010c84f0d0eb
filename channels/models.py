"""WhatsApp conversations and their messages; Open311 partner applications, service attributes
and the requests they filed."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- WhatsApp -------------------------------------------------------------------------------------


class Conversation(models.Model):
    """Everything said with one WhatsApp number, and where its current dialogue stands."""

    class Step(models.TextChoices):
        MENU = "menu", _("Menu")
        REPORT_TEXT = "report_text", _("Report: describing the problem")
        REPORT_LOCATION = "report_location", _("Report: sharing the location")
        REPORT_PHOTO = "report_photo", _("Report: adding photos")
        REPORT_CONFIRM = "report_confirm", _("Report: confirming")
        QUEUE_FACILITY = "queue_facility", _("Queue: choosing the health centre")
        QUEUE_POINT = "queue_point", _("Queue: choosing the polyclinic")
        QUEUE_SESSION = "queue_session", _("Queue: choosing the session")
        QUEUE_PAYER = "queue_payer", _("Queue: choosing how to pay")

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    phone = models.CharField(
        _("phone number"), max_length=20, unique=True, help_text=_("E.164, e.g. +6281234567890.")
    )
    wa_id = models.CharField(_("WhatsApp id"), max_length=20)
    profile_name = models.CharField(_("WhatsApp profile name"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("citizen account"),
        help_text=_("The account whose verified phone is this number."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN
    )
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.MENU)
    draft = models.JSONField(_("dialogue data"), default=dict, blank=True)
    step_started_at = models.DateTimeField(_("step started at"), default=timezone.now)
    last_inbound_at = models.DateTimeField(_("last message from the citizen"), null=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("WhatsApp conversation")
        verbose_name_plural = _("WhatsApp conversations")
        ordering = ["-last_inbound_at", "-id"]

    def __str__(self) -> str:
        return f"…{self.phone[-4:]}"

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:5]}****{self.phone[-3:]}" if self.phone else ""

    def window_open(self, now=None) -> bool:
        """Free-form messages are allowed within 24 hours of the citizen's last message."""
        if self.last_inbound_at is None:
            return False
        hours = getattr(settings, "WHATSAPP_SERVICE_WINDOW_HOURS", 24)
        return (now or timezone.now()) - self.last_inbound_at < timezone.timedelta(hours=hours)


class Message(models.Model):
    """One WhatsApp message, in or out. Inbound messages are stored before they are processed;
    their ``wamid`` is unique, so a delivery Meta repeats is ignored."""

    class Direction(models.TextChoices):
        INBOUND = "in", _("From the citizen")
        OUTBOUND = "out", _("To the citizen")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, not processed yet")
        PROCESSED = "processed", _("Processed")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("conversation"),
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    # NULL, not "": a reply not sent yet has no id, and the id is unique once it has one
    wamid = models.CharField(_("WhatsApp message id"), max_length=128, null=True, blank=True)  # noqa: DJ001
    kind = models.CharField(_("kind"), max_length=20, default="text")
    text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    template = models.CharField(
        _("template"),
        max_length=100,
        blank=True,
        help_text=_("Outside the 24-hour window a pre-approved template is sent."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failure_reason = models.CharField(_("reason of the failure"), max_length=255, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by staff member"),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    processed_at = models.DateTimeField(_("processed or sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("WhatsApp message")
        verbose_name_plural = _("WhatsApp messages")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["wamid"], condition=Q(wamid__isnull=False), name="whatsapp_message_once"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ComplaintThread(models.Model):
    """The conversation a complaint was filed from (staff see and answer it beside the complaint)."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="whatsapp_thread",
        verbose_name=_("complaint"),
    )
    conversation = models.ForeignKey(
        Conversation,
        on_delete=models.CASCADE,
        related_name="complaint_threads",
        verbose_name=_("conversation"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("complaint filed by WhatsApp")
        verbose_name_plural = _("complaints filed by WhatsApp")

    def __str__(self) -> str:
        return str(self.complaint_id)


# --- Open311 --------------------------------------------------------------------------------------


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Partner(models.Model):
    """An application allowed to post Open311 service requests with its ``api_key``. Only a hash
    of the key is stored; the key is shown once when it is issued."""

    name = models.CharField(_("application"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    answers_with_token = models.BooleanField(
        _("answer with a token"),
        default=False,
        help_text=_(
            "POST answers with a token (to read the id from tokens/<token>) instead of the id."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 partner application")
        verbose_name_plural = _("Open311 partner applications")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ServiceAttribute(models.Model):
    """An Open311 attribute of a complaint category (the service definition)."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One of a list")
        MULTI = "multivaluelist", _("Several of a list")

    category = models.ForeignKey(
        "complaints.Category",
        on_delete=models.CASCADE,
        related_name="open311_attributes",
        verbose_name=_("complaint category"),
    )
    code = models.SlugField(_("code"), max_length=64)
    variable = models.BooleanField(
        _("asks for input"),
        default=True,
        help_text=_("Off: the description is only shown to the reporter."),
    )
    datatype = models.CharField(_("data type"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    description = models.CharField(_("question"), max_length=300)
    datatype_description = models.CharField(_("data type hint"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    values = models.JSONField(
        _("values"),
        default=list,
        blank=True,
        help_text=_('For lists: [{"key": "SELUTUT", "name": "Selutut (10–50 cm)"}, …]'),
    )

    class Meta:
        verbose_name = _("Open311 service attribute")
        verbose_name_plural = _("Open311 service attributes")
        ordering = ["category", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="open311_attribute_once"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def value_keys(self) -> dict[str, str]:
        return {str(v.get("key")): str(v.get("name", "")) for v in self.values or []}


class ServiceRequest(models.Model):
    """What a partner application posted: the complaint it became and the fields that have no
    place on a complaint. The contact fields are never shown in any GET answer."""

    complaint = models.OneToOneField(
        "complaints.Complaint",
        on_delete=models.CASCADE,
        related_name="open311_request",
        verbose_name=_("complaint"),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="requests", verbose_name=_("partner")
    )
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    media_url = models.URLField(_("media URL"), max_length=500, blank=True)
    address_id = models.CharField(_("address id"), max_length=100, blank=True)
    zipcode = models.CharField(_("postal code"), max_length=10, blank=True)
    email = models.EmailField(_("email"), blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("Open311 service request")
        verbose_name_plural = _("Open311 service requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.token)

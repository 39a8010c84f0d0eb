"""Notifications: the in-app inbox item, one delivery per outside channel, devices for push, and
each person's choices of channel and topic."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from services.activity.texts import in_language


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    PUSH = "push", _("Push notification")


class Topic(models.TextChoices):
    STATUS = "status", _("Status changes")
    PAYMENT = "payment", _("Payments")
    REMINDER = "reminder", _("Reminders")
    NEWS = "news", _("City news")
    TRANSACTIONAL = "transactional", _("Account security")


#: Channels with a delivery (the in-app inbox item is the notification itself).
DELIVERY_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.PUSH)
#: Channels that stay silent during quiet hours unless the notification is urgent.
QUIET_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.PUSH)
#: Topics a person chooses per channel; "transactional" is not a choice (in-app and email always).
CHOOSABLE_TOPICS = (Topic.STATUS, Topic.PAYMENT, Topic.REMINDER, Topic.NEWS)


class Notification(models.Model):
    """An item of the recipient's in-app inbox; also the source of every delivery elsewhere.

    Texts are rendered from the event's templates in every language when the event happens (the
    context, which may hold personal data, is not kept).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=64)
    key = models.CharField(
        _("event key"),
        max_length=255,
        help_text=_("Identifies the event: the same key is notified once per recipient."),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)
    is_urgent = models.BooleanField(_("urgent"), default=False)
    title = models.JSONField(_("title"))
    body = models.JSONField(_("body"))
    short_body = models.JSONField(_("short text"), help_text=_("For SMS, WhatsApp and push."))
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of object"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    app_link = models.CharField(_("link in the app"), max_length=500, blank=True)
    portal_link = models.CharField(_("link on the portal"), max_length=500, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["content_type", "object_id"], name="notification_object_idx"),
        ]

    def __str__(self) -> str:
        return self.title_text

    @property
    def title_text(self) -> str:
        return in_language(self.title)

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Delivery(models.Model):
    """One notification sent through one outside channel, with what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        AWAITING_DIGEST = "awaiting_digest", _("Waiting for the daily digest")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    scheduled_for = models.DateTimeField(
        _("not before"),
        default=timezone.now,
        help_text=_("Quiet hours and retries move this later."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    failure_reason = models.CharField(_("reason of the last failure"), max_length=255, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=255, blank=True)
    digest_batch = models.UUIDField(_("digest batch"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            ),
        ]
        indexes = [
            # The sweeper (due queued deliveries) and the digest (deliveries waiting for it).
            models.Index(fields=["status", "scheduled_for"], name="delivery_status_due_idx"),
            # A provider's delivery receipt finds its delivery by the provider's message id.
            models.Index(
                fields=["channel", "provider_message_id"], name="delivery_provider_id_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.summary}"

    @property
    def summary(self) -> str:
        """What staff read on the object, e.g. "Delivered by WhatsApp at 09:12, 3 Mar 2026"."""
        channel = self.get_channel_display()
        status = self.Status
        if self.status == status.DELIVERED:
            return _("Delivered by %(channel)s at %(time)s") % {
                "channel": channel,
                "time": _local(self.delivered_at),
            }
        if self.status == status.SENT:
            if self.digest_batch:
                return _("Sent in the daily email digest at %(time)s") % {
                    "time": _local(self.sent_at)
                }
            return _("Sent by %(channel)s at %(time)s") % {
                "channel": channel,
                "time": _local(self.sent_at),
            }
        if self.status == status.FAILED:
            return _("Not sent by %(channel)s (%(reason)s), at %(time)s") % {
                "channel": channel,
                "reason": self.failure_reason,
                "time": _local(self.failed_at),
            }
        if self.status == status.AWAITING_DIGEST:
            return _("Waiting for the daily email digest")
        if self.status == status.SENDING:
            return _("Being sent by %(channel)s") % {"channel": channel}
        return _("Queued for %(channel)s, not before %(time)s") % {
            "channel": channel,
            "time": _local(self.scheduled_for),
        }


def _local(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i, j M Y") if moment else "—"


class Device(models.Model):
    """A phone of the person registered for push notifications (an FCM or APNs token)."""

    class Platform(models.TextChoices):
        FCM = "fcm", _("Firebase Cloud Messaging (Android)")
        APNS = "apns", _("Apple Push Notification service (iOS)")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="devices",
        verbose_name=_("user"),
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    token = models.CharField(_("token"), max_length=512, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    registered_at = models.DateTimeField(_("last registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} …{self.token[-6:]}"


class ChannelPreference(models.Model):
    """A person's choice of topics on one outside channel; a missing row means "nothing"
    (everything beyond the in-app inbox and transactional email is opt-in)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_channel_preferences",
        verbose_name=_("user"),
    )
    channel = models.CharField(
        _("channel"),
        max_length=20,
        choices=[(c.value, c.label) for c in DELIVERY_CHANNELS],
    )
    topic_status = models.BooleanField(_("status changes"), default=False)
    topic_payment = models.BooleanField(_("payments"), default=False)
    topic_reminder = models.BooleanField(_("reminders"), default=False)
    topic_news = models.BooleanField(_("city news"), default=False)
    is_digest = models.BooleanField(
        _("daily digest"),
        default=False,
        help_text=_("Email only: gather non-urgent notifications into one email a day."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification channel preference")
        verbose_name_plural = _("notification channel preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "channel"], name="preference_once_per_channel"),
            models.CheckConstraint(
                condition=Q(is_digest=False) | Q(channel="email"), name="preference_digest_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_channel_display()}"

    def allows(self, topic: str) -> bool:
        return bool(getattr(self, f"topic_{topic}", False))

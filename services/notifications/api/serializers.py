"""Shapes of the notification endpoints. Names are globally unique (they name schema components)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from services.activity.texts import in_language
from services.notifications.models import Device, Notification, Topic

_TOKEN_PATTERN = r"^[A-Za-z0-9_:.\-]+$"  # FCM tokens (with ":" "_" "-"), APNs hex tokens


class NotificationSerializer(serializers.ModelSerializer):
    """An inbox item, in the language of the request."""

    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    topic = serializers.ChoiceField(choices=Topic.choices)
    is_read = serializers.BooleanField()

    class Meta:
        model = Notification
        fields = [
            "uuid",
            "event",
            "topic",
            "is_urgent",
            "title",
            "body",
            "app_link",
            "portal_link",
            "is_read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_title(self, notification: Notification) -> str:
        return in_language(notification.title)

    def get_body(self, notification: Notification) -> str:
        return in_language(notification.body)


class NotificationUnreadCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)


class NotificationReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(min_value=0, help_text=_("How many were unread."))


class NotificationTopicsSerializer(serializers.Serializer):
    """Whether each topic comes through one channel."""

    status = serializers.BooleanField(help_text=_("Status changes of your requests."))
    payment = serializers.BooleanField(help_text=_("Bills and payments."))
    reminder = serializers.BooleanField(help_text=_("Reminders of appointments and due dates."))
    news = serializers.BooleanField(help_text=_("News from the city."))


class NotificationInAppTopicsSerializer(serializers.Serializer):
    """The in-app inbox gets every topic: each given value must be true."""

    status = serializers.BooleanField(required=False)
    payment = serializers.BooleanField(required=False)
    reminder = serializers.BooleanField(required=False)
    news = serializers.BooleanField(required=False)

    def validate(self, attrs: dict) -> dict:
        if not all(attrs.values()):
            raise serializers.ValidationError(
                _("In-app notifications cannot be turned off."), code="in_app_required"
            )
        return attrs


class NotificationPreferencesSerializer(serializers.Serializer):
    """Which topics come through which channel. Everything but the in-app inbox is opt-in;
    account-security email (transactional) is always sent and not listed."""

    in_app = NotificationTopicsSerializer()
    email = NotificationTopicsSerializer()
    sms = NotificationTopicsSerializer()
    whatsapp = NotificationTopicsSerializer()
    push = NotificationTopicsSerializer()
    email_digest = serializers.BooleanField(
        help_text=_(
            "Gather non-urgent email into one message a day instead of one email per event."
        )
    )


class NotificationPreferencesInputSerializer(serializers.Serializer):
    in_app = NotificationInAppTopicsSerializer(
        required=False, help_text=_("Optional; every topic must stay true.")
    )
    email = NotificationTopicsSerializer()
    sms = NotificationTopicsSerializer()
    whatsapp = NotificationTopicsSerializer()
    push = NotificationTopicsSerializer()
    email_digest = serializers.BooleanField()
    consent_versions = serializers.DictField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text=_(
            "The version of each consent text shown (see consent-texts/), by purpose "
            "(notifications_email, notifications_sms, notifications_whatsapp, notifications_push). "
            "A channel left out is recorded against the current version."
        ),
    )

    def validate_consent_versions(self, value: dict) -> dict:
        allowed = {f"notifications_{channel}" for channel in ("email", "sms", "whatsapp", "push")}
        if set(value) - allowed:
            raise serializers.ValidationError(_("Unknown consent purpose."), code="invalid")
        return value


class DeviceRegisterInputSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Device.Platform.choices)
    token = serializers.RegexField(
        _TOKEN_PATTERN,
        max_length=512,
        min_length=16,
        trim_whitespace=False,
        help_text=_("The FCM registration token or the APNs device token."),
        error_messages={"invalid": _("Not a push token.")},
    )


class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ["uuid", "platform", "created_at", "registered_at"]
        read_only_fields = fields

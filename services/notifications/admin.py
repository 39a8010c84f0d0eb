"""Notifications in the staff admin: read-only; failed deliveries can be sent again.

Other modules show what became of the notifications about one of their objects with
:func:`deliveries_display` in their admin's ``readonly_fields``::

    @admin.display(description=_("notifications"))
    def notifications(self, obj):
        return deliveries_display(obj)
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from services.admin_tools import ReadOnlyAdminMixin, apply_each
from services.notifications import services
from services.notifications.models import Delivery, Device, Notification
from services.notifications.selectors import deliveries_for_object


def deliveries_display(obj) -> str:
    """The deliveries of every notification about ``obj``, one line each (for staff)."""
    deliveries = list(deliveries_for_object(obj)[:50])
    if not deliveries:
        return _("No notification sent.")
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} — {}</li>",
            ((d.notification.title_text, d.summary) for d in deliveries),
        ),
    )


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["channel", "status", "summary", "attempts", "failure_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("what became of it"))
    def summary(self, delivery: Delivery) -> str:
        return delivery.summary


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title_text", "event", "topic", "is_urgent", "recipient", "created_at"]
    list_filter = ["topic", "is_urgent", "event"]
    list_select_related = ["recipient"]
    search_fields = ["key"]
    show_full_result_count = False
    fields = [
        "uuid",
        "recipient",
        "event",
        "key",
        "topic",
        "is_urgent",
        "title",
        "body",
        "short_body",
        "content_type",
        "object_id",
        "app_link",
        "portal_link",
        "read_at",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [DeliveryInline]

    @admin.display(description=_("title"))
    def title_text(self, notification: Notification) -> str:
        return notification.title_text


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "notification_title",
        "channel",
        "status",
        "summary",
        "attempts",
        "recipient",
        "created_at",
    ]
    list_filter = ["channel", "status"]
    list_select_related = ["notification__recipient"]
    search_fields = ["notification__key", "uuid"]
    show_full_result_count = False
    actions = ["send_again"]
    fields = [
        "uuid",
        "notification",
        "channel",
        "status",
        "summary",
        "scheduled_for",
        "attempts",
        "sent_at",
        "delivered_at",
        "failed_at",
        "failure_reason",
        "provider_message_id",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("notification"))
    def notification_title(self, delivery: Delivery) -> str:
        return delivery.notification.title_text

    @admin.display(description=_("recipient"))
    def recipient(self, delivery: Delivery) -> str:
        return str(delivery.notification.recipient)

    @admin.display(description=_("what became of it"))
    def summary(self, delivery: Delivery) -> str:
        return delivery.summary

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_delivery")

    @admin.action(description=_("Send the failed deliveries again"), permissions=["send_again"])
    def send_again(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda delivery: services.delivery_retry(actor=request.user, delivery=delivery),
            success=_("%(count)d delivery(ies) queued again."),
        )


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "platform", "user", "registered_at"]
    list_filter = ["platform"]
    list_select_related = ["user"]
    show_full_result_count = False
    fields = ["uuid", "user", "platform", "created_at", "registered_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("notifications.delete_device")

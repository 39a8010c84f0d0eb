"""Staff screens of the channels: WhatsApp conversations with their messages and a reply form,
Open311 partner applications (keys issued once), service attributes and posted requests.

Who sees what: the command centre (and superusers) sees every conversation; other agency staff
see the conversations that filed a complaint their agency handles. Partners and attributes are
managed by the command centre."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.models import AgencyMembership
from accounts.selectors import holds_role, is_agency_staff, staff_agency_ids
from channels.models import (
    ComplaintThread,
    Conversation,
    Partner,
    ServiceAttribute,
    ServiceRequest,
)
from channels.open311 import services as open311_services
from channels.whatsapp import services as whatsapp_services
from services.admin_tools import ReadOnlyAdminMixin


def is_command_centre(user) -> bool:
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or holds_role(user, AgencyMembership.Role.COMMAND_CENTRE)


def conversations_for(user):
    queryset = Conversation.objects.all()
    if is_command_centre(user):
        return queryset
    if not is_agency_staff(user):
        return queryset.none()
    return queryset.filter(
        complaint_threads__complaint__agency_id__in=staff_agency_ids(user)
    ).distinct()


class ConversationReplyForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply to the citizen"),
        required=False,
        max_length=4096,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sent by WhatsApp (as the approved template when the 24-hour window is closed)."
        ),
    )

    class Meta:
        model = Conversation
        fields = []


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    form = ConversationReplyForm
    list_display = [
        "__str__",
        "profile_name",
        "linked",
        "step",
        "language",
        "last_inbound_at",
        "message_count",
    ]
    list_filter = ["step", "language", ("user", admin.EmptyFieldListFilter)]
    search_fields = ["profile_name", "complaint_threads__complaint__tracking_number"]
    readonly_fields = [
        "masked_phone",
        "profile_name",
        "user",
        "language",
        "step",
        "last_inbound_at",
        "window",
        "complaints",
        "thread",
    ]
    fields = [*readonly_fields, "reply"]
    list_select_related = ["user"]

    def get_queryset(self, request):
        return conversations_for(request.user).annotate(
            message_total=Count("messages", distinct=True)
        )

    @admin.display(description=_("messages"), ordering="message_total")
    def message_count(self, obj) -> int:
        return obj.message_total

    @admin.display(description=_("linked to an account"), boolean=True)
    def linked(self, obj) -> bool:
        return obj.user_id is not None

    @admin.display(description=_("phone number"))
    def masked_phone(self, obj) -> str:
        return obj.masked_phone

    @admin.display(description=_("24-hour window open"), boolean=True)
    def window(self, obj) -> bool:
        return obj.window_open()

    @admin.display(description=_("complaints filed"))
    def complaints(self, obj):
        threads = obj.complaint_threads.select_related("complaint")
        return (
            format_html_join(
                ", ",
                '<a href="/admin/complaints/complaint/{}/change/">{}</a>',
                ((t.complaint_id, t.complaint.tracking_number) for t in threads),
            )
            or "—"
        )

    @admin.display(description=_("messages"))
    def thread(self, obj):
        """The last 200 messages, oldest first (one query)."""
        messages_ = list(
            obj.messages.select_related("sent_by", "complaint").order_by("-created_at", "-id")[:200]
        )[::-1]
        rows = format_html_join(
            "",
            '<li><strong>{}</strong> <small>{} · {}{}</small><br><span class="buw-pre-wrap">{}</span></li>',
            (
                (
                    m.get_direction_display(),
                    timezone.localtime(m.created_at).strftime("%d-%m-%Y %H:%M"),
                    m.get_status_display(),
                    f" · {m.sent_by.full_name or m.sent_by.email}" if m.sent_by_id else "",
                    m.text or f"[{m.kind}]",
                )
                for m in messages_
            ),
        )
        return format_html('<ol class="whatsapp-thread">{}</ol>', rows) if messages_ else "—"

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request.user)

    def save_model(self, request, obj, form, change):
        text = form.cleaned_data.get("reply", "").strip()
        if text:
            thread = obj.complaint_threads.order_by("-created_at").first()
            whatsapp_services.staff_reply(
                actor=request.user,
                conversation=obj,
                text=text,
                complaint=thread.complaint if thread else None,
            )
            self.message_user(request, _("The reply is being sent."), messages.SUCCESS)

    def save_related(self, request, form, formsets, change):
        """Messages are read-only: nothing to save beside the reply."""


@admin.register(ComplaintThread)
class ComplaintThreadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """From a complaint's number to its WhatsApp conversation."""

    list_display = ["complaint", "conversation_link", "created_at"]
    search_fields = ["complaint__tracking_number"]
    list_select_related = ["complaint", "conversation"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(conversation__in=conversations_for(request.user))
        )

    @admin.display(description=_("conversation"))
    def conversation_link(self, obj):
        return format_html(
            '<a href="/admin/channels/conversation/{}/change/">{}</a>',
            obj.conversation_id,
            _("Open the WhatsApp thread"),
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request.user)

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request.user)


class CommandCentreOnlyMixin:
    """Screens only the command centre (and superusers) uses."""

    def has_module_permission(self, request) -> bool:
        return is_command_centre(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_command_centre(request.user)

    def has_add_permission(self, request) -> bool:
        return is_command_centre(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_command_centre(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "contact_email", "is_active", "answers_with_token"]


@admin.register(Partner)
class PartnerAdmin(CommandCentreOnlyMixin, admin.ModelAdmin):
    form = PartnerForm
    list_display = [
        "name",
        "contact_email",
        "key_prefix",
        "is_active",
        "answers_with_token",
        "request_count",
        "last_request_at",
    ]
    list_filter = ["is_active", "answers_with_token"]
    search_fields = ["name", "contact_email"]
    readonly_fields = ["key_prefix", "created_at"]
    actions = ["issue_new_key", "deactivate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(requests_total=Count("requests"), requests_last=Max("requests__created_at"))
        )

    @admin.display(description=_("requests"), ordering="requests_total")
    def request_count(self, obj) -> int:
        return obj.requests_total

    @admin.display(description=_("last request"), ordering="requests_last")
    def last_request_at(self, obj):
        return obj.requests_last

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "contact_email", "is_active", "answers_with_token"])
            return
        partner, key = open311_services.partner_create(
            name=obj.name,
            contact_email=obj.contact_email,
            answers_with_token=obj.answers_with_token,
        )
        obj.pk, obj.key_prefix = partner.pk, partner.key_prefix
        self._show_key(request, key)

    def _show_key(self, request, key: str) -> None:
        self.message_user(
            request,
            _("The api_key is %(key)s — give it to the partner now; it is not shown again.")
            % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Issue a new api_key (the old one stops working)"))
    def issue_new_key(self, request, queryset):
        for partner in queryset:
            key = open311_services.partner_key_issue(partner=partner)
            self.message_user(request, f"{partner.name}:", messages.INFO)
            self._show_key(request, key)

    @admin.action(description=_("Deactivate (its api_key stops working)"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        self.message_user(request, _("%(count)d deactivated.") % {"count": count}, messages.SUCCESS)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(CommandCentreOnlyMixin, admin.ModelAdmin):
    list_display = ["category", "code", "datatype", "required", "order"]
    list_filter = ["datatype", "required", "category"]
    search_fields = ["code", "description", "category__code"]
    list_select_related = ["category"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_command_centre(request.user)


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReadOnlyAdminMixin, CommandCentreOnlyMixin, admin.ModelAdmin):
    list_display = ["complaint", "partner", "created_at"]
    list_filter = ["partner"]
    search_fields = ["complaint__tracking_number"]
    list_select_related = ["complaint", "partner"]
    fields = [
        "complaint",
        "partner",
        "token",
        "attributes",
        "media_url",
        "address_id",
        "zipcode",
        "created_at",
    ]
    readonly_fields = fields


@admin.display(description=_("WhatsApp conversation"))
def whatsapp_reply_send(*, actor, complaint, text: str) -> bool:
    """Staff answer the reporter of ``complaint`` in the WhatsApp conversation it came from (the
    reply box on the complaint's admin page). ``False`` when it did not come by WhatsApp."""
    thread = (
        ComplaintThread.objects.select_related("conversation")
        .filter(complaint_id=complaint.pk)
        .order_by("-created_at")
        .first()
    )
    if thread is None:
        return False
    whatsapp_services.staff_reply(
        actor=actor, conversation=thread.conversation, text=text, complaint=complaint
    )
    return True


def whatsapp_thread(complaint):
    """On a complaint's page (a read-only field of ``complaints.admin.ComplaintAdmin``): the
    WhatsApp conversation it came from, its latest messages and a link to the thread, where staff
    reply. Two queries, on the change page only."""
    thread = (
        ComplaintThread.objects.select_related("conversation")
        .filter(complaint_id=complaint.pk)
        .first()
    )
    if thread is None:
        return "—"
    latest = list(thread.conversation.messages.order_by("-created_at", "-id")[:10])[::-1]
    rows = format_html_join(
        "",
        "<p><strong>{}</strong> <small>{}</small><br>{}</p>",
        (
            (
                m.get_direction_display(),
                timezone.localtime(m.created_at).strftime("%d-%m-%Y %H:%M"),
                m.text or f"[{m.kind}]",
            )
            for m in latest
        ),
    )
    return format_html(
        '<a href="/admin/channels/conversation/{}/change/">{}</a> ({}){}',
        thread.conversation_id,
        _("Open the WhatsApp thread and reply"),
        thread.conversation.masked_phone,
        rows,
    )

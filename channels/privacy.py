"""What ``channels`` holds about a person (see :mod:`privacy.registry`): their WhatsApp dialogue
with the city (found by account or by phone number) and its messages.

Retention: messages older than ``PRIVACY_CONVERSATION_RETENTION_DAYS`` are deleted once handled,
and a dialogue idle that long goes entirely, unless it carries the thread of a complaint still
open (staff replies to it go out by WhatsApp). On erasure the dialogue goes at once; the complaints
filed through it stay, anonymous (see ``complaints/privacy.py``)."""

import datetime as dt

from django.conf import settings
from django.db.models import Q

from channels.models import ComplaintThread, Conversation, Message
from complaints.workflow import WORKFLOW as COMPLAINT_WORKFLOW
from privacy import registry
from privacy.helpers import rows


def _conversations(user):
    match = Q(user=user)
    if user.phone:
        match |= Q(phone=user.phone)
    return Conversation.objects.filter(match)


def export(user) -> dict:
    conversations = rows(
        _conversations(user),
        [
            "id",
            "phone",
            "wa_id",
            "profile_name",
            "language",
            "step",
            "created_at",
            "last_inbound_at",
        ],
    )
    ids = [c["id"] for c in conversations]
    messages: dict[int, list] = {i: [] for i in ids}
    for message in (
        Message.objects.filter(conversation_id__in=ids)
        .order_by("created_at")
        .values("conversation_id", "direction", "kind", "text", "template", "status", "created_at")
    ):
        messages[message.pop("conversation_id")].append(message)
    for conversation in conversations:
        conversation["messages"] = messages[conversation.pop("id")]
    return {"whatsapp": conversations}


def erase(user) -> dict[str, int]:
    return {"whatsapp": _conversations(user).delete()[0]}


def purge(now) -> dict[str, int]:
    cutoff = now - dt.timedelta(days=settings.PRIVACY_CONVERSATION_RETENTION_DAYS)
    handled = (
        Message.Status.PROCESSED,
        Message.Status.SENT,
        Message.Status.DELIVERED,
        Message.Status.READ,
        Message.Status.FAILED,
    )
    messages = Message.objects.filter(created_at__lt=cutoff, status__in=handled).delete()[0]
    open_threads = ComplaintThread.objects.exclude(
        complaint__state__in=COMPLAINT_WORKFLOW.closed_states
    ).values("conversation_id")
    idle = Conversation.objects.filter(
        Q(last_inbound_at__lt=cutoff) | Q(last_inbound_at__isnull=True, created_at__lt=cutoff)
    ).exclude(pk__in=open_threads)
    return {"messages": messages, "conversations": idle.delete()[0]}


registry.register("channels", export=export, erase=erase, purge=purge, order=300)

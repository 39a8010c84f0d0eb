"""The WhatsApp notification backend (``NOTIFICATION_WHATSAPP_BACKEND =
"channels.whatsapp.backends.WhatsAppBackend"``): status changes and reminders of the
notification kit, sent through ``WHATSAPP_CLIENT``.

Inside the 24-hour window after the citizen's last message the text goes as it is; outside it a
pre-approved template ``<WHATSAPP_TEMPLATE_PREFIX><event>`` carries the text as its parameter.
Sent messages are added to the number's conversation, so staff see them in the thread.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from channels.models import Conversation, Message
from channels.whatsapp.client import get_client
from services.notifications.backends import BaseBackend, OutgoingMessage, SendResult


def template_name(event: str) -> str:
    return f"{settings.WHATSAPP_TEMPLATE_PREFIX}{event}"


class WhatsAppBackend(BaseBackend):
    def send(self, message: OutgoingMessage) -> SendResult:
        conversation = Conversation.objects.filter(phone=message.to).first()
        client = get_client()
        text = f"{message.text}\n{message.link}" if message.link else message.text
        if conversation is not None and conversation.window_open():
            provider_id, template = client.send_text(to=message.to, text=text), ""
        else:
            template = template_name(message.event)
            provider_id = client.send_template(
                to=message.to, name=template, language=message.language, parameters=[text]
            )
        if conversation is not None:
            Message.objects.create(
                conversation=conversation,
                direction=Message.Direction.OUTBOUND,
                wamid=provider_id or None,
                kind="template" if template else "text",
                text=text,
                template=template,
                status=Message.Status.SENT,
                attempts=1,
                processed_at=timezone.now(),
            )
        return SendResult(provider_message_id=provider_id)

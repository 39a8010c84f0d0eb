"""Replay a WhatsApp conversation through the signed webhook, in-process, and print the replies.

python manage.py simulate_whatsapp                       # the built-in complaint report
python manage.py simulate_whatsapp --phone 6281234567890 --say "STATUS ADU-2026-000001"
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from channels.models import Conversation, Message
from channels.whatsapp import payloads
from channels.whatsapp.services import phone_from_wa_id

DEMO_SCRIPT = [
    ("text", "Halo"),
    ("text", "1"),
    (
        "text",
        "Jalan berlubang besar di Jl. Jend. Sudirman, sudah dua minggu dan membahayakan motor",
    ),
    ("location", (-1.2654, 116.8312, "Lapangan Merdeka")),
    ("text", "LANJUT"),
    ("text", "YA"),
]


class Command(BaseCommand):
    help = "Replay a WhatsApp conversation through the signed webhook and print the replies."

    def add_arguments(self, parser):
        parser.add_argument("--phone", default="6281234567890", help="WhatsApp id (digits).")
        parser.add_argument("--name", default="Warga Uji", help="WhatsApp profile name.")
        parser.add_argument(
            "--say",
            action="append",
            default=[],
            help="A text message to send (repeatable); without it the built-in report is played.",
        )

    def handle(self, *args, phone, name, say, **options):
        if not phone.isdigit():
            raise CommandError("--phone takes the digits of the number, e.g. 6281234567890.")
        if not phone_from_wa_id(phone):
            raise CommandError("--phone is not a valid phone number.")
        if not settings.WHATSAPP_APP_SECRET:
            raise CommandError("WHATSAPP_APP_SECRET is not set.")
        script = [("text", line) for line in say] if say else DEMO_SCRIPT
        client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0].lstrip("."))
        path = "/" + settings.WHATSAPP_WEBHOOK_PATH
        for kind, content in script:
            if kind == "location":
                message = payloads.location(phone, *content)
                shown = f"[location {content[0]}, {content[1]}]"
            else:
                message = payloads.text(phone, content)
                shown = content
            body, signature = payloads.signed(
                payloads.envelope(wa_id=phone, message=message, name=name),
                settings.WHATSAPP_APP_SECRET,
            )
            seen = Message.objects.order_by("-id").values_list("id", flat=True).first() or 0
            response = client.post(
                path, body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=signature
            )
            if response.status_code != 200:
                raise CommandError(f"The webhook answered {response.status_code}.")
            self.stdout.write(self.style.NOTICE(f"> {shown}"))
            conversation = Conversation.objects.get(phone=phone_from_wa_id(phone))
            replies = Message.objects.filter(
                conversation=conversation, direction=Message.Direction.OUTBOUND, id__gt=seen
            ).order_by("id")
            for reply in replies:
                self.stdout.write(f"< {reply.text}\n")

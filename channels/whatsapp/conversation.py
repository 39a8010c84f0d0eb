"""The WhatsApp dialogue: one small state machine per phone number.

Steps (``Conversation.Step``)::

    menu ─LAPOR→ report_text ─text→ report_location ─location / kelurahan→ report_photo
         ─photos, LANJUT→ report_confirm ─YA→ complaint filed (channel WhatsApp) → menu
    menu ─ANTREAN→ (today's tickets) queue_facility → queue_point → queue_session → queue_payer
         ─1/2→ ticket booked through ``health.services.ticket_book`` (same quota rules) → menu
    STATUS <number>, TAGIHAN <NOP>, BANTUAN, MENU, BATAL: at any step.

Anything not understood gets the menu, never silence. A dialogue left unfinished for
``WHATSAPP_CONVERSATION_TIMEOUT_MINUTES`` starts again from the menu. Replies are in Indonesian, or
English when the citizen writes English. Every write goes through the modules' own services
(``complaint_create``, ``ticket_book``); reads through their selectors, restricted to what the
sender owns: the complaints filed from this number or by its verified account, and that
account's civil registry requests and payments.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from balikpapan_untuk_warga.api.errors import ApplicationError
from balikpapan_untuk_warga.cache import hit
from channels.models import ComplaintThread, Conversation, Message
from channels.whatsapp.client import MediaUnavailable, get_client
from channels.whatsapp.services import reply_queue

logger = logging.getLogger(__name__)
Step = Conversation.Step

ENGLISH_WORDS = frozenset(
    [
        "hello",
        "hi",
        "hey",
        "report",
        "help",
        "bill",
        "queue",
        "cancel",
        "yes",
        "no",
        "the",
        "is",
        "my",
        "there",
        "please",
        "broken",
        "road",
        "street",
        "thanks",
        "thank",
        "you",
        "skip",
        "next",
        "book",
        "send",
        "what",
        "how",
        "where",
        "when",
    ]
)
INDONESIAN_WORDS = frozenset(
    [
        "halo",
        "hai",
        "lapor",
        "bantuan",
        "tagihan",
        "antrean",
        "antrian",
        "batal",
        "ya",
        "tidak",
        "di",
        "jalan",
        "yang",
        "dan",
        "ada",
        "rusak",
        "tolong",
        "terima",
        "kasih",
        "lewati",
        "lanjut",
        "pesan",
        "saya",
        "banjir",
        "sampah",
        "kirim",
        "apa",
        "bagaimana",
        "mana",
        "kapan",
        "selamat",
        "pagi",
        "siang",
        "sore",
        "malam",
    ]
)
COMMANDS = {
    "menu": {"menu", "halo", "hai", "hi", "hello", "hey", "start", "mulai", "selamat"},
    "cancel": {"batal", "cancel", "stop"},
    "help": {"bantuan", "help", "tolong", "?"},
    "report": {"lapor", "report", "aduan", "pengaduan"},
    "status": {"status", "cek"},
    "bill": {"tagihan", "bill", "pbb"},
    "queue": {"antrean", "antrian", "queue"},
}
MENU_NUMBERS = {"1": "report", "2": "status", "3": "bill", "4": "queue", "5": "help"}
YES = {"ya", "y", "yes", "kirim", "send", "ok", "oke", "benar"}
NO = {"tidak", "no", "n", "jangan"}
NEXT = {"lanjut", "next", "lewati", "skip", "selesai", "done", "tidak", "no"}
TRACKING = re.compile(r"^[A-Z]{3}-\d{4}-\d{6}$")
MAX_OPTIONS = 30


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z?]+|\d+", text.lower())


def detect_language(text: str) -> str | None:
    words = _words(text)
    english = sum(1 for w in words if w in ENGLISH_WORDS)
    indonesian = sum(1 for w in words if w in INDONESIAN_WORDS)
    if english > indonesian:
        return "en"
    if indonesian > english:
        return "id"
    return None


def _timed_out(conversation: Conversation, now) -> bool:
    minutes = settings.WHATSAPP_CONVERSATION_TIMEOUT_MINUTES
    return conversation.step != Step.MENU and now - conversation.step_started_at > dt.timedelta(
        minutes=minutes
    )


class Dialogue:
    """Handles one inbound message of one (locked) conversation."""

    def __init__(self, conversation: Conversation, message: Message, now):
        self.conversation = conversation
        self.message = message
        self.now = now
        self.replies: list[str] = []
        self.text = (message.text or "").strip()
        self.words = _words(self.text)
        self.user = self._linked_user()

    # --- helpers

    def _linked_user(self):
        from complaints.services import reporter_for_phone

        user = reporter_for_phone(self.conversation.phone)
        if user is not None and user.is_staff:
            user = None  # a staff account's scope is an agency's, never looked up from WhatsApp
        if user is not None and self.conversation.user_id != user.pk:
            self.conversation.user = user
        elif user is None and self.conversation.user_id is not None:
            self.conversation.user = None
        return user

    def say(self, text: str) -> None:
        self.replies.append(text)

    def go(self, step: str, **draft) -> None:
        self.conversation.step = step
        self.conversation.step_started_at = self.now
        if step == Step.MENU:
            self.conversation.draft = {}
        self.conversation.draft.update(draft)

    @property
    def draft(self) -> dict:
        return self.conversation.draft

    def command(self) -> tuple[str | None, str]:
        if not self.words:
            return None, ""
        first = self.words[0]
        rest = self.text.split(None, 1)[1].strip() if len(self.text.split(None, 1)) > 1 else ""
        if self.conversation.step == Step.MENU and first in MENU_NUMBERS and len(self.words) == 1:
            return MENU_NUMBERS[first], ""
        for name, words in COMMANDS.items():
            if first in words:
                if name in ("menu", "help") and len(self.words) > 3:
                    return None, ""  # "tolong jalan di depan rumah rusak" is a report, not help
                return name, rest
        return None, ""

    # --- entry

    def run(self) -> None:
        if _timed_out(self.conversation, self.now):
            self.go(Step.MENU)
            self.say(_("Your earlier conversation timed out, so we start again."))
        name, rest = self.command()
        if name == "cancel":
            self.go(Step.MENU)
            self.say(_("Cancelled."))
            self.menu()
        elif name == "menu":
            self.go(Step.MENU)
            self.menu()
        elif name == "help":
            self.help()
        elif name == "status":
            self.status(rest)
        elif name == "bill":
            self.bill(rest)
        elif name == "queue" and self.conversation.step not in QUEUE_STEPS:
            self.queue_start()
        elif name == "report" and self.conversation.step not in REPORT_STEPS:
            self.go(Step.REPORT_TEXT)
            self.say(_("Describe the problem in a few sentences: what is wrong, and since when."))
        else:
            handler = getattr(self, f"on_{self.conversation.step}", None)
            if handler is None or not handler():
                self.unknown()

    # --- menu and help

    def menu(self) -> None:
        self.say(
            _(
                "Balikpapan Untuk Warga on WhatsApp. Reply with:\n"
                "1 REPORT - report a problem in the city\n"
                "2 STATUS + number - the status of your complaint (ADU-…), civil registry "
                "request (DUK-…) or payment (PAY-…)\n"
                "3 BILL + NOP - your PBB (property tax) bill\n"
                "4 QUEUE - your puskesmas tickets today, or take a number\n"
                "5 HELP - how this works\n"
                "Send CANCEL at any time to stop."
            )
        )

    def help(self) -> None:
        self.say(
            _(
                "How to use this number:\n"
                "- REPORT: describe the problem, share the location (📎 > Location) or type the "
                "kelurahan and the place, add photos if you like, then confirm.\n"
                "- STATUS ADU-2026-000123: the status of a number that is yours.\n"
                "- BILL 64.71.010.001.001-0001.0: the PBB amounts due and where to pay.\n"
                "- QUEUE: your tickets today; then choose a puskesmas, a polyclinic and a "
                "session to take a number.\n"
                "Look-ups of civil registry requests, payments and queue tickets need this "
                "number verified in your Balikpapan Untuk Warga account."
            )
        )

    def unknown(self) -> None:
        self.say(_("Sorry, we did not understand that."))
        self.menu()

    def on_menu(self) -> bool:
        """Free text at the menu that clearly describes a problem starts a report."""
        if self.message.kind != "text" or len(self.text) < 15:
            return False
        from complaints import suggestion
        from complaints.services import category_suggest

        category, confidence = category_suggest(text=self.text)
        if category is None or confidence < suggestion.threshold():
            return False
        self.go(Step.REPORT_TEXT)
        return self.on_report_text()

    # --- report

    def on_report_text(self) -> bool:
        if self.message.kind != "text":
            self.say(_("Please describe the problem in words first."))
            return True
        if len(self.text) < 10:
            self.say(_("Please describe the problem in a few words (at least 10 characters)."))
            return True
        from complaints.services import category_suggest

        category, _confidence = category_suggest(text=self.text)
        self.go(Step.REPORT_LOCATION, text=self.text[:4000])
        if category is not None:
            self.say(_("Noted, it looks like: %(category)s.") % {"category": category.name})
        self.say(
            _(
                "Where is it? Share the location (📎 > Location), or type the kelurahan and a "
                "description of the place (e.g. Klandasan Ilir, in front of the mosque on "
                "Jl. Sudirman)."
            )
        )
        return True

    def on_report_location(self) -> bool:
        from complaints.services import boundary_contains

        if self.message.kind == "location":
            location = self.message.payload.get("location") or {}
            try:
                latitude, longitude = float(location["latitude"]), float(location["longitude"])
            except (KeyError, TypeError, ValueError):
                self.say(_("That location could not be read; please share it again."))
                return True
            if not boundary_contains(latitude=latitude, longitude=longitude):
                self.say(
                    _("That place is outside the city of Balikpapan. Please share another one.")
                )
                return True
            address = ", ".join(str(location[k]) for k in ("name", "address") if location.get(k))[
                :300
            ]
            self.go(
                Step.REPORT_PHOTO,
                latitude=f"{latitude:.6f}",
                longitude=f"{longitude:.6f}",
                address=address,
                photos=[],
            )
            self.ask_photo()
            return True
        if self.message.kind == "text" and self.text:
            kelurahan = kelurahan_in(self.text)
            if kelurahan is None:
                self.say(
                    _(
                        "We could not find a kelurahan in that. Share the location "
                        "(📎 > Location), or type the kelurahan name and the place."
                    )
                )
                return True
            self.go(Step.REPORT_PHOTO, kelurahan=kelurahan.code, address=self.text[:300], photos=[])
            self.ask_photo()
            return True
        self.say(_("Please share the location or type the kelurahan and the place."))
        return True

    def ask_photo(self) -> None:
        self.say(_("Send a photo of the problem if you can (up to 5), or reply NEXT to skip."))

    def on_report_photo(self) -> bool:
        from complaints.services import max_photos

        if self.message.kind == "image":
            media_id = str((self.message.payload.get("image") or {}).get("id", ""))
            photos = self.draft.setdefault("photos", [])
            if media_id and len(photos) < max_photos():
                photos.append(media_id)
            self.say(
                _("Photo received (%(count)d). Send another one or reply NEXT.")
                % {"count": len(photos)}
            )
            return True
        if self.words and self.words[0] in NEXT:
            self.go(Step.REPORT_CONFIRM)
            self.confirm_question()
            return True
        self.ask_photo()
        return True

    def confirm_question(self) -> None:
        place = self.draft.get("address") or _("the shared location")
        self.say(
            _(
                "Your report:\n%(text)s\nPlace: %(place)s\nPhotos: %(photos)d\n"
                "Reply YES to send it, or CANCEL."
            )
            % {
                "text": self.draft.get("text", ""),
                "place": place,
                "photos": len(self.draft.get("photos", [])),
            }
        )

    def on_report_confirm(self) -> bool:
        if self.words and self.words[0] in YES:
            self.file_complaint()
            return True
        if self.words and self.words[0] in NO:
            self.go(Step.MENU)
            self.say(_("Cancelled."))
            self.menu()
            return True
        self.confirm_question()
        return True

    def file_complaint(self) -> None:
        from complaints.models import Channel
        from complaints.services import complaint_create
        from services.models import Kelurahan

        draft = dict(self.draft)
        location: dict = {}
        if draft.get("latitude"):
            from decimal import Decimal

            location = {
                "latitude": Decimal(draft["latitude"]),
                "longitude": Decimal(draft["longitude"]),
            }
        else:
            location = {"kelurahan": Kelurahan.objects.filter(code=draft.get("kelurahan")).first()}
        files, missing = self._download(draft.get("photos", []))
        arguments = {
            "actor": None,
            "text": draft.get("text", ""),
            "channel": Channel.WHATSAPP,
            "address": draft.get("address", ""),
            "contact_phone": self.conversation.phone,
            **location,
        }
        try:
            with transaction.atomic():
                complaint = complaint_create(photo_files=files, **arguments)
        except ApplicationError as exc:
            if not files:
                self.say(_("The complaint could not be filed: %(reason)s") % {"reason": exc.detail})
                self.go(Step.MENU)
                return
            with transaction.atomic():  # a photo was refused: file it without photos
                complaint = complaint_create(photo_files=[], **arguments)
            missing += len(files)
        ComplaintThread.objects.create(complaint=complaint, conversation=self.conversation)
        self.message.complaint = complaint
        self.go(Step.MENU)
        self.say(
            _(
                "Thank you. Your complaint number is %(number)s, handled by %(agency)s. "
                "Send STATUS %(number)s to follow it."
            )
            % {"number": complaint.tracking_number, "agency": complaint.agency.short_name}
        )
        if missing:
            self.say(_("%(count)d photo(s) could not be added.") % {"count": missing})
        if complaint.reporter_id is None:
            self.say(
                _(
                    "Verify this phone number in the Balikpapan Untuk Warga app and the "
                    "complaint appears in your account."
                )
            )

    def _download(self, media_ids: list[str]) -> tuple[list, int]:
        client, files, missing = get_client(), [], 0
        for index, media_id in enumerate(media_ids, start=1):
            try:
                media = client.download_media(media_id=media_id)
            except MediaUnavailable as exc:
                logger.info("WhatsApp photo not downloaded: %s", exc)
                missing += 1
                continue
            extension = {"image/png": "png", "image/webp": "webp"}.get(media.mime_type, "jpg")
            files.append(ContentFile(media.content, name=f"whatsapp-{index}.{extension}"))
        return files, missing

    # --- STATUS

    def _rate_limited(self) -> bool:
        key = f"channels:whatsapp:lookups:{self.conversation.pk}:{self.now:%Y%m%d%H}"
        if hit(key, 3600) > settings.WHATSAPP_LOOKUPS_PER_HOUR:
            self.say(_("Too many look-ups this hour; please try again later."))
            return True
        return False

    def status(self, rest: str) -> None:
        number = rest.strip().upper().split()[0] if rest.strip() else ""
        if not number:
            self.say(_("Send STATUS followed by the number, e.g. STATUS ADU-2026-000123."))
            return
        if self._rate_limited():
            return
        answer = status_lookup(number=number, phone=self.conversation.phone, user=self.user)
        if answer is None:
            self.say(
                _("No item with the number %(number)s was found among yours.")
                % {"number": number[:40]}
            )
            if self.user is None:
                self.say(
                    _(
                        "Civil registry requests and payments are found once this phone "
                        "number is verified in your Balikpapan Untuk Warga account."
                    )
                )
            return
        self.say(answer)

    # --- TAGIHAN

    def bill(self, rest: str) -> None:
        from payments import selectors as payment_selectors
        from payments import services as payment_services
        from payments.nop import NopError, nop_parse
        from services.receipts.payloads import mask_name

        if not rest.strip():
            self.say(_("Send BILL followed by the NOP, e.g. BILL 64.71.010.001.001-0001.0."))
            return
        if self._rate_limited():
            return
        try:
            nop = nop_parse(rest.split()[0], allow_undocumented_special_code=True)
        except NopError:
            self.say(_("That is not a Balikpapan NOP (18 digits starting 64.71)."))
            return
        found = payment_selectors.nop_lookup(nop=nop.digits, on=payment_services.today())
        if found is None:
            self.say(_("No PBB object with the NOP %(nop)s was found.") % {"nop": nop.formatted})
            return
        tax_object = found.tax_object
        lines = [
            _("PBB %(nop)s (%(name)s, %(kelurahan)s):")
            % {
                "nop": nop.formatted,
                "name": mask_name(tax_object.taxpayer_name),
                "kelurahan": tax_object.kelurahan_name,
            }
        ]
        unpaid = []
        for bill, penalty in found.bills:
            if bill.is_paid:
                lines.append(_("%(year)s: paid") % {"year": bill.tax_year})
                continue
            unpaid.append(bill)
            lines.append(
                _("%(year)s: %(total)s due (penalty %(penalty)s), due date %(due)s")
                % {
                    "year": bill.tax_year,
                    "total": rupiah(bill.principal + penalty),
                    "penalty": rupiah(penalty),
                    "due": date_format(bill.due_date, "j M Y"),
                }
            )
        if unpaid:
            base = settings.PORTAL_BASE_URL.rstrip("/")
            lines.append(
                _("Pay with QRIS in the app or on the portal: %(link)s")
                % {"link": base + reverse("payments:bill", args=[unpaid[0].uuid])}
            )
        else:
            lines.append(_("Nothing is due."))
        self.say("\n".join(lines))

    # --- ANTREAN

    def queue_start(self) -> None:
        from health import selectors as health_selectors
        from health.models import Facility
        from health.workflow import TicketState

        if self.user is None:
            self.say(
                _(
                    "Queue tickets need an account: verify this phone number in the "
                    "Balikpapan Untuk Warga app, then send QUEUE again."
                )
            )
            return
        today = health_selectors.today()
        tickets = (
            health_selectors.ticket_list_for(user=self.user)
            .filter(session__date=today)
            .exclude(state=TicketState.CANCELLED)
        )
        lines = [
            _("%(code)s: number %(number)d at %(point)s, %(facility)s (%(state)s)")
            % {
                "code": t.code,
                "number": t.number,
                "point": t.session.service_point.name,
                "facility": t.session.service_point.facility.name,
                "state": t.get_state_label(),
            }
            for t in tickets
        ]
        self.say(
            _("Your tickets today:") + "\n" + "\n".join(lines)
            if lines
            else _("You have no ticket today.")
        )
        facilities = health_selectors.facility_list(kind=Facility.Kind.PUSKESMAS)[:MAX_OPTIONS]
        if not facilities:
            self.say(_("No puskesmas takes bookings now."))
            return
        self.go(Step.QUEUE_FACILITY, options=[str(f.uuid) for f in facilities])
        self.say(
            _("To take a number, reply with the number of the puskesmas (or CANCEL):")
            + "\n"
            + "\n".join(f"{i}. {f.name}" for i, f in enumerate(facilities, start=1))
        )

    def _choice(self) -> str | None:
        options = self.draft.get("options") or []
        if len(self.words) == 1 and self.words[0].isdigit():
            index = int(self.words[0])
            if 1 <= index <= len(options):
                return options[index - 1]
        self.say(_("Please reply with one of the numbers in the list, or CANCEL."))
        return None

    def on_queue_facility(self) -> bool:
        from health import selectors as health_selectors

        choice = self._choice()
        if choice is None:
            return True
        facility = next(
            (f for f in health_selectors.facility_list() if str(f.uuid) == choice), None
        )
        points = list(facility.active_points) if facility else []
        if not points:
            self.say(_("This puskesmas has no polyclinic taking bookings."))
            self.go(Step.MENU)
            return True
        self.go(Step.QUEUE_POINT, options=[str(p.uuid) for p in points])
        self.say(
            _("Which polyclinic?")
            + "\n"
            + "\n".join(f"{i}. {p.name}" for i, p in enumerate(points, start=1))
        )
        return True

    def on_queue_point(self) -> bool:
        from health import conf as health_conf
        from health import selectors as health_selectors
        from health.models import Session
        from health.services import booking_window_opens

        choice = self._choice()
        if choice is None:
            return True
        today = health_selectors.today()
        sessions = [
            s
            for s in health_selectors.session_list_public(
                service_point_uuid=choice,
                date_to=today + dt.timedelta(days=health_conf.booking_window_days()),
            )
            if s.state == Session.State.OPEN
            and s.taken_count < s.quota
            and booking_window_opens(s) <= self.now < s.starts_at
        ][:9]
        if not sessions:
            self.say(_("No session of this polyclinic can be booked now."))
            self.go(Step.MENU)
            return True
        self.go(Step.QUEUE_SESSION, options=[str(s.uuid) for s in sessions])
        self.say(
            _("Which session?")
            + "\n"
            + "\n".join(
                _("%(index)d. %(day)s %(start)s–%(end)s (%(left)d places left)")
                % {
                    "index": i,
                    "day": date_format(timezone.localtime(s.starts_at), "D j M"),
                    "start": timezone.localtime(s.starts_at).strftime("%H:%M"),
                    "end": timezone.localtime(s.ends_at).strftime("%H:%M"),
                    "left": s.quota - s.taken_count,
                }
                for i, s in enumerate(sessions, start=1)
            )
        )
        return True

    def on_queue_session(self) -> bool:
        choice = self._choice()
        if choice is None:
            return True
        self.go(Step.QUEUE_PAYER, session=choice, options=["bpjs", "general"])
        self.say(_("How will you pay?\n1. BPJS Kesehatan\n2. General (self-paying)"))
        return True

    def on_queue_payer(self) -> bool:
        from health import selectors as health_selectors
        from health.services import ticket_book

        choice = self._choice()
        if choice is None:
            return True
        session = health_selectors.session_get_public(uuid=self.draft.get("session"))
        self.go(Step.MENU)
        if session is None or self.user is None:
            self.say(_("That session is no longer available."))
            return True
        try:
            with transaction.atomic():
                ticket = ticket_book(actor=self.user, session=session, payer=choice)
        except ApplicationError as exc:
            self.say(_("The ticket could not be booked: %(reason)s") % {"reason": exc.detail})
            return True
        self.say(
            _("Booked: ticket %(code)s, number %(number)d, %(point)s at %(facility)s, %(day)s.")
            % {
                "code": ticket.code,
                "number": ticket.number,
                "point": session.service_point.name,
                "facility": session.service_point.facility.name,
                "day": date_format(timezone.localtime(session.starts_at), "D j M H:i"),
            }
        )
        return True


REPORT_STEPS = (Step.REPORT_TEXT, Step.REPORT_LOCATION, Step.REPORT_PHOTO, Step.REPORT_CONFIRM)
QUEUE_STEPS = (Step.QUEUE_FACILITY, Step.QUEUE_POINT, Step.QUEUE_SESSION, Step.QUEUE_PAYER)


def rupiah(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def kelurahan_in(text: str):
    """The kelurahan whose name appears in ``text`` (the longest match), else ``None``."""
    from services.models import Kelurahan

    lowered = " ".join(text.lower().split())
    found = [k for k in Kelurahan.objects.all() if k.name and k.name.lower() in lowered]
    return max(found, key=lambda k: len(k.name), default=None)


def status_lookup(*, number: str, phone: str, user) -> str | None:
    """The status line of ``number`` if the sender owns it, else ``None`` (never telling
    whether it exists): complaints filed from this phone or by its verified account; civil
    registry requests and payments of that account."""
    if not TRACKING.match(number):
        return None
    prefix = number[:3]
    if prefix == "ADU":
        from complaints.models import Complaint

        owned = Q(contact_phone=phone)
        if user is not None:
            owned |= Q(reporter=user)
        complaint = (
            Complaint.objects.select_related("agency").filter(owned, tracking_number=number).first()
        )
        if complaint is None:
            return None
        line = _("%(number)s: %(state)s, handled by %(agency)s.") % {
            "number": number,
            "state": complaint.get_state_label(),
            "agency": complaint.agency.short_name,
        }
        if complaint.public_note:
            line += "\n" + complaint.public_note
        return line
    if user is None:
        return None
    if prefix == "DUK":
        from civil_registry.selectors import request_list_for

        request = request_list_for(user=user).filter(owner=user, tracking_number=number).first()
        if request is None:
            return None
        line = _("%(number)s: %(state)s.") % {
            "number": number,
            "state": request.get_state_label(),
        }
        if getattr(request, "due_at", None):
            line += " " + _("Due %(date)s.") % {
                "date": date_format(timezone.localtime(request.due_at), "j M Y")
            }
        return line
    if prefix == "PAY":
        from payments.selectors import payment_list_for

        payment = payment_list_for(user=user).filter(payer=user, order_id=number).first()
        if payment is None:
            return None
        return _("%(number)s: %(state)s, %(amount)s.") % {
            "number": number,
            "state": payment.get_state_label(),
            "amount": rupiah(payment.amount),
        }
    return None


def message_process(*, message_id: int) -> str:
    """Run the dialogue for a stored inbound message, once: "processed" or "skipped".

    Two workers may pick up two messages of one sender in either order, so the task does not
    process "its" message alone: under the conversation's lock it runs every waiting message of
    that conversation in the order they were stored. Whichever task comes first answers them all,
    in order; the others find nothing left to do."""
    conversation_id = (
        Message.objects.filter(pk=message_id, direction=Message.Direction.INBOUND)
        .values_list("conversation_id", flat=True)
        .first()
    )
    if conversation_id is None:
        return "skipped"
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        waiting = list(
            Message.objects.select_for_update()
            .filter(
                conversation=conversation,
                direction=Message.Direction.INBOUND,
                status=Message.Status.RECEIVED,
            )
            .order_by("created_at", "id")
        )
        if message_id not in {m.pk for m in waiting}:
            return "skipped"
        for message in waiting:
            _dialogue_step(conversation, message)
    return "processed"


def _dialogue_step(conversation: Conversation, message: Message) -> None:
    now = timezone.now()
    language = detect_language(message.text or "")
    if language:
        conversation.language = language
    elif conversation.last_inbound_at is None and conversation.user_id:
        conversation.language = conversation.user.preferred_language[:2]
    conversation.last_inbound_at = now
    dialogue = Dialogue(conversation, message, now)
    with translation.override(conversation.language):
        dialogue.run()
        replies = [str(r) for r in dialogue.replies]
    conversation.save()
    message.status = Message.Status.PROCESSED
    message.processed_at = now
    message.save(update_fields=["status", "processed_at", "complaint"])
    for reply in replies:
        reply_queue(conversation=conversation, text=reply, complaint=message.complaint)

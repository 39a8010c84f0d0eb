"""The WhatsApp dialogue, driven through signed webhook posts with the console client (Celery
eager): filing a complaint end to end, language, timeout, the menu, and each command."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AgencyMembership
from channels.models import ComplaintThread, Conversation, Message
from complaints.models import Channel, Complaint
from health.models import Ticket
from tests.channels.conftest import PHONE, Citizen
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

LAPANGAN_MERDEKA = (-1.2654, 116.8312)
SEA = (-1.40, 116.90)
REPORT = "Jalan berlubang besar di Jl. Jend. Sudirman, sudah dua minggu dan membahayakan motor"


def _file_report(citizen: Citizen) -> Complaint:
    citizen.says("LAPOR")
    citizen.says(REPORT)
    citizen.shares_location(*LAPANGAN_MERDEKA, name="Lapangan Merdeka")
    citizen.says("LANJUT")
    citizen.says("YA")
    return Complaint.objects.get()


def test_a_scripted_conversation_files_a_complaint_end_to_end(whatsapp_citizen, capsys):
    citizen = whatsapp_citizen
    menu = citizen.says("Halo")
    assert "1 LAPOR" in menu and "BATAL" in menu  # Indonesian by default
    assert "Jelaskan masalahnya" in citizen.says("1")
    location_question = citizen.says(REPORT)
    assert "Jalan rusak" in location_question  # the suggested category, in Indonesian
    assert "lokasi" in location_question.lower()
    assert "luar Kota Balikpapan" in citizen.shares_location(*SEA)
    assert "foto" in citizen.shares_location(*LAPANGAN_MERDEKA, name="Lapangan Merdeka").lower()
    summary = citizen.says("LANJUT")
    assert REPORT in summary and "YA" in summary
    assert Complaint.objects.count() == 0
    done = citizen.says("YA")

    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WHATSAPP
    assert complaint.text == REPORT
    assert complaint.contact_phone == PHONE
    assert complaint.reporter is None  # no account has verified this number
    assert complaint.category.code == "jalan_rusak"
    assert str(complaint.latitude) == "-1.265400"
    assert complaint.kelurahan is not None
    assert complaint.tracking_number in done
    assert "Verifikasi nomor" in done
    assert ComplaintThread.objects.get().complaint == complaint
    assert citizen.conversation.step == Conversation.Step.MENU
    # every reply went through the console client
    printed = capsys.readouterr().out
    assert complaint.tracking_number in printed
    assert not Message.objects.filter(status=Message.Status.QUEUED).exists()


def test_a_verified_citizen_is_the_reporter(whatsapp_citizen):
    user = UserFactory(phone=PHONE, phone_verified=True)
    complaint = _file_report(whatsapp_citizen)
    assert complaint.reporter == user
    assert whatsapp_citizen.conversation.user == user


def test_an_unverified_phone_is_not_linked(whatsapp_citizen):
    UserFactory(phone=PHONE, phone_verified=False)
    complaint = _file_report(whatsapp_citizen)
    assert complaint.reporter is None


def test_the_kelurahan_can_be_typed_instead_of_a_location(whatsapp_citizen):
    citizen = whatsapp_citizen
    citizen.says("LAPOR")
    citizen.says("Sampah menumpuk di pinggir jalan dan bau sekali")
    assert "kelurahan" in citizen.says("di depan pasar").lower()  # no kelurahan named
    citizen.says("Klandasan Ilir, depan pasar")
    citizen.says("LEWATI")
    citizen.says("YA")
    complaint = Complaint.objects.get()
    assert complaint.latitude is None
    assert complaint.kelurahan.name == "Klandasan Ilir"
    assert complaint.address == "Klandasan Ilir, depan pasar"


def test_english_is_answered_in_english(whatsapp_citizen):
    citizen = whatsapp_citizen
    assert "1 REPORT" in citizen.says("Hello")
    assert "Describe the problem" in citizen.says("report")
    assert citizen.conversation.language == "en"


def test_unknown_input_gets_the_menu_never_silence(whatsapp_citizen):
    citizen = whatsapp_citizen
    answer = citizen.says("xyz")
    assert "tidak memahami" in answer and "1 LAPOR" in answer
    sticker = citizen._send({**_payload_base(), "type": "sticker", "sticker": {"id": "1"}})
    assert sticker and "1 LAPOR" in sticker[-1]


def _payload_base():
    import uuid

    return {"from": "6281234567890", "id": f"wamid.X{uuid.uuid4().hex}", "timestamp": "1"}


def test_cancel_and_timeout_start_again(whatsapp_citizen, settings):
    citizen = whatsapp_citizen
    citizen.says("LAPOR")
    assert "Dibatalkan" in citizen.says("BATAL")
    assert citizen.conversation.step == Conversation.Step.MENU
    citizen.says("LAPOR")
    Conversation.objects.update(step_started_at=timezone.now() - dt.timedelta(minutes=31))
    answer = citizen.says("ya")
    assert "kedaluwarsa" in answer
    assert citizen.conversation.step == Conversation.Step.MENU
    assert Complaint.objects.count() == 0


def test_help(whatsapp_citizen):
    assert "STATUS ADU-2026-000123" in whatsapp_citizen.says("BANTUAN")


# --- STATUS: only what the sender owns -----------------------------------------------------------


def test_status_of_a_complaint_filed_from_this_number(whatsapp_citizen):
    complaint = _file_report(whatsapp_citizen)
    answer = whatsapp_citizen.says(f"STATUS {complaint.tracking_number}")
    assert complaint.tracking_number in answer
    assert complaint.agency.short_name in answer


def test_status_never_reveals_another_citizens_items(whatsapp_citizen, settings):
    from civil_registry.models import CivilRequest
    from payments.models import Payment

    other = Citizen(wa_id="6281299990000")
    complaint = _file_report(other)
    answer = whatsapp_citizen.says(f"STATUS {complaint.tracking_number}")
    assert "tidak ditemukan" in answer
    assert complaint.agency.short_name not in answer
    # and the answer for a number that does not exist is the same
    missing = whatsapp_citizen.says("STATUS ADU-2026-999999")
    assert missing.replace("ADU-2026-999999", "X") == answer.replace(complaint.tracking_number, "X")
    assert CivilRequest.objects.count() == 0 and Payment.objects.count() == 0


def test_status_of_own_payment_and_not_of_someone_elses(whatsapp_citizen):
    from payments.models import Payment
    from tests.payments.factories import PbbBillFactory

    user = UserFactory(phone=PHONE, phone_verified=True)
    stranger = UserFactory()
    bill = PbbBillFactory()
    common = {
        "bill": bill,
        "principal": 150_000,
        "penalty": 0,
        "amount": 150_000,
        "provider": "sandbox",
        "qr_string": "000201",
        "expires_at": timezone.now() + dt.timedelta(minutes=15),
    }
    Payment.objects.create(order_id="PAY-2026-000001", payer=user, **common)
    Payment.objects.create(order_id="PAY-2026-000002", payer=stranger, **common)
    own = whatsapp_citizen.says("STATUS PAY-2026-000001")
    assert "Rp 150.000" in own
    other = whatsapp_citizen.says("STATUS PAY-2026-000002")
    assert "tidak ditemukan" in other and "Rp" not in other


def test_a_staff_phone_gets_no_agency_wide_look_up(whatsapp_citizen):
    from payments.models import Payment
    from tests.payments.factories import PbbBillFactory, bppdrd

    staff = StaffFactory(phone=PHONE, phone_verified=True, role__agency=bppdrd())
    assert staff.is_staff
    Payment.objects.create(
        order_id="PAY-2026-000003",
        payer=UserFactory(),
        bill=PbbBillFactory(),
        principal=1,
        penalty=0,
        amount=1,
        provider="sandbox",
        qr_string="0",
        expires_at=timezone.now(),
    )
    assert "tidak ditemukan" in whatsapp_citizen.says("STATUS PAY-2026-000003")


def test_status_of_a_civil_registry_request_needs_the_verified_account(whatsapp_citizen):
    from civil_registry.models import CivilRequest
    from services.models import Kelurahan
    from tests.civil_registry.conftest import BIRTH, NIK_SITI
    from tests.factories import AgencyFactory

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    from civil_registry import services as civil_services

    owner = UserFactory(
        phone=PHONE, phone_verified=True, nik=NIK_SITI, home_kelurahan=Kelurahan.objects.first()
    )
    request = civil_services.request_create(
        actor=owner, request_type="akta_kelahiran", subject_data=BIRTH
    )
    assert CivilRequest.objects.count() == 1
    assert request.tracking_number in whatsapp_citizen.says(f"status {request.tracking_number}")
    owner.phone_verified = False
    owner.save(update_fields=["phone_verified"])
    assert "tidak ditemukan" in whatsapp_citizen.says(f"STATUS {request.tracking_number}")


def test_status_without_a_number_explains(whatsapp_citizen):
    assert "STATUS ADU-2026-000123" in whatsapp_citizen.says("STATUS")


def test_look_ups_are_rate_limited(whatsapp_citizen, settings):
    settings.WHATSAPP_LOOKUPS_PER_HOUR = 2
    whatsapp_citizen.says("STATUS ADU-2026-000001")
    whatsapp_citizen.says("STATUS ADU-2026-000002")
    assert "Terlalu banyak" in whatsapp_citizen.says("STATUS ADU-2026-000003")


# --- TAGIHAN ---------------------------------------------------------------------------------------


def test_bill_summary_with_a_payment_link(whatsapp_citizen):
    from tests.payments.factories import PbbBillFactory

    bill = PbbBillFactory(tax_object__nop="647101000100100010", principal=150_000)
    answer = whatsapp_citizen.says("TAGIHAN 64.71.010.001.001-0001.0")
    assert "64.71.010.001.001-0001.0" in answer
    assert "Rp 150.000" in answer
    assert f"/layanan/pembayaran/tagihan/{bill.uuid}/" in answer
    assert "SITI RAHMAWATI" not in answer  # the taxpayer's name is masked


def test_bill_refusals(whatsapp_citizen):
    assert "bukan NOP" in whatsapp_citizen.says("TAGIHAN 123")
    assert "tidak ditemukan" in whatsapp_citizen.says("TAGIHAN 647101000100199990")
    assert "TAGIHAN 64.71" in whatsapp_citizen.says("TAGIHAN")


# --- ANTREAN ---------------------------------------------------------------------------------------


@pytest.fixture
def open_session(seeded):
    from services.models import Agency
    from tests.health.factories import SessionFactory

    return SessionFactory(
        service_point__facility__agency=Agency.objects.get(code="dkk"),
        service_point__facility__name="Puskesmas Klandasan Ilir",
        quota=1,
    )


def test_queue_needs_a_verified_account(whatsapp_citizen, open_session):
    assert "verifikasi" in whatsapp_citizen.says("ANTREAN").lower()
    assert Ticket.objects.count() == 0


def test_queue_books_a_ticket_through_the_health_module(whatsapp_citizen, open_session):
    user = UserFactory(phone=PHONE, phone_verified=True)
    listing = whatsapp_citizen.says("ANTREAN")
    assert "tidak punya tiket" in listing and "1. Puskesmas Klandasan Ilir" in listing
    assert "Poli Umum" in whatsapp_citizen.says("1")
    assert "sisa 1" in whatsapp_citizen.says("1")
    assert "BPJS" in whatsapp_citizen.says("1")
    booked = whatsapp_citizen.says("2")
    ticket = Ticket.objects.get()
    assert ticket.owner == user and ticket.payer == "general"
    assert ticket.code in booked
    assert ticket.code in whatsapp_citizen.says("ANTREAN")  # today's tickets


def test_queue_quota_rules_hold(whatsapp_citizen, open_session):
    from health.services import ticket_book

    UserFactory(phone=PHONE, phone_verified=True)
    whatsapp_citizen.says("ANTREAN")
    whatsapp_citizen.says("1")
    whatsapp_citizen.says("1")
    whatsapp_citizen.says("1")
    ticket_book(actor=UserFactory(), session=open_session, payer="bpjs")  # the last place
    answer = whatsapp_citizen.says("1")
    assert "tidak dapat dipesan" in answer
    assert Ticket.objects.count() == 1


def test_a_choice_outside_the_list_is_asked_again(whatsapp_citizen, open_session):
    UserFactory(phone=PHONE, phone_verified=True)
    whatsapp_citizen.says("ANTREAN")
    assert "salah satu nomor" in whatsapp_citizen.says("9")
    assert whatsapp_citizen.conversation.step == Conversation.Step.QUEUE_FACILITY


# --- the demo command ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simulate_whatsapp_replays_a_report(seeded, capsys):
    call_command("simulate_whatsapp")
    out = capsys.readouterr().out
    complaint = Complaint.objects.get()
    assert complaint.channel == Channel.WHATSAPP
    assert f"< Terima kasih. Nomor pengaduan Anda {complaint.tracking_number}" in out


def test_status_changes_reach_a_citizen_without_an_account(whatsapp_citizen):
    from django.test import TestCase

    from complaints.services import complaint_start
    from services.models import Agency

    complaint = _file_report(whatsapp_citizen)
    whatsapp_citizen.new_replies()
    Complaint.objects.filter(pk=complaint.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    officer = StaffFactory(
        role=AgencyMembership.Role.COUNTER_OFFICER,
        role__agency=Agency.objects.get(code=complaint.agency.code),
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        complaint_start(actor=officer, complaint=complaint, note="Tim menuju lokasi.")
    update = whatsapp_citizen.new_replies()
    assert len(update) == 1
    assert complaint.tracking_number in update[0] and "Tim menuju lokasi." in update[0]
    assert update[0].startswith("Kabar terbaru")

"""The Cloud API client against recorded request/response fixtures (respx), the notification
backend (text inside the 24-hour window, template outside), and the send task that never crashes
the worker."""

import datetime as dt
import io
import json
from pathlib import Path

import httpx
import pytest
import respx
from django.utils import timezone
from PIL import Image

from channels.models import Conversation, Message
from channels.whatsapp.backends import WhatsAppBackend
from channels.whatsapp.client import CloudAPIClient, MediaUnavailable
from channels.whatsapp.services import outbound_send, reply_queue
from services.notifications.backends import BackendError, DeliveryRejected, OutgoingMessage
from tests.channels.conftest import PHONE, WA_ID, Citizen

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
MESSAGES_URL = "https://graph.facebook.com/v21.0/106540352242922/messages"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def _response(recorded: dict) -> httpx.Response:
    return httpx.Response(
        recorded["status"], json=recorded["body"], headers=recorded.get("headers", {})
    )


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def client(sleeps):
    return CloudAPIClient(sleep=sleeps.append)


@pytest.fixture
def cloud_api(settings):
    settings.WHATSAPP_CLIENT = "channels.whatsapp.client.CloudAPIClient"
    with respx.mock(assert_all_called=False) as mock:
        yield mock


# --- the recorded exchanges ----------------------------------------------------------------------


@respx.mock
def test_send_text_posts_the_recorded_request_and_reads_the_id(client):
    recorded = fixture("send_text.json")
    route = respx.post(MESSAGES_URL).mock(return_value=_response(recorded["response"]))
    assert client.send_text(to=PHONE, text="Halo") == "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABEYEjQ1"
    request = route.calls.last.request
    assert json.loads(request.content) == recorded["request"]
    assert request.headers["Authorization"] == "Bearer test-token"


@respx.mock
def test_send_template_has_the_text_as_its_parameter(client):
    recorded = fixture("send_template.json")
    route = respx.post(MESSAGES_URL).mock(return_value=_response(recorded["response"]))
    client.send_template(to=PHONE, name="buw_status_changed", language="id", parameters=["Teks"])
    assert json.loads(route.calls.last.request.content) == recorded["request"]


@respx.mock
def test_a_rate_limit_is_retried_after_the_delay_asked_for(client, sleeps):
    limited, ok = fixture("rate_limited.json"), fixture("send_text.json")
    route = respx.post(MESSAGES_URL).mock(
        side_effect=[_response(limited["response"]), _response(ok["response"])]
    )
    assert client.send_text(to=PHONE, text="Halo").startswith("wamid.")
    assert route.call_count == 2
    assert sleeps == [3.0]  # Retry-After: 3


@respx.mock
def test_server_errors_are_retried_with_backoff_then_handed_back(client, sleeps):
    failed = fixture("server_error.json")
    route = respx.post(MESSAGES_URL).mock(return_value=_response(failed["response"]))
    with pytest.raises(BackendError) as error:
        client.send_text(to=PHONE, text="Halo")
    assert route.call_count == 3  # the first try and WHATSAPP_HTTP_RETRIES = 2
    assert sleeps == [1.0, 2.0]
    assert error.value.reason == "WhatsApp: HTTP 500, code 131000"
    assert PHONE not in error.value.reason and WA_ID not in error.value.reason


@respx.mock
def test_timeouts_are_retried(client, sleeps):
    ok = fixture("send_text.json")
    respx.post(MESSAGES_URL).mock(
        side_effect=[httpx.ConnectTimeout("slow"), _response(ok["response"])]
    )
    assert client.send_text(to=PHONE, text="Halo").startswith("wamid.")
    assert sleeps == [1.0]


@respx.mock
def test_a_client_error_is_rejected_without_retrying(client, sleeps):
    invalid = fixture("invalid_recipient.json")
    route = respx.post(MESSAGES_URL).mock(return_value=_response(invalid["response"]))
    with pytest.raises(DeliveryRejected) as error:
        client.send_text(to=PHONE, text="Halo")
    assert route.call_count == 1 and sleeps == []
    assert error.value.reason == "WhatsApp: HTTP 400, code 131026"


@respx.mock
def test_an_unreadable_answer_is_a_backend_error(client):
    respx.post(MESSAGES_URL).mock(return_value=httpx.Response(200, text="<html>"))
    with pytest.raises(BackendError):
        client.send_text(to=PHONE, text="Halo")


@respx.mock
def test_media_is_downloaded_in_two_steps(client):
    recorded = fixture("media.json")
    respx.get("https://graph.facebook.com/v21.0/1234567890").mock(
        return_value=_response(recorded["response"])
    )
    respx.get(recorded["response"]["body"]["url"]).mock(
        return_value=httpx.Response(200, content=b"\xff\xd8jpeg")
    )
    media = client.download_media(media_id="1234567890")
    assert media.content == b"\xff\xd8jpeg" and media.mime_type == "image/jpeg"


@respx.mock
def test_missing_media_is_unavailable(client):
    respx.get("https://graph.facebook.com/v21.0/404").mock(
        return_value=httpx.Response(404, json={"error": {"code": 100}})
    )
    with pytest.raises(MediaUnavailable):
        client.download_media(media_id="404")


# --- the notification backend ---------------------------------------------------------------------


def _outgoing(**kwargs):
    values = {
        "channel": "whatsapp",
        "to": PHONE,
        "language": "id",
        "event": "status_changed",
        "title": "Status",
        "text": "Pengaduan ADU-2026-000001: Selesai",
    }
    return OutgoingMessage(**{**values, **kwargs})


def test_inside_the_window_the_backend_sends_text(cloud_api):
    conversation = Conversation.objects.create(
        phone=PHONE, wa_id=WA_ID, last_inbound_at=timezone.now() - dt.timedelta(hours=2)
    )
    route = cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("send_text.json")["response"])
    )
    result = WhatsAppBackend().send(_outgoing())
    body = json.loads(route.calls.last.request.content)
    assert body["type"] == "text"
    assert body["text"]["body"] == "Pengaduan ADU-2026-000001: Selesai"
    assert result.provider_message_id.startswith("wamid.")
    assert conversation.messages.get().text == "Pengaduan ADU-2026-000001: Selesai"


def test_outside_the_window_the_backend_sends_a_template(cloud_api):
    Conversation.objects.create(
        phone=PHONE, wa_id=WA_ID, last_inbound_at=timezone.now() - dt.timedelta(hours=25)
    )
    route = cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("send_template.json")["response"])
    )
    WhatsAppBackend().send(_outgoing(language="en"))
    body = json.loads(route.calls.last.request.content)
    assert body["type"] == "template"
    assert body["template"]["name"] == "buw_status_changed"
    assert body["template"]["language"] == {"code": "en"}
    assert Message.objects.get().template == "buw_status_changed"


def test_a_number_never_heard_from_gets_a_template(cloud_api):
    route = cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("send_template.json")["response"])
    )
    WhatsAppBackend().send(_outgoing())
    assert json.loads(route.calls.last.request.content)["type"] == "template"
    assert Message.objects.count() == 0


def test_the_notification_kit_retries_a_rate_limited_delivery(cloud_api, settings):
    """Through notify(): the backend's BackendError makes the kit queue the delivery again."""
    from services.notifications.models import ChannelPreference, Delivery
    from services.notifications.services import delivery_send, notify
    from tests.factories import UserFactory

    settings.NOTIFICATION_BACKENDS = {
        **settings.NOTIFICATION_BACKENDS,
        "whatsapp": "channels.whatsapp.backends.WhatsAppBackend",
    }
    settings.WHATSAPP_HTTP_RETRIES = 0
    settings.NOTIFICATION_QUIET_HOURS = ""
    user = UserFactory(phone=PHONE, phone_verified=True)
    ChannelPreference.objects.create(user=user, channel="whatsapp", topic_reminder=True)
    notify(
        recipient=user,
        event="reminder",
        topic="reminder",
        key="k1",
        context={"title": "T", "message": "Pesan", "app_link": "", "portal_link": ""},
    )
    delivery = Delivery.objects.get(channel="whatsapp")
    cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("rate_limited.json")["response"])
    )
    from services.notifications.services import RetryLater

    with pytest.raises(RetryLater):
        delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.QUEUED
    assert delivery.failure_reason == "WhatsApp: HTTP 429, code 130429"


# --- the reply task ---------------------------------------------------------------------------------


def _queued_reply():
    conversation = Conversation.objects.create(
        phone=PHONE, wa_id=WA_ID, last_inbound_at=timezone.now()
    )
    return Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        text="Halo",
        status=Message.Status.QUEUED,
    )


def test_a_reply_that_fails_for_now_is_queued_again_then_failed(cloud_api, settings):
    from channels.whatsapp.services import SendLater

    settings.WHATSAPP_HTTP_RETRIES = 0
    message = _queued_reply()
    cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("server_error.json")["response"])
    )
    with pytest.raises(SendLater):
        outbound_send(message_id=message.pk, is_last_attempt=False)
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED and message.attempts == 1
    assert outbound_send(message_id=message.pk, is_last_attempt=True) == "failed"
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.failure_reason == "WhatsApp: HTTP 500, code 131000"


def test_the_send_task_never_crashes_the_worker(cloud_api, settings):
    from channels.tasks import send_outbound

    message = _queued_reply()
    cloud_api.post(MESSAGES_URL).mock(side_effect=RuntimeError("provider surprise"))
    assert send_outbound.apply(args=(message.pk,)).get() == "failed"
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.failure_reason == "unexpected error (RuntimeError)"
    assert send_outbound.apply(args=(message.pk,)).get() == "skipped"  # never sent twice


def test_a_staff_reply_outside_the_window_is_a_template(cloud_api):
    conversation = Conversation.objects.create(
        phone=PHONE, wa_id=WA_ID, last_inbound_at=timezone.now() - dt.timedelta(days=3)
    )
    route = cloud_api.post(MESSAGES_URL).mock(
        return_value=_response(fixture("send_template.json")["response"])
    )
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        message = reply_queue(conversation=conversation, text="Sudah kami tangani.")
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert json.loads(route.calls.last.request.content)["template"]["name"] == "buw_staff_reply"


def test_a_photo_sent_on_whatsapp_is_attached_to_the_complaint(cloud_api, seeded):
    from complaints.models import Complaint
    from services.uploads.models import Document

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 90)).save(buffer, "JPEG")
    sent = iter(range(1, 100))
    cloud_api.post(MESSAGES_URL).mock(
        side_effect=lambda request: httpx.Response(
            200, json={"messages": [{"id": f"wamid.REPLY{next(sent)}"}]}
        )
    )
    recorded = fixture("media.json")
    cloud_api.get("https://graph.facebook.com/v21.0/1234567890").mock(
        return_value=_response(recorded["response"])
    )
    cloud_api.get(recorded["response"]["body"]["url"]).mock(
        return_value=httpx.Response(200, content=buffer.getvalue())
    )
    citizen = Citizen()
    citizen.says("LAPOR")
    citizen.says("Lampu jalan padam sejak seminggu, gelap sekali di malam hari")
    citizen.shares_location(-1.2654, 116.8312)
    assert "(1)" in citizen.sends_photo("1234567890")
    citizen.says("LANJUT")
    citizen.says("YA")
    complaint = Complaint.objects.get()
    documents = Document.objects.filter(attached_at__isnull=False)
    assert documents.count() == 1
    assert complaint.category.code == "lampu_jalan"

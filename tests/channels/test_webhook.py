"""The WhatsApp webhook: the GET handshake, X-Hub-Signature-256 over the raw body (the test
vectors of test-vectors §9), store-first processing and duplicate deliveries."""

from unittest import mock

import pytest
from django.test import Client

from channels.models import Conversation, Message
from channels.whatsapp import payloads
from services.notifications.models import Delivery, Notification
from tests.channels.conftest import PHONE, WA_ID, WEBHOOK, post_raw, post_signed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT_BODY = (
    b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":'
    b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100000000",'
    b'"phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Warga Uji"},'
    b'"wa_id":"6281234567890"}],"messages":[{"from":"6281234567890","id":'
    b'"wamid.TEST0000000000000000000001","timestamp":"1767225600","type":"text","text":{"body":'
    b'"Jalan berlubang di Jl. Jend. Sudirman, Klandasan Ilir"}}]},"field":"messages"}]}]}'
)
TEXT_SIGNATURE = "sha256=26080c06b2fe1b71d8ce07ffa90005b5d7db718506080e6b16e02d5aa6880ba7"
LOCATION_BODY = (
    b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":'
    b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100000000",'
    b'"phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Warga Uji"},'
    b'"wa_id":"6281234567890"}],"messages":[{"from":"6281234567890","id":'
    b'"wamid.TEST0000000000000000000002","timestamp":"1767225660","type":"location","location":'
    b'{"latitude":-1.2654,"longitude":116.8312,"name":"Lapangan Merdeka","address":'
    b'"Jl. Jend. Sudirman, Balikpapan"}}]},"field":"messages"}]}]}'
)
LOCATION_SIGNATURE = "sha256=fbedf7e194eb33a53e692e699097e589c2d8cf1d1306e6b585be95eb2c8bfc12"
STATUS_BODY = (
    b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":'
    b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"6281100000000",'
    b'"phone_number_id":"106540352242922"},"statuses":[{"id":"wamid.TEST0000000000000000000099",'
    b'"status":"delivered","timestamp":"1767225700","recipient_id":"6281234567890"}]},'
    b'"field":"messages"}]}]}'
)
STATUS_SIGNATURE = "sha256=55da2382e591eaa0c8afde3acd824f3f377876cf1b5ebaa178c7adcdd8dabb45"


def _post(body: bytes, signature: str | None):
    return post_raw(body, signature)


# --- the handshake ---------------------------------------------------------------------------


def test_handshake_echoes_the_challenge_as_plain_text():
    response = Client().get(
        WEBHOOK,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "bpp-verify-token-0001",
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.content == b"1158201444"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("params", "status"),
    [
        (
            {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"},
            403,
        ),
        (
            {
                "hub.mode": "unsubscribe",
                "hub.verify_token": "bpp-verify-token-0001",
                "hub.challenge": "1",
            },
            403,
        ),
        ({"hub.mode": "subscribe", "hub.verify_token": "bpp-verify-token-0001"}, 400),
        ({"hub.mode": "subscribe", "hub.challenge": "1158201444"}, 403),
    ],
)
def test_handshake_refusals_never_echo_the_challenge(params, status):
    response = Client().get(WEBHOOK, params)
    assert response.status_code == status
    assert b"1158201444" not in response.content
    assert response.json()["type"] == "client_error"


def test_without_a_configured_verify_token_every_handshake_is_refused(settings):
    settings.WHATSAPP_VERIFY_TOKEN = ""
    response = Client().get(
        WEBHOOK, {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "5"}
    )
    assert response.status_code == 403


# --- signatures ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        (TEXT_BODY, TEXT_SIGNATURE),
        (LOCATION_BODY, LOCATION_SIGNATURE),
        (STATUS_BODY, STATUS_SIGNATURE),
    ],
)
def test_the_test_vector_signatures_are_accepted(seeded, body, signature):
    assert len(TEXT_BODY) == 494 and len(LOCATION_BODY) == 548 and len(STATUS_BODY) == 367
    response = _post(body, signature)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "signature",
    [
        None,
        "",
        "sha256=",
        "sha1=26080c06b2fe1b71d8ce07ffa90005b5d7db718506080e6b16e02d5aa6880ba7",
        "26080c06b2fe1b71d8ce07ffa90005b5d7db718506080e6b16e02d5aa6880ba7",
        "sha256=" + "0" * 64,
        LOCATION_SIGNATURE,  # a valid signature of another body
    ],
)
def test_a_bad_or_missing_signature_is_401_and_nothing_happens(seeded, signature):
    with mock.patch("channels.whatsapp.services._queue_processing") as queued:
        response = _post(TEXT_BODY, signature)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "signature_invalid"
    assert Message.objects.count() == 0
    assert Conversation.objects.count() == 0
    queued.assert_not_called()


def test_a_body_changed_after_signing_is_401(seeded):
    tampered = TEXT_BODY.replace(b"Jalan berlubang", b"Jalan  berlubang")
    assert _post(tampered, TEXT_SIGNATURE).status_code == 401
    reserialised = TEXT_BODY.replace(b'":"', b'": "')  # the same JSON, other bytes
    assert _post(reserialised, TEXT_SIGNATURE).status_code == 401
    assert Message.objects.count() == 0


def test_the_secret_is_required(settings, seeded):
    settings.WHATSAPP_APP_SECRET = ""
    assert _post(TEXT_BODY, TEXT_SIGNATURE).status_code == 401


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "page", "entry": []},
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "changes": [
                        {"field": "messages", "value": {"messages": [{"id": "", "from": "x"}]}}
                    ]
                }
            ],
        },
        ["not", "an", "object"],
    ],
)
def test_a_signed_but_malformed_payload_is_400_and_stores_nothing(seeded, payload):
    response = post_signed(payload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "payload_invalid"
    assert Message.objects.count() == 0


def test_not_json_is_400(seeded):
    body = b"not json"
    import hashlib
    import hmac

    signature = "sha256=" + hmac.new(b"bpp-test-app-secret-0001", body, hashlib.sha256).hexdigest()
    assert _post(body, signature).status_code == 400


# --- store first, process in Celery, once ---------------------------------------------------------


def test_the_message_is_stored_before_it_is_processed(seeded):
    with mock.patch("channels.whatsapp.services._queue_processing") as queued:
        response = _post(TEXT_BODY, TEXT_SIGNATURE)
    assert response.status_code == 200
    assert response.json() == {"new": 1, "duplicates": 0, "statuses": 0}
    message = Message.objects.get()
    assert message.status == Message.Status.RECEIVED
    assert message.wamid == "wamid.TEST0000000000000000000001"
    assert message.conversation.phone == PHONE
    assert message.conversation.profile_name == "Warga Uji"
    queued.assert_called_once_with([message.pk])
    # the sweeper picks up what a lost task left behind
    from channels.whatsapp.services import inbound_pending_ids

    assert inbound_pending_ids(grace_seconds=-60) == [message.pk]


def test_a_repeated_delivery_is_ignored(seeded):
    first = _post(TEXT_BODY, TEXT_SIGNATURE)
    replies = Message.objects.filter(direction=Message.Direction.OUTBOUND).count()
    assert replies >= 1
    second = _post(TEXT_BODY, TEXT_SIGNATURE)
    third = _post(TEXT_BODY, TEXT_SIGNATURE)
    assert first.json()["new"] == 1
    assert second.json() == third.json() == {"new": 0, "duplicates": 1, "statuses": 0}
    assert Message.objects.filter(direction=Message.Direction.INBOUND).count() == 1
    assert Message.objects.filter(direction=Message.Direction.OUTBOUND).count() == replies


def test_processing_twice_does_nothing_the_second_time(seeded):
    from channels.whatsapp.conversation import message_process

    _post(TEXT_BODY, TEXT_SIGNATURE)
    message = Message.objects.get(direction=Message.Direction.INBOUND)
    assert message.status == Message.Status.PROCESSED
    replies = Message.objects.filter(direction=Message.Direction.OUTBOUND).count()
    assert message_process(message_id=message.pk) == "skipped"
    assert Message.objects.filter(direction=Message.Direction.OUTBOUND).count() == replies


def test_a_status_receipt_moves_an_outbound_message_forward_and_marks_the_delivery(seeded):
    user = UserFactory(phone=PHONE, phone_verified=True)
    conversation = Conversation.objects.create(phone=PHONE, wa_id=WA_ID)
    sent = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        wamid="wamid.TEST0000000000000000000099",
        text="Halo",
        status=Message.Status.SENT,
    )
    notification = Notification.objects.create(
        recipient=user,
        event="status_changed",
        key="k",
        topic="status",
        title={},
        body={},
        short_body={},
    )
    delivery = Delivery.objects.create(
        notification=notification,
        channel="whatsapp",
        status=Delivery.Status.SENT,
        provider_message_id="wamid.TEST0000000000000000000099",
    )
    response = _post(STATUS_BODY, STATUS_SIGNATURE)
    assert response.json() == {"new": 0, "duplicates": 0, "statuses": 1}
    sent.refresh_from_db()
    delivery.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED
    assert delivery.status == Delivery.Status.DELIVERED
    # a late "sent" never moves it back
    post_signed(payloads.status_envelope(wamid=sent.wamid, status="sent", recipient=WA_ID))
    sent.refresh_from_db()
    assert sent.status == Message.Status.DELIVERED
    post_signed(payloads.status_envelope(wamid=sent.wamid, status="read", recipient=WA_ID))
    sent.refresh_from_db()
    assert sent.status == Message.Status.READ


def test_the_webhook_path_is_configurable(seeded, settings):
    from django.urls import clear_url_caches, resolve

    assert resolve(WEBHOOK).url_name == "whatsapp-webhook"
    clear_url_caches()


def test_the_sweeper_processes_what_a_lost_task_left(seeded):
    import datetime as dt

    from django.test import TestCase
    from django.utils import timezone

    from channels.tasks import sweep

    with mock.patch("channels.whatsapp.services._queue_processing"):
        _post(TEXT_BODY, TEXT_SIGNATURE)  # stored, its task lost
    conversation = Conversation.objects.get()
    queued = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUTBOUND,
        text="Halo",
        status=Message.Status.QUEUED,
    )
    Message.objects.update(created_at=timezone.now() - dt.timedelta(minutes=10))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sweep.apply().get() == 2
    assert Message.objects.get(direction=Message.Direction.INBOUND).status == "processed"
    queued.refresh_from_db()
    assert queued.status == Message.Status.SENT
    assert Message.objects.filter(direction=Message.Direction.OUTBOUND).count() > 1


def test_messages_of_one_sender_are_answered_in_order_whichever_task_runs_first(seeded):
    """Two workers may start the second message's task first: it answers both, in order."""
    from channels.whatsapp.conversation import message_process

    conversation = Conversation.objects.create(phone=PHONE, wa_id=WA_ID)
    first, second = (
        Message.objects.create(
            conversation=conversation,
            direction=Message.Direction.INBOUND,
            wamid=f"wamid.order.{n}",
            text=text,
            status=Message.Status.RECEIVED,
        )
        for n, text in enumerate(["LAPOR", "Saluran air tersumbat di depan pasar, banjir"])
    )
    assert message_process(message_id=second.pk) == "processed"
    assert message_process(message_id=first.pk) == "skipped"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Message.Status.PROCESSED
    conversation.refresh_from_db()
    # LAPOR started the report and the description answered it: now the location is asked for
    assert conversation.step == Conversation.Step.REPORT_LOCATION

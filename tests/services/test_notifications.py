"""Notifications: ``notify`` (what modules call), choosing channels, sending exactly once, quiet
hours, retries, the daily digest, templates, and what staff see."""

import datetime as dt
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from services.activity import activity_record
from services.notifications import backends, deliveries_for_object, notify, services, tasks
from services.notifications.backends import BackendError, DeliveryRejected, SendResult
from services.notifications.exceptions import DeliveryNotFailed
from services.notifications.models import (
    CHOOSABLE_TOPICS,
    DELIVERY_CHANNELS,
    Delivery,
    Device,
    Notification,
)
from services.notifications.rendering import UnknownNotificationEvent
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

WITA = dt.timezone(dt.timedelta(hours=8))
MORNING = dt.datetime(2026, 3, 2, 9, 12, tzinfo=WITA)
NIGHT = dt.datetime(2026, 3, 2, 22, 0, tzinfo=WITA)
Status = Delivery.Status
TEMPLATES = Path(django_settings.BASE_DIR) / "templates" / "notifications"


# --- Fixtures and helpers (also used by test_notifications_api) -----------------------------------


@pytest.fixture(autouse=True)
def channels(settings):
    """Email through Django's locmem mail, SMS through services.sms' outbox (both set by the
    suite's conftest), WhatsApp and push into ``backends.outbox``."""
    settings.NOTIFICATION_BACKENDS = {
        "email": "services.notifications.backends.EmailBackend",
        "sms": "services.notifications.backends.SMSBackend",
        "whatsapp": "services.notifications.backends.LocmemBackend",
        "push": "services.notifications.backends.LocmemBackend",
    }
    settings.NOTIFICATION_MAX_RETRIES = 2
    settings.NOTIFICATION_QUIET_HOURS = "21:00-06:00"
    settings.PORTAL_BASE_URL = "https://warga.balikpapan.go.id"
    backends.outbox.clear()
    yield
    backends.outbox.clear()


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def opt_in(user, channel, *topics, digest=False):
    """Turn on ``topics`` on ``channel`` (and keep the rest of the matrix as it is)."""
    preferences = services.notification_preferences_for(user=user)
    matrix = {name: dict(values) for name, values in preferences.channels.items()}
    matrix[channel].update(dict.fromkeys(topics, True))
    services.notification_preferences_update(
        actor=user, channels=matrix, email_digest=digest or preferences.email_digest
    )


def reachable_citizen(*, device_token="fcm-token-of-siti-0001", **overrides):
    """A citizen with an email, a verified phone and a registered phone for push."""
    values = {
        "full_name": "Siti Rahma",
        "email": "siti@example.test",
        "phone": "+6281234567890",
        "preferred_language": "id",
    }
    values.update(overrides)
    user = UserFactory(**values)
    Device.objects.create(user=user, platform="fcm", token=device_token)
    return user


def status_changed(recipient, *, key="civil_registry:1:history:1", moment=MORNING, **kwargs):
    """notify() of a status change, at ``moment``, running what is queued on commit."""
    context = {
        "title": _("English"),  # a lazy translation: "Bahasa Inggris" in Indonesian
        "tracking_number": "DUK-2026-000123",
        "state_label": _("Verified"),
    }
    kwargs.setdefault("context", context)
    with at(moment), run_on_commit():
        return notify(recipient=recipient, event="status_changed", key=key, **kwargs)


def run_on_commit():
    """Like pytest-django's ``django_capture_on_commit_callbacks(execute=True)``, usable inside
    helpers: tests run in a transaction, so on-commit work is captured and run on leaving."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def sent_sms(sms_outbox):
    return [(message["to"], message["body"]) for message in sms_outbox]


def outbox_of(channel):
    return [message for message in backends.outbox if message.channel == channel]


class FailingBackend(backends.BaseBackend):
    calls = 0
    error: Exception = BackendError("gateway timeout")
    failures = 1_000  # fail this many times, then succeed

    def send(self, message):
        type(self).calls += 1
        if type(self).calls <= self.failures:
            raise self.error
        return SendResult(provider_message_id="wamid.1")


@pytest.fixture
def failing_whatsapp(settings):
    FailingBackend.calls = 0
    FailingBackend.failures = 1_000
    FailingBackend.error = BackendError("gateway timeout")
    settings.NOTIFICATION_BACKENDS = {
        **settings.NOTIFICATION_BACKENDS,
        "whatsapp": f"{__name__}.FailingBackend",
    }
    return FailingBackend


# --- Which channels ------------------------------------------------------------------------------


def test_by_default_only_the_inbox_gets_a_status_change(sms_outbox):
    citizen = reachable_citizen()

    notification = status_changed(citizen)

    assert Notification.objects.get() == notification
    assert notification.recipient == citizen
    assert (notification.event, notification.topic, notification.is_urgent) == (
        "status_changed",
        "status",
        False,
    )
    assert notification.read_at is None
    assert Delivery.objects.count() == 0
    assert (mail.outbox, sms_outbox, backends.outbox) == ([], [], [])


def test_transactional_email_needs_no_opt_in(sms_outbox):
    citizen = reachable_citizen(preferred_language="en")

    with at(MORNING), run_on_commit():
        notify(
            recipient=citizen,
            event="account_security",
            key="account:login:1",
            topic="transactional",
            context={"title": "New sign-in", "message": "You signed in on a new phone."},
        )

    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", Status.SENT, 1)
    assert delivery.sent_at == MORNING
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["siti@example.test"], "Account security: New sign-in")
    ]
    assert (sms_outbox, backends.outbox) == ([], [])


def test_every_channel_opted_into_gets_exactly_one_delivery(sms_outbox):
    citizen = reachable_citizen()
    for channel in ("email", "sms", "whatsapp", "push"):
        opt_in(citizen, channel, "status")

    notification = status_changed(citizen)

    assert sorted(notification.deliveries.values_list("channel", "status", "attempts")) == [
        ("email", Status.SENT, 1),
        ("push", Status.SENT, 1),
        ("sms", Status.SENT, 1),
        ("whatsapp", Status.SENT, 1),
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["siti@example.test"], "DUK-2026-000123: Terverifikasi")
    ]
    assert mail.outbox[0].body == "Status Bahasa Inggris (DUK-2026-000123) sekarang: Terverifikasi."
    sms_text = "Bahasa Inggris DUK-2026-000123: Terverifikasi. Cek aplikasi Balikpapan Untuk Warga."
    assert sent_sms(sms_outbox) == [("+6281234567890", sms_text)]
    (whatsapp,) = outbox_of("whatsapp")
    assert (whatsapp.to, whatsapp.text, whatsapp.language) == ("+6281234567890", sms_text, "id")
    (push,) = outbox_of("push")
    assert [(d.platform, d.token) for d in push.devices] == [("fcm", "fcm-token-of-siti-0001")]
    assert (push.title, push.text) == ("DUK-2026-000123: Terverifikasi", sms_text)


def test_opt_in_is_per_topic(sms_outbox):
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "payment")

    status_changed(citizen)

    assert Delivery.objects.count() == 0
    assert sms_outbox == []


def test_channels_without_an_address_are_skipped(sms_outbox):
    citizen = UserFactory(email=None, phone="+6281234567891", phone_verified=False)
    for channel in ("email", "sms", "whatsapp", "push"):
        opt_in(citizen, channel, "status")

    notification = status_changed(citizen)

    assert notification is not None
    assert Delivery.objects.count() == 0
    assert (mail.outbox, sms_outbox, backends.outbox) == ([], [], [])


def test_a_deactivated_account_gets_only_the_inbox_item():
    citizen = reachable_citizen(is_active=False)
    opt_in(citizen, "email", "status")

    assert status_changed(citizen) is not None
    assert Delivery.objects.count() == 0


# --- Exactly once --------------------------------------------------------------------------------


def test_the_same_key_twice_notifies_once(sms_outbox):
    citizen = reachable_citizen()
    for channel in ("email", "sms", "whatsapp", "push"):
        opt_in(citizen, channel, "status")

    first = status_changed(citizen)
    second = status_changed(citizen, moment=MORNING + dt.timedelta(minutes=1))

    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == [
        "email",
        "push",
        "sms",
        "whatsapp",
    ]
    assert (len(mail.outbox), len(sms_outbox), len(backends.outbox)) == (1, 1, 2)


def test_the_same_key_for_another_recipient_is_another_notification():
    assert status_changed(reachable_citizen()) is not None
    assert status_changed(UserFactory()) is not None
    assert Notification.objects.count() == 2


def test_the_database_refuses_a_second_delivery_per_channel():
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    notification = status_changed(citizen)

    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(notification=notification, channel="whatsapp")


def test_running_the_delivery_task_twice_sends_once():
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    status_changed(citizen)
    delivery = Delivery.objects.get()

    # The broker delivers the task again (acks_late after a lost ack, a Redis visibility timeout).
    with at(MORNING + dt.timedelta(minutes=1)):
        again = tasks.deliver.apply(args=(delivery.pk,)).get()

    assert again == "skipped"
    assert len(outbox_of("whatsapp")) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (Status.SENT, 1, MORNING)


def test_a_delivery_another_worker_is_sending_is_left_alone():
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    with at(MORNING):
        notify(recipient=citizen, event="status_changed", key="k", context={})  # no on_commit run
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING)

    with at(MORNING):
        assert tasks.deliver.apply(args=(delivery.pk,)).get() == "skipped"

    assert backends.outbox == []


# --- Quiet hours ---------------------------------------------------------------------------------


def test_at_night_sms_whatsapp_and_push_wait_for_six_but_email_does_not(sms_outbox):
    citizen = reachable_citizen()
    for channel in ("email", "sms", "whatsapp", "push"):
        opt_in(citizen, channel, "status")

    status_changed(citizen, moment=NIGHT)

    six = dt.datetime(2026, 3, 3, 6, 0, tzinfo=WITA)
    rows = sorted(Delivery.objects.values_list("channel", "status", "scheduled_for", "attempts"))
    assert rows == [
        ("email", Status.SENT, NIGHT, 1),
        ("push", Status.QUEUED, six, 0),
        ("sms", Status.QUEUED, six, 0),
        ("whatsapp", Status.QUEUED, six, 0),
    ]
    assert len(mail.outbox) == 1
    assert (sms_outbox, backends.outbox) == ([], [])

    # At 06:00 the queued tasks (eta) run; the sweeper would catch any that was lost.
    with at(six), run_on_commit():
        for delivery_id in Delivery.objects.filter(status=Status.QUEUED).values_list(
            "pk", flat=True
        ):
            tasks.deliver.apply(args=(delivery_id,))

    assert sorted(Delivery.objects.values_list("channel", "status", "sent_at")) == [
        ("email", Status.SENT, NIGHT),
        ("push", Status.SENT, six),
        ("sms", Status.SENT, six),
        ("whatsapp", Status.SENT, six),
    ]
    assert len(sms_outbox) == 1 and len(backends.outbox) == 2


def test_the_deferred_task_is_queued_with_an_eta():
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "status")

    with mock.patch.object(tasks.deliver, "apply_async") as apply_async:
        status_changed(citizen, moment=NIGHT)

    delivery = Delivery.objects.get()
    apply_async.assert_called_once_with(
        (delivery.pk,), eta=dt.datetime(2026, 3, 3, 6, 0, tzinfo=WITA)
    )


def test_an_urgent_notification_is_sent_at_night(sms_outbox):
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "status")

    status_changed(citizen, moment=NIGHT, urgent=True)

    assert Delivery.objects.get().status == Status.SENT
    assert len(sms_outbox) == 1


@pytest.mark.parametrize(
    ("local_time", "expected"),
    [
        ("20:59", None),
        ("21:00", "2026-03-03 06:00"),
        ("23:59", "2026-03-03 06:00"),
        ("00:30", "2026-03-02 06:00"),
        ("05:59", "2026-03-02 06:00"),
        ("06:00", None),
    ],
)
def test_quiet_hours_boundaries(local_time, expected):
    from services.notifications.scheduling import quiet_hours_end

    hour, minute = map(int, local_time.split(":"))
    moment = dt.datetime(2026, 3, 2, hour, minute, tzinfo=WITA)

    end = quiet_hours_end(moment)

    assert (end and end.astimezone(WITA).strftime("%Y-%m-%d %H:%M")) == expected


def test_quiet_hours_are_on_balikpapans_clock_whatever_timezone_is_active():
    from django.utils import timezone

    from services.notifications.scheduling import quiet_hours_end

    with timezone.override("Asia/Jakarta"):  # 21:00 in Jakarta is 22:00 in Balikpapan
        end = quiet_hours_end(
            dt.datetime(2026, 3, 2, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        )

    assert end == dt.datetime(2026, 3, 3, 6, 0, tzinfo=WITA)


def test_a_malformed_quiet_hours_setting_is_a_configuration_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    from services.notifications.scheduling import quiet_hours_end

    settings.NOTIFICATION_QUIET_HOURS = "9pm to 6am"
    with pytest.raises(ImproperlyConfigured, match="NOTIFICATION_QUIET_HOURS"):
        quiet_hours_end(NIGHT)


def test_quiet_hours_can_be_switched_off(settings, sms_outbox):
    settings.NOTIFICATION_QUIET_HOURS = ""
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "status")

    status_changed(citizen, moment=NIGHT)

    assert len(sms_outbox) == 1


# --- Failures and retries ------------------------------------------------------------------------


def run_retries(delivery, *, retries=1):
    """Play the broker: run the queued retry at the time it was scheduled for. (Eager tasks that
    propagate errors, as in tests, raise Retry to the caller instead of running it; ``apply``
    without ``throw`` runs the whole retry chain in-process.)"""
    delivery.refresh_from_db()
    with at(delivery.scheduled_for):
        tasks.deliver.apply(args=(delivery.pk,), retries=retries, throw=False)
    delivery.refresh_from_db()
    return delivery


def test_a_failing_backend_is_retried_then_the_delivery_fails_with_its_reason(failing_whatsapp):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    opt_in(citizen, "email", "status")

    notification = status_changed(citizen)

    assert notification is not None  # the caller is not affected
    whatsapp = Delivery.objects.get(channel="whatsapp")
    assert failing_whatsapp.calls == 1
    assert (whatsapp.status, whatsapp.attempts, whatsapp.failure_reason) == (
        Status.QUEUED,
        1,
        "gateway timeout",
    )
    assert MORNING + dt.timedelta(seconds=60) <= whatsapp.scheduled_for
    # The other channels do not suffer.
    assert Delivery.objects.get(channel="email").status == Status.SENT

    retry_at = whatsapp.scheduled_for
    whatsapp = run_retries(whatsapp)

    assert failing_whatsapp.calls == 3  # the first attempt and NOTIFICATION_MAX_RETRIES = 2
    assert (whatsapp.status, whatsapp.attempts, whatsapp.failure_reason) == (
        Status.FAILED,
        3,
        "gateway timeout",
    )
    assert whatsapp.failed_at == retry_at
    with translation.override("en"):
        assert whatsapp.summary == "Not sent by WhatsApp (gateway timeout), at 09:13, 2 Mar 2026"


def test_a_retry_that_succeeds_sends_once_and_keeps_the_last_failure(failing_whatsapp):
    failing_whatsapp.failures = 1
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    status_changed(citizen)

    delivery = run_retries(Delivery.objects.get())

    assert failing_whatsapp.calls == 2
    assert (delivery.status, delivery.attempts, delivery.provider_message_id) == (
        Status.SENT,
        2,
        "wamid.1",
    )
    assert delivery.failure_reason == "gateway timeout"
    # A duplicate of the retry message changes nothing.
    assert tasks.deliver.apply(args=(delivery.pk,), retries=2).get() == "skipped"
    assert failing_whatsapp.calls == 2


def test_the_retry_is_scheduled_with_exponential_backoff(failing_whatsapp, settings):
    settings.NOTIFICATION_RETRY_BACKOFF = 60
    settings.NOTIFICATION_RETRY_BACKOFF_MAX = 3600
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    with at(MORNING):
        notify(recipient=citizen, event="status_changed", key="k", context={})
    delivery = Delivery.objects.get()

    with at(MORNING), pytest.raises(services.RetryLater) as retry:
        services.delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Status.QUEUED
    assert MORNING + dt.timedelta(seconds=60) <= retry.value.at < MORNING + dt.timedelta(seconds=67)
    assert delivery.scheduled_for == retry.value.at


def test_retry_delays_double_up_to_the_maximum_with_a_little_jitter(settings):
    from services.notifications.scheduling import retry_delay

    settings.NOTIFICATION_RETRY_BACKOFF = 60
    settings.NOTIFICATION_RETRY_BACKOFF_MAX = 3600
    for retries, base in enumerate([60, 120, 240, 480, 960, 1920, 3600, 3600]):
        assert base <= retry_delay(retries).total_seconds() < base * 1.1, retries


def test_a_retry_that_would_land_in_quiet_hours_waits_for_their_end(failing_whatsapp):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    evening = dt.datetime(2026, 3, 2, 20, 59, 30, tzinfo=WITA)
    with at(evening):
        notify(recipient=citizen, event="status_changed", key="k", context={})
        delivery = Delivery.objects.get()
        with pytest.raises(services.RetryLater) as retry:
            services.delivery_send(delivery_id=delivery.pk)

    assert retry.value.at == dt.datetime(2026, 3, 3, 6, 0, tzinfo=WITA)


def test_a_rejected_delivery_fails_at_once(failing_whatsapp):
    failing_whatsapp.error = DeliveryRejected("number not on WhatsApp")
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")

    status_changed(citizen)

    delivery = Delivery.objects.get()
    assert failing_whatsapp.calls == 1
    assert (delivery.status, delivery.attempts, delivery.failure_reason) == (
        Status.FAILED,
        1,
        "number not on WhatsApp",
    )


def test_an_unexpected_error_fails_the_delivery_but_not_the_caller(failing_whatsapp, caplog):
    failing_whatsapp.error = ZeroDivisionError("boom +6281234567890")
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")

    assert status_changed(citizen) is not None

    delivery = Delivery.objects.get()
    assert failing_whatsapp.calls == 1
    assert (delivery.status, delivery.failure_reason) == (
        Status.FAILED,
        "unexpected error (ZeroDivisionError)",
    )
    assert "+6281234567890" not in delivery.failure_reason
    assert caplog.records  # the failure is logged, without the exception's text
    assert not [r for r in caplog.records if "6281234567890" in r.getMessage() or r.exc_info]


def test_a_broker_that_is_down_does_not_fail_the_caller_and_the_sweeper_sends_later(sms_outbox):
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "status")

    with mock.patch.object(tasks.deliver, "apply_async", side_effect=ConnectionError("down")):
        notification = status_changed(citizen)

    assert notification is not None
    delivery = Delivery.objects.get()
    assert (delivery.status, sms_outbox) == (Status.QUEUED, [])

    with at(MORNING + dt.timedelta(minutes=4)):
        assert services.deliveries_sweep() == {"queued": 0, "failed": 0}  # still within grace
    with at(MORNING + dt.timedelta(minutes=6)):
        assert tasks.sweep_deliveries.apply().get() == {"queued": 1, "failed": 0}

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert len(sms_outbox) == 1


def test_the_sweeper_fails_deliveries_stuck_in_sending():
    citizen = reachable_citizen()
    opt_in(citizen, "sms", "status")
    with at(MORNING):
        notify(recipient=citizen, event="status_changed", key="k", context={})
    Delivery.objects.update(status=Status.SENDING, updated_at=MORNING)

    with at(MORNING + dt.timedelta(minutes=5)):
        assert services.deliveries_sweep() == {"queued": 0, "failed": 0}
    with at(MORNING + dt.timedelta(minutes=10)):
        assert services.deliveries_sweep() == {"queued": 0, "failed": 1}

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.failure_reason) == (
        Status.FAILED,
        "interrupted while sending; it may not have arrived",
    )


def test_staff_can_send_a_failed_delivery_again(failing_whatsapp):
    citizen = reachable_citizen()
    opt_in(citizen, "whatsapp", "status")
    status_changed(citizen)
    delivery = run_retries(Delivery.objects.get())
    assert delivery.status == Status.FAILED
    failing_whatsapp.failures = 0

    with at(MORNING), run_on_commit():
        services.delivery_retry(actor=StaffFactory(), delivery=delivery)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 1)
    with pytest.raises(DeliveryNotFailed):
        services.delivery_retry(actor=StaffFactory(), delivery=delivery)


class PrunedPushBackend(backends.BaseBackend):
    """A push provider that reports Siti's first phone as gone."""

    def send(self, message):
        return SendResult(invalid_tokens=("fcm-token-of-siti-0001",))


def test_invalid_push_tokens_reported_by_the_provider_are_removed(settings):
    settings.NOTIFICATION_BACKENDS = {
        **settings.NOTIFICATION_BACKENDS,
        "push": f"{__name__}.PrunedPushBackend",
    }
    citizen = reachable_citizen()
    Device.objects.create(user=citizen, platform="apns", token="a" * 64)
    opt_in(citizen, "push", "status")

    status_changed(citizen)

    assert list(Device.objects.values_list("token", flat=True)) == ["a" * 64]
    assert Delivery.objects.get().status == Status.SENT


# --- The daily digest ----------------------------------------------------------------------------


def test_digest_gathers_non_urgent_email_into_one_message_a_day():
    citizen = reachable_citizen(preferred_language="en")
    opt_in(citizen, "email", "status", "reminder", digest=True)

    status_changed(citizen, key="a")
    with at(MORNING + dt.timedelta(hours=1)), run_on_commit():
        notify(
            recipient=citizen,
            event="reminder",
            key="b",
            topic="reminder",
            context={
                "title": "Puskesmas visit",
                "message": "Bring your KIA.",
                "portal_link": "/kesehatan/antrean/1/",
            },
        )
    status_changed(citizen, key="urgent", urgent=True)

    # The urgent one went at once; the other two wait for 07:00 tomorrow.
    assert [m.subject for m in mail.outbox] == ["DUK-2026-000123: Verified"]
    seven = dt.datetime(2026, 3, 3, 7, 0, tzinfo=WITA)
    assert sorted(Delivery.objects.values_list("notification__key", "status", "scheduled_for")) == [
        ("a", Status.AWAITING_DIGEST, seven),
        ("b", Status.AWAITING_DIGEST, seven),
        ("urgent", Status.SENT, MORNING),
    ]

    with at(seven):
        assert tasks.send_digests.apply().get() == 1
    with at(seven + dt.timedelta(minutes=1)):
        assert tasks.send_digests.apply().get() == 0  # nothing waits any more

    assert len(mail.outbox) == 2
    digest = mail.outbox[1]
    assert (digest.to, digest.subject) == (["siti@example.test"], "Daily summary: 2 notifications")
    assert digest.body == (
        "Hello Siti Rahma,\n\n"
        "Here are your notifications since the last summary:\n\n"
        "- 2 Mar 09:12 — DUK-2026-000123: Verified\n"
        "  English DUK-2026-000123: Verified. See the Balikpapan Untuk Warga app.\n\n"
        "- 2 Mar 10:12 — Reminder: Puskesmas visit\n"
        "  Reminder: Puskesmas visit.\n"
        "  https://warga.balikpapan.go.id/kesehatan/antrean/1/\n\n"
        "Change what you receive in your profile in the app or on the portal.\n\n"
        "https://warga.balikpapan.go.id/\n"
    )
    batched = Delivery.objects.filter(notification__key__in=["a", "b"])
    assert {(d.status, d.sent_at) for d in batched} == {(Status.SENT, seven)}
    assert len({d.digest_batch for d in batched}) == 1
    with translation.override("en"):
        assert batched[0].summary == "Sent in the daily email digest at 07:00, 3 Mar 2026"


def test_a_failing_digest_is_retried_then_its_items_fail(settings):
    citizen = reachable_citizen()
    opt_in(citizen, "email", "status", digest=True)
    status_changed(citizen)
    failure = BackendError("mail server: SMTPError")

    with mock.patch.object(backends.EmailBackend, "send", side_effect=failure) as send, at(MORNING):
        tasks.send_digests.apply()
        # The first attempt failed and put the item back to wait; then the broker retries.
        assert send.call_count == 1
        assert Delivery.objects.get().status == Status.AWAITING_DIGEST
        tasks.send_digest.apply(args=(citizen.pk,), retries=1, throw=False)

    assert send.call_count == 3
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.failure_reason, delivery.attempts) == (
        Status.FAILED,
        "mail server: SMTPError",
        3,
    )
    assert mail.outbox == []


# --- Templates -----------------------------------------------------------------------------------


def test_texts_are_stored_in_indonesian_and_english():
    notification = status_changed(reachable_citizen(), context={
        "title": _("English"), "tracking_number": "DUK-2026-000123", "state_label": _("Verified"),
        "note": "Bawa KK asli",
    })  # fmt: skip

    assert notification.title == {
        "id": "DUK-2026-000123: Terverifikasi",
        "en": "DUK-2026-000123: Verified",
    }
    assert notification.body == {
        "id": "Status Bahasa Inggris (DUK-2026-000123) sekarang: Terverifikasi.\n\n"
        "Catatan petugas: Bawa KK asli",
        "en": "The status of English (DUK-2026-000123) is now: Verified.\n\n"
        "Note from the officer: Bawa KK asli",
    }
    assert notification.short_body == {
        "id": "Bahasa Inggris DUK-2026-000123: Terverifikasi. Cek aplikasi Balikpapan Untuk Warga.",
        "en": "English DUK-2026-000123: Verified. See the Balikpapan Untuk Warga app.",
    }


def test_texts_are_not_html_escaped():
    with at(MORNING):
        notification = notify(
            recipient=reachable_citizen(),
            event="news",
            key="news:1",
            topic="news",
            context={"title": "Jalan A & B <ditutup>", "message": 'Karena "perbaikan".'},
        )

    assert notification.title["id"] == "Jalan A & B <ditutup>"
    assert notification.body["en"] == 'Karena "perbaikan".'


def test_amounts_and_dates_are_written_the_local_way():
    with at(MORNING):
        notification = notify(
            recipient=reachable_citizen(),
            event="payment_due",
            key="pbb:1",
            topic="payment",
            context={
                "title": "PBB 2026",
                "tracking_number": "PBB-2026-000001",
                "amount": 1250000,
                "due_at": dt.datetime(2026, 8, 31, 23, 0, tzinfo=WITA),
            },
        )

    assert notification.title == {
        "id": "Tagihan PBB 2026 Rp1.250.000",
        "en": "Bill for PBB 2026: Rp1,250,000",
    }
    assert notification.short_body["id"] == (
        "Tagihan PBB 2026 PBB-2026-000001 Rp1.250.000, jatuh tempo 31/8/2026."
    )


def test_each_email_goes_in_the_recipients_language():
    english, indonesian = reachable_citizen(preferred_language="en"), UserFactory()
    for user in (english, indonesian):
        opt_in(user, "email", "status")

    status_changed(english)
    status_changed(indonesian)

    assert sorted(m.subject for m in mail.outbox) == [
        "DUK-2026-000123: Terverifikasi",
        "DUK-2026-000123: Verified",
    ]


def test_every_event_has_every_part_in_every_language():
    events = sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir())
    assert events == [
        "account_security",
        "digest",
        "news",
        "payment_due",
        "payment_received",
        "reminder",
        "status_changed",
    ]
    for event in events:
        parts = ("subject", "body") if event == "digest" else ("subject", "body", "sms")
        for part in parts:
            for language, _name in django_settings.LANGUAGES:
                assert (TEMPLATES / event / f"{part}.{language}.txt").is_file(), (event, part)


@pytest.mark.parametrize("event", ["no_such_event", "Status-Changed", "../secrets", "digest"])
def test_an_unknown_event_is_a_programming_error_and_nothing_is_created(event):
    with pytest.raises(UnknownNotificationEvent):
        notify(recipient=reachable_citizen(), event=event, key="k", context={})

    assert Notification.objects.count() == 0


def test_an_unknown_topic_is_a_programming_error():
    with pytest.raises(ValueError, match="topic"):
        notify(recipient=reachable_citizen(), event="news", key="k", topic="gossip")

    assert Notification.objects.count() == 0


# --- Links and what staff see --------------------------------------------------------------------


def test_links_come_from_the_recipients_activity_item():
    citizen = reachable_citizen(preferred_language="en")
    opt_in(citizen, "email", "status")
    request = AgencyFactory()
    activity_record(
        owner=citizen,
        obj=request,
        module="civil-registry",
        tracking_number="DUK-2026-000123",
        title="KTP-el",
        state="verified",
        state_label="Verified",
        is_open=True,
        app_link="buw://civil-registry/requests/abc",
        portal_link="/layanan/kependudukan/abc/",
    )

    notification = status_changed(citizen, obj=request)

    assert (notification.app_link, notification.portal_link) == (
        "buw://civil-registry/requests/abc",
        "/layanan/kependudukan/abc/",
    )
    assert mail.outbox[0].body.endswith(
        "\n\nhttps://warga.balikpapan.go.id/layanan/kependudukan/abc/\n"
    )


def test_staff_see_what_became_of_each_delivery_about_an_object():
    citizen, spouse = reachable_citizen(), UserFactory(phone_verified=True)
    request, other = AgencyFactory(), AgencyFactory()
    for user in (citizen, spouse):
        opt_in(user, "whatsapp", "status")
    status_changed(citizen, obj=request)
    status_changed(spouse, obj=request)
    status_changed(citizen, obj=other, key="other")
    receipt_at = dt.datetime(2026, 3, 2, 9, 13, tzinfo=WITA)
    first = Delivery.objects.get(
        notification__recipient=citizen, notification__key="civil_registry:1:history:1"
    )

    assert services.delivery_mark_delivered(
        channel="whatsapp", provider_message_id=first.provider_message_id, at=receipt_at
    )

    deliveries = list(deliveries_for_object(request))
    assert {d.notification.recipient_id for d in deliveries} == {citizen.pk, spouse.pk}
    with translation.override("en"):
        assert sorted(d.summary for d in deliveries) == [
            "Delivered by WhatsApp at 09:13, 2 Mar 2026",
            "Sent by WhatsApp at 09:12, 2 Mar 2026",
        ]


def test_every_choosable_topic_has_a_preference_column():
    from services.notifications.models import ChannelPreference

    for topic in CHOOSABLE_TOPICS:
        assert ChannelPreference._meta.get_field(f"topic_{topic}")
    assert [c.value for c in DELIVERY_CHANNELS] == ["email", "sms", "whatsapp", "push"]

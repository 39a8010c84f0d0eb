"""Exactly once under real concurrency (PostgreSQL): duplicate tasks racing for one delivery,
duplicate notify() calls racing for one key, two digest runs racing for one person's items."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from services.notifications import backends, notify, services
from services.notifications.models import Delivery, Notification
from tests.factories import UserFactory
from tests.services import test_notifications as base
from tests.services.test_notifications import MORNING, at, opt_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

channels = base.channels  # the channel settings of the notification tests (autouse)
THREADS = 8


class SlowBackend(backends.BaseBackend):
    """Takes its time, so that every racer is in flight at once; counts what it sends."""

    lock = threading.Lock()
    sent: list[str] = []

    def send(self, message):
        time.sleep(0.05)
        with self.lock:
            type(self).sent.append(message.idempotency_key)
        return backends.SendResult()


@pytest.fixture
def slow_channels(settings):
    SlowBackend.sent = []
    path = f"{__name__}.SlowBackend"
    settings.NOTIFICATION_BACKENDS = {"email": path, "sms": path, "whatsapp": path, "push": path}
    return SlowBackend


def race(function, times=THREADS):
    """Run ``function`` in ``times`` threads released together; each thread's own connection is
    closed after it."""
    barrier = threading.Barrier(times)

    def run():
        try:
            barrier.wait()
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(times)]]


def test_duplicate_tasks_racing_for_one_delivery_send_it_once(slow_channels):
    citizen = UserFactory(phone_verified=True)
    opt_in(citizen, "sms", "status")
    with at(MORNING):
        notify(recipient=citizen, event="news", key="k", topic="status", context={})
    # (No test transaction here: on_commit ran the task already; put it back as never sent.)
    Delivery.objects.update(status=Delivery.Status.QUEUED, attempts=0, scheduled_for=MORNING)
    slow_channels.sent.clear()
    delivery = Delivery.objects.get()

    with at(MORNING):
        outcomes = race(lambda: services.delivery_send(delivery_id=delivery.pk))

    assert sorted(outcomes) == ["sent"] + ["skipped"] * (THREADS - 1)
    assert slow_channels.sent == [str(delivery.uuid)]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)


def test_duplicate_notify_calls_racing_for_one_key_notify_once(slow_channels):
    citizen = UserFactory(phone_verified=True)
    opt_in(citizen, "sms", "status")
    opt_in(citizen, "whatsapp", "status")

    def notify_once():
        return notify(recipient=citizen, event="news", key="same", topic="status") is not None

    with at(MORNING):  # patched once for every thread (mock.patch itself is not thread-safe)
        outcomes = race(notify_once)

    assert sorted(outcomes) == [False] * (THREADS - 1) + [True]
    assert Notification.objects.count() == 1
    assert sorted(Delivery.objects.values_list("channel", "status")) == [
        ("sms", "sent"),
        ("whatsapp", "sent"),
    ]
    assert len(slow_channels.sent) == 2


def test_two_digest_runs_racing_send_each_item_once(slow_channels):
    citizen = UserFactory()
    opt_in(citizen, "email", "status", digest=True)
    for n in range(3):
        with at(MORNING):
            notify(recipient=citizen, event="news", key=f"k{n}", topic="status")

    with at(MORNING):
        counts = race(
            lambda: services.digest_send(recipient_id=citizen.pk, is_last_attempt=True), 4
        )

    assert sorted(counts, reverse=True)[0] >= 1
    assert sum(counts) == 3  # every item went in exactly one digest
    assert len(slow_channels.sent) == len([c for c in counts if c])
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

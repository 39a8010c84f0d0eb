"""Fan-out at scale: ``notify_many`` (one event for many people) and the chunked delivery tasks
(``dispatch`` → ``deliver_batch`` → ``deliveries_send_batch``). Measured by
``make bench-celery`` (deploy/cluster/celery_fanout.py); these hold the semantics."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from services.notifications import backends, notify, services, tasks
from services.notifications.backends import BackendError
from services.notifications.models import Delivery, Notification
from tests.factories import UserFactory
from tests.services.test_notifications import (  # noqa: F401 - the autouse fixture
    MORNING,
    at,
    channels,
    opt_in,
    reachable_citizen,
    run_on_commit,
)

pytestmark = pytest.mark.django_db
Status = Delivery.Status
CONTEXT = {"title": "Banjir", "tracking_number": "BPBD-1", "state_label": "Siaga"}


def citizens(count, *channels_on, first=0):
    people = []
    for n in range(first, first + count):
        person = reachable_citizen(
            device_token=f"fcm-token-{n:04d}",
            email=f"warga{n}@example.test",
            phone=f"+62812000{n:05d}",
            phone_verified=True,
            full_name=f"Warga {n}",
        )
        for channel in channels_on:
            opt_in(person, channel, "status")
        people.append(person)
    return people


def test_each_recipient_gets_what_notify_would_give_them_once():
    push_and_sms, email_only = citizens(2, "push")
    opt_in(push_and_sms, "sms", "status")
    opt_in(email_only, "push", "status")  # then taken away again: email only
    opt_in(email_only, "email", "status")
    services.notification_channel_withdraw(actor=email_only, channel="push")
    twin = citizens(1, "push", first=2)[0]
    opt_in(twin, "sms", "status")

    with at(MORNING), run_on_commit():
        created = services.notify_many(
            recipients=[push_and_sms, email_only], event="status_changed", key="bpbd:1",
            context=CONTEXT,
        )  # fmt: skip
        notify(recipient=twin, event="status_changed", key="bpbd:1", context=CONTEXT)

    assert created == 2

    def channels_of(user):
        return sorted(
            Delivery.objects.filter(notification__recipient=user).values_list("channel", "status")
        )

    assert (
        channels_of(push_and_sms)
        == channels_of(twin)
        == [
            ("push", Status.SENT),
            ("sms", Status.SENT),
        ]
    )
    assert channels_of(email_only) == [("email", Status.SENT)]
    item = Notification.objects.get(recipient=email_only)
    assert (item.key, item.event) == ("bpbd:1", "status_changed")
    # Again, or with notify(): nothing new.
    with run_on_commit():
        assert services.notify_many(
            recipients=[push_and_sms, email_only, twin], event="status_changed",
            key="bpbd:1", context=CONTEXT,
        ) == 0  # fmt: skip
        assert notify(recipient=email_only, event="status_changed", key="bpbd:1") is None
    assert Notification.objects.count() == 3


def test_the_queries_do_not_grow_with_the_recipients():
    def queries(people, key):
        with (
            mock.patch.object(services, "dispatch"),
            run_on_commit(),
            CaptureQueriesContext(connection) as captured,
        ):
            services.notify_many(
                recipients=people, event="status_changed", key=key, context=CONTEXT
            )
        return len(captured.captured_queries)

    people = citizens(12, "push", "sms")
    assert queries(people[:2], "a") == queries(people, "b")
    assert Delivery.objects.filter(notification__key="b").count() == 24


def test_with_a_broker_due_deliveries_go_a_hundred_to_a_task(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    now = timezone.now()
    later = now + dt.timedelta(hours=3)
    items = [(pk, now) for pk in range(1, 251)] + [(999, later)]

    with (
        mock.patch.object(tasks.deliver_batch, "apply_async") as batch,
        mock.patch.object(tasks.deliver, "apply_async") as single,
    ):
        services.dispatch(items)

    assert [len(call.args[0][0]) for call in batch.call_args_list] == [100, 100, 50]
    single.assert_called_once_with((999,), eta=later)


def test_a_batch_sends_each_delivery_once_and_leaves_the_taken_ones(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    people = citizens(4, "push")
    with mock.patch.object(services, "dispatch"), run_on_commit():
        services.notify_many(recipients=people, event="status_changed", key="k", context=CONTEXT)
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    Delivery.objects.filter(pk=ids[0]).update(status=Status.SENDING)  # another task has it

    assert services.deliveries_send_batch(delivery_ids=ids) == {
        "sent": 3, "failed": 0, "retried": 0, "skipped": 1,
    }  # fmt: skip
    assert len(backends.outbox) == 3
    sent = Delivery.objects.filter(pk__in=ids[1:])
    assert {d.status for d in sent} == {Status.SENT}
    assert all(d.sent_at and d.provider_message_id.startswith("locmem-") for d in sent)
    assert len({d.provider_message_id for d in sent}) == 3
    # The broker delivers the task again: nothing is sent twice.
    assert tasks.deliver_batch.apply(args=(ids,)).get()["skipped"] == 4
    assert len(backends.outbox) == 3


def test_a_failure_that_may_pass_retries_that_delivery_alone(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    people = citizens(3, "push")
    with mock.patch.object(services, "dispatch"), run_on_commit():
        services.notify_many(recipients=people, event="status_changed", key="k", context=CONTEXT)
    ids = list(Delivery.objects.order_by("pk").values_list("pk", flat=True))
    flaky = people[1].devices.get().token
    send = backends.LocmemBackend.send

    def sometimes(self, message):
        if message.devices[0].token == flaky:
            raise BackendError("HTTP 503")
        return send(self, message)

    with (
        mock.patch.object(backends.LocmemBackend, "send", sometimes),
        mock.patch.object(tasks.deliver, "apply_async") as retry,
    ):
        counts = services.deliveries_send_batch(delivery_ids=ids)

    assert counts == {"sent": 2, "failed": 0, "retried": 1, "skipped": 0}
    failed = Delivery.objects.get(notification__recipient=people[1])
    assert (failed.status, failed.attempts, failed.failure_reason) == (Status.QUEUED, 1, "HTTP 503")
    retry.assert_called_once_with((failed.pk,), eta=failed.scheduled_for)
    assert failed.scheduled_for > timezone.now()
    assert Delivery.objects.filter(status=Status.SENT).count() == 2


def test_notify_many_refuses_what_notify_refuses():
    person = UserFactory()
    with pytest.raises(ValueError):
        services.notify_many(recipients=[person], event="status_changed", key="", context={})
    with pytest.raises(ValueError):
        services.notify_many(recipients=[person], event="status_changed", key="k", topic="gossip")

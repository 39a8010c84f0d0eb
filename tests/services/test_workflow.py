"""The workflow engine: who may perform which transition from which state, what a transition
writes (state, history, activity item, deadline) and what it queues (a notification on commit);
that a refusal changes and queues nothing; and that two concurrent transitions cannot both win.

The stateful model is ``ExampleRequest`` (see ``tests/services/workflow_testapp``).
"""

import datetime as dt
import itertools
import threading
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from accounts.models import AgencyMembership
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.workflow import (
    AGENCY_STAFF,
    OWNER,
    SYSTEM,
    Transition,
    Workflow,
    allowed_transitions_for,
    deadline_start,
    history_for,
    transition_perform,
    workflow_start,
)
from services.workflow.checks import check_workflow_models
from services.workflow.exceptions import (
    InternalNoteNotAllowed,
    InvalidTransition,
    TransitionNotAllowed,
    UnknownTransition,
)
from services.workflow.models import AppendOnlyError, Deadline, DueDateChange, StatusHistory
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.services.workflow_testapp import ExampleState as S
from tests.services.workflow_testapp import example_model  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db

Role = AgencyMembership.Role
WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def officer(agency):
    return StaffFactory(role=Role.COUNTER_OFFICER, role__agency=agency)


@pytest.fixture
def admin_staff(agency):
    return StaffFactory(role=Role.AGENCY_ADMIN, role__agency=agency)


@pytest.fixture
def make_request(example_model, owner, agency):  # noqa: F811
    numbers = itertools.count(1)

    def make(state=S.DRAFT, **fields):
        fields.setdefault("owner", owner)
        fields.setdefault("agency", agency)
        return example_model.objects.create(
            tracking_number=f"EXA-2026-{next(numbers):06d}", state=state, **fields
        )

    return make


def snapshot(obj):
    """Everything a transition could change, read fresh from the database."""
    model = type(obj)
    return {
        "row": model.objects.filter(pk=obj.pk).values("state", "state_changed_at").get(),
        "history": list(StatusHistory.objects.values_list("id", flat=True)),
        "activity": list(ActivityItem.objects.values("id", "state", "due_at", "last_changed_at")),
        "notifications": Notification.objects.count(),
        "deadlines": list(Deadline.objects.values("id", "due_at", "paused_at", "completed_at")),
        "due_changes": DueDateChange.objects.count(),
    }


# --- allowed transitions ------------------------------------------------------------------------


def test_the_owner_submits_and_everything_follows(
    make_request, owner, agency, django_capture_on_commit_callbacks
):
    request = make_request()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        history = transition_perform(obj=request, name="submit", actor=owner, note=" Mohon cepat ")

    assert request.state == S.SUBMITTED  # the caller's instance follows
    request.refresh_from_db()
    assert request.state == S.SUBMITTED
    assert request.state_changed_at == history.at
    assert (
        history.transition,
        history.from_state,
        history.to_state,
        history.actor,
        history.actor_role,
        history.agency,
        history.note,
        history.is_internal,
    ) == ("submit", "draft", "submitted", owner, OWNER, agency, "Mohon cepat", False)
    assert history.obj == request

    item = ActivityItem.objects.get(owner=owner)
    assert (item.module, item.service_code, item.tracking_number, item.state, item.is_open) == (
        "example",
        "example_request",
        request.tracking_number,
        "submitted",
        True,
    )
    assert item.state_label["en"] == "Submitted"
    assert item.title["en"] == "Example request"
    assert item.app_link == f"buw://example/{request.uuid}"
    assert item.portal_link == f"/layanan/example/{request.uuid}/"
    assert item.due_at is None

    assert len(callbacks) >= 1
    notification = Notification.objects.get()
    assert notification.recipient == owner
    assert notification.event == "status_changed"
    assert notification.key == f"example:{request.uuid}:history:{history.id}"
    assert notification.topic == "status"
    assert notification.title["en"] == f"{request.tracking_number}: Submitted"
    assert "Mohon cepat" not in notification.body["en"]  # the owner is not quoted to themselves


def test_staff_of_the_handling_agency_decide_and_the_citizen_reads_their_note(
    make_request, owner, officer, agency, django_capture_on_commit_callbacks
):
    request = make_request(state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        history = transition_perform(
            obj=request, name="approve", actor=officer, note="Silakan ambil di loket 3."
        )
    assert (history.actor, history.actor_role, history.agency) == (officer, AGENCY_STAFF, agency)
    request.refresh_from_db()
    assert request.state == S.APPROVED
    item = ActivityItem.objects.get(owner=owner)
    assert (item.state, item.is_open) == ("approved", False)
    notification = Notification.objects.get(recipient=owner)
    assert "Silakan ambil di loket 3." in notification.body["en"]


def test_a_staff_role_named_by_the_transition_is_required(make_request, officer, admin_staff):
    request = make_request(state=S.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        transition_perform(obj=request, name="reject", actor=officer)
    transition_perform(obj=request, name="reject", actor=admin_staff)
    request.refresh_from_db()
    assert request.state == S.REJECTED


def test_the_system_acts_without_a_person(make_request, django_capture_on_commit_callbacks):
    request = make_request(state=S.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        history = transition_perform(obj=request, name="archive", actor=None)
    assert (history.actor, history.actor_role) == (None, SYSTEM)
    request.refresh_from_db()
    assert request.state == S.ARCHIVED


def test_workflow_start_records_the_creation(make_request, owner):
    request = make_request()
    history = workflow_start(obj=request, actor=owner)
    assert (history.transition, history.from_state, history.to_state, history.actor_role) == (
        "create",
        "",
        "draft",
        OWNER,
    )
    item = ActivityItem.objects.get(owner=owner)
    assert (item.state, item.state_label["en"], item.is_open) == ("draft", "Draft", True)


# --- refusals change nothing and queue nothing --------------------------------------------------


def _stranger(agency):
    return UserFactory()


def _staff_of_another_agency(agency):
    return StaffFactory(role=Role.AGENCY_ADMIN, role__agency=AgencyFactory())


def _inactive_staff(agency):
    staff = StaffFactory(role=Role.AGENCY_ADMIN, role__agency=agency)
    staff.is_active = False
    staff.save(update_fields=["is_active"])
    return staff


def _member_without_staff_status(agency):
    user = UserFactory()
    AgencyMembership.objects.create(user=user, agency=agency, role=Role.AGENCY_ADMIN)
    return user


def _command_centre_of_the_agency(agency):
    return StaffFactory(role=Role.COMMAND_CENTRE, role__agency=agency)


@pytest.mark.parametrize(
    ("make_actor", "name"),
    [
        (_stranger, "approve"),
        (_stranger, "cancel"),
        (_staff_of_another_agency, "approve"),
        (_inactive_staff, "approve"),
        (_member_without_staff_status, "approve"),
        (_command_centre_of_the_agency, "reject"),  # reject needs an agency admin
        (lambda agency: None, "approve"),  # the system may not decide for staff
    ],
    ids=[
        "stranger-approve",
        "stranger-cancel",
        "other-agency",
        "inactive-staff",
        "member-not-staff",
        "wrong-staff-role",
        "system",
    ],
)
def test_a_refused_actor_gets_403_and_nothing_changes(
    make_request, agency, make_actor, name, django_capture_on_commit_callbacks
):
    request = make_request(state=S.SUBMITTED)
    actor = make_actor(agency)
    before = snapshot(request)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(TransitionNotAllowed) as refused,
    ):
        transition_perform(obj=request, name=name, actor=actor, note="x")
    assert refused.value.status_code == 403
    assert refused.value.get_codes() == "transition_not_allowed"
    assert snapshot(request) == before
    assert callbacks == []
    assert request.state == S.SUBMITTED


def test_the_owner_may_not_perform_a_staff_transition(
    make_request, owner, django_capture_on_commit_callbacks
):
    request = make_request(state=S.SUBMITTED)
    before = snapshot(request)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TransitionNotAllowed):
        transition_perform(obj=request, name="approve", actor=owner)
    assert snapshot(request) == before
    assert callbacks == []


def test_a_person_may_not_perform_a_system_transition(make_request, owner, admin_staff):
    request = make_request(state=S.APPROVED)
    for actor in (owner, admin_staff):
        with pytest.raises(TransitionNotAllowed):
            transition_perform(obj=request, name="archive", actor=actor)
    request.refresh_from_db()
    assert request.state == S.APPROVED


def test_staff_never_decide_their_own_application(make_request, agency, admin_staff):
    request = make_request(state=S.SUBMITTED, owner=admin_staff)
    with pytest.raises(TransitionNotAllowed):
        transition_perform(obj=request, name="approve", actor=admin_staff)
    # …but may act on it as its owner.
    transition_perform(obj=request, name="cancel", actor=admin_staff)
    request.refresh_from_db()
    assert request.state == S.CANCELLED


@pytest.mark.parametrize(
    ("state", "name"),
    [
        (S.DRAFT, "approve"),  # not submitted yet
        (S.APPROVED, "approve"),  # decided already
        (S.REJECTED, "ask_revision"),
    ],
)
def test_a_transition_from_another_state_is_a_409_and_nothing_changes(
    make_request, admin_staff, state, name, django_capture_on_commit_callbacks
):
    request = make_request(state=state)
    before = snapshot(request)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(InvalidTransition) as refused,
    ):
        transition_perform(obj=request, name=name, actor=admin_staff, note="x")
    assert refused.value.status_code == 409
    assert refused.value.get_codes() == "invalid_transition"
    assert snapshot(request) == before
    assert callbacks == []


def test_a_stale_instance_is_checked_against_the_row_not_its_own_state(
    make_request, owner, admin_staff
):
    request = make_request(state=S.SUBMITTED)
    stale = type(request).objects.get(pk=request.pk)
    transition_perform(obj=request, name="approve", actor=admin_staff)
    assert stale.state == S.SUBMITTED
    with pytest.raises(InvalidTransition):
        transition_perform(obj=stale, name="reject", actor=admin_staff)
    assert StatusHistory.objects.count() == 1


def test_an_unknown_transition_is_a_400(make_request, owner):
    request = make_request()
    with pytest.raises(UnknownTransition) as refused:
        transition_perform(obj=request, name="teleport", actor=owner)
    assert (refused.value.status_code, refused.value.get_codes()) == (400, "unknown_transition")
    assert not StatusHistory.objects.exists()


def test_the_actor_is_checked_before_the_state(make_request):
    """A stranger learns nothing about the state: 403 whether or not the state would allow it."""
    request = make_request(state=S.APPROVED)
    with pytest.raises(TransitionNotAllowed):
        transition_perform(obj=request, name="approve", actor=UserFactory())


# --- notes --------------------------------------------------------------------------------------


def test_internal_notes_are_hidden_from_the_citizen(
    make_request, owner, officer, django_capture_on_commit_callbacks
):
    request = make_request(state=S.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        internal = transition_perform(
            obj=request,
            name="ask_revision",
            actor=officer,
            note="Foto KTP buram; cek ke Dukcapil.",
            is_internal=True,
        )
        public = transition_perform(
            obj=request, name="resubmit", actor=owner, note="Sudah saya unggah."
        )

    assert list(history_for(obj=request, viewer=owner)) == [public]
    assert list(history_for(obj=request, viewer=officer)) == [internal, public]
    assert list(history_for(obj=request, viewer=UserFactory())) == []
    assert list(history_for(obj=request, viewer=_staff_of_another_agency(None))) == []
    notification = Notification.objects.get(key__endswith=f":history:{internal.id}")
    assert "cek ke Dukcapil" not in notification.body["en"]
    assert "cek ke Dukcapil" not in notification.body["id"]


def test_only_staff_write_internal_notes(make_request, owner, django_capture_on_commit_callbacks):
    request = make_request()
    before = snapshot(request)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(InternalNoteNotAllowed) as refused,
    ):
        transition_perform(obj=request, name="submit", actor=owner, note="x", is_internal=True)
    assert (refused.value.status_code, refused.value.get_codes()) == (
        400,
        "internal_note_not_allowed",
    )
    assert snapshot(request) == before
    assert callbacks == []


# --- history is append-only --------------------------------------------------------------------


def test_history_rows_are_never_changed_or_deleted(make_request, owner):
    request = make_request()
    history = transition_perform(obj=request, name="submit", actor=owner, note="asli")
    history.note = "diubah"
    with pytest.raises(AppendOnlyError):
        history.save()
    with pytest.raises(AppendOnlyError):
        history.delete()
    with pytest.raises(AppendOnlyError):
        StatusHistory.objects.filter(pk=history.pk).update(note="diubah")
    with pytest.raises(AppendOnlyError):
        StatusHistory.objects.filter(pk=history.pk).delete()
    assert StatusHistory.objects.get().note == "asli"


def test_history_is_appended_in_order(make_request, owner, officer):
    request = make_request()
    for name, actor in [("submit", owner), ("ask_revision", officer), ("resubmit", owner)]:
        transition_perform(obj=request, name=name, actor=actor)
    rows = history_for(obj=request, viewer=officer)
    assert [(r.transition, r.from_state, r.to_state) for r in rows] == [
        ("submit", "draft", "submitted"),
        ("ask_revision", "submitted", "needs_revision"),
        ("resubmit", "needs_revision", "submitted"),
    ]


# --- what a UI may offer ------------------------------------------------------------------------


def test_allowed_transitions_for_each_actor(make_request, owner, officer, admin_staff):
    request = make_request(state=S.SUBMITTED)

    def names(actor):
        return [t.name for t in allowed_transitions_for(obj=request, actor=actor)]

    assert names(owner) == ["cancel"]
    assert names(officer) == ["ask_revision", "approve"]
    assert names(admin_staff) == ["ask_revision", "approve", "reject"]
    assert names(UserFactory()) == []
    assert names(None) == []


# --- the clock follows the transitions -----------------------------------------------------------


def at(day, hour, minute=0):
    return dt.datetime(2026, 4, day, hour, minute, tzinfo=WITA)


def test_waiting_for_the_citizen_pauses_the_clock_and_closing_stops_it(
    make_request, owner, officer, agency
):
    request = make_request()
    with mock.patch("django.utils.timezone.now", return_value=at(6, 8)):
        transition_perform(obj=request, name="submit", actor=owner)
        deadline = deadline_start(obj=request, agency=agency, days=2)
    assert deadline.due_at == at(8, 8)
    assert ActivityItem.objects.get(owner=owner).due_at == at(8, 8)

    with mock.patch("django.utils.timezone.now", return_value=at(6, 10)):
        transition_perform(obj=request, name="ask_revision", actor=officer)
    deadline.refresh_from_db()
    # Left: Mon 10–12 and 13–16 (5 h), Tue (7.5 h), Wed 07:30–08:00 (0.5 h).
    assert (deadline.due_at, deadline.paused_at, deadline.remaining) == (
        None,
        at(6, 10),
        dt.timedelta(hours=13),
    )
    assert ActivityItem.objects.get(owner=owner).due_at is None

    with mock.patch("django.utils.timezone.now", return_value=at(9, 9)):
        transition_perform(obj=request, name="resubmit", actor=owner)
    deadline.refresh_from_db()
    # 13 h from Thu 09:00: Thu 09–12, 13–16 (6 h), Fri 07:30–11:30 (4 h), 13:00–16:00 (3 h).
    assert (deadline.due_at, deadline.paused_at) == (at(10, 16), None)
    assert ActivityItem.objects.get(owner=owner).due_at == at(10, 16)

    with mock.patch("django.utils.timezone.now", return_value=at(10, 9)):
        transition_perform(obj=request, name="approve", actor=officer)
    deadline.refresh_from_db()
    assert deadline.completed_at == at(10, 9)
    assert ActivityItem.objects.get(owner=owner).due_at is None
    assert [c.reason_code for c in deadline.changes.all()] == ["started", "paused", "resumed"]


# --- declarations -------------------------------------------------------------------------------


def test_declarations_are_checked_when_written():
    from django.db import models

    class States(models.TextChoices):
        A = "a", "A"
        B = "b", "B"

    edge = Transition("go", ("a",), "b", frozenset({OWNER}))
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            states=States,
            initial="a",
            transitions=(Transition("x", ("a",), "c", frozenset({OWNER})),),
        )
    with pytest.raises(ValueError, match="Two transitions"):
        Workflow(states=States, initial="a", transitions=(edge, edge))
    with pytest.raises(ValueError, match="initial"):
        Workflow(states=States, initial="z", transitions=(edge,))
    with pytest.raises(ValueError, match="actors"):
        Transition("go", ("a",), "b", frozenset({"mayor"}))
    with pytest.raises(ValueError, match="both pause and resume"):
        Transition("go", ("a",), "b", frozenset({OWNER}), pauses_clock=True, resumes_clock=True)
    with pytest.raises(ValueError, match="staff_roles"):
        Transition("go", ("a",), "b", frozenset({OWNER}), staff_roles=frozenset({"agency_admin"}))


def test_the_example_model_passes_the_system_check(example_model):  # noqa: F811
    assert check_workflow_models() == []


# --- PostgreSQL: concurrent transitions ---------------------------------------------------------

WAIT = 20


def _in_thread(function, *args):
    result = {}

    def run():
        try:
            result["value"] = function(*args)
        except Exception as exc:
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_transition_waits_for_a_concurrent_one_and_then_sees_its_state(make_request, admin_staff):
    """The first transaction holds the row; the second waits on the lock, then re-reads the
    committed state and is refused with a 409."""
    from django.db import transaction

    request = make_request(state=S.SUBMITTED)
    first_done, release = threading.Event(), threading.Event()

    def approve_and_hold():
        with transaction.atomic():
            history = transition_perform(obj=request, name="approve", actor=admin_staff)
            first_done.set()
            assert release.wait(WAIT)
        return history

    first_thread, first = _in_thread(approve_and_hold)
    assert first_done.wait(WAIT)
    second_thread, second = _in_thread(
        lambda: transition_perform(
            obj=type(request).objects.get(pk=request.pk), name="reject", actor=admin_staff
        )
    )
    second_thread.join(timeout=1)
    assert second_thread.is_alive()  # blocked on the row lock
    release.set()
    first_thread.join(WAIT)
    second_thread.join(WAIT)
    assert "value" in first, first
    assert isinstance(second.get("error"), InvalidTransition), second
    request.refresh_from_db()
    assert request.state == S.APPROVED
    assert list(StatusHistory.objects.values_list("transition", flat=True)) == ["approve"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_racing_transitions_from_the_same_state_never_both_succeed(make_request, admin_staff):
    rounds = 10
    for _ in range(rounds):
        request = make_request(state=S.SUBMITTED)
        barrier = threading.Barrier(2)

        def go(name, request=request, barrier=barrier):
            barrier.wait(WAIT)
            return transition_perform(
                obj=type(request).objects.get(pk=request.pk), name=name, actor=admin_staff
            )

        runs = [_in_thread(go, name) for name in ("approve", "reject")]
        for thread, _result in runs:
            thread.join(WAIT)
            assert not thread.is_alive()
        outcomes = [result for _thread, result in runs]
        winners = [r["value"] for r in outcomes if "value" in r]
        losers = [r["error"] for r in outcomes if "error" in r]
        assert len(winners) == 1 and len(losers) == 1, outcomes
        assert isinstance(losers[0], InvalidTransition)
        request.refresh_from_db()
        assert request.state == winners[0].to_state
        assert StatusHistory.objects.filter(object_id=request.pk).count() == 1

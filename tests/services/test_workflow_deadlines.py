"""Deadlines: set on the working calendar, paused while the citizen is asked, resumed with the time
that was left, moved when the calendar changes — every move recorded with a reason in Indonesian
and English — and the overdue list per agency in a constant number of queries.

April 2026 (holidays only as created here): Mon 6 … Fri 10, Mon 13, Tue 14.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from services.activity.models import ActivityItem
from services.workflow import (
    deadline_for,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadline_stop,
    deadlines_reschedule,
    overdue_for_agency,
)
from services.workflow.holidays import holiday_delete, holiday_save
from services.workflow.models import Deadline, DueDateChange, Holiday
from tests.factories import AgencyFactory, UserFactory
from tests.services.workflow_testapp import ExampleState as S
from tests.services.workflow_testapp import example_model  # noqa: F401 — a fixture

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
H = dt.timedelta(hours=1)


def at(day, hour, minute=0, month=4):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def cuti_bersama(day, month=4):
    return Holiday.objects.create(
        date=dt.date(2026, month, day),
        kind=Holiday.Kind.CUTI_BERSAMA,
        name_id="Cuti bersama Hari Raya Uji",
        name_en="Cuti bersama (collective leave) for the test feast",
        confirmed=True,
    )


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def make_request(example_model, owner, agency):  # noqa: F811
    numbers = itertools.count(1)

    def make(**fields):
        fields.setdefault("owner", owner)
        fields.setdefault("agency", agency)
        fields.setdefault("state", S.SUBMITTED)
        return example_model.objects.create(
            tracking_number=f"EXA-2026-{next(numbers):06d}", **fields
        )

    return make


# --- starting -----------------------------------------------------------------------------------


def test_a_due_time_moved_by_cuti_bersama_says_so_in_both_languages(make_request, agency):
    cuti_bersama(13)  # Monday
    request = make_request()
    deadline = deadline_start(obj=request, agency=agency, days=1, now=at(10, 10))

    assert deadline.due_at == at(14, 10)
    assert deadline.remaining == 7.5 * H
    change = DueDateChange.objects.get()
    assert (change.deadline, change.reason_code, change.old_due_at, change.new_due_at) == (
        deadline,
        "started",
        None,
        at(14, 10),
    )
    assert change.details == {
        "moved_from": at(13, 10).isoformat(),
        "holidays": [
            {
                "date": "2026-04-13",
                "name_id": "Cuti bersama Hari Raya Uji",
                "name_en": "Cuti bersama (collective leave) for the test feast",
                "kind": "cuti_bersama",
            }
        ],
    }
    assert change.reason_en == (
        "Due Tuesday 14 April, 10:00 — moved from Monday 13 April, 10:00 because of "
        "Cuti bersama (collective leave) for the test feast."
    )
    # Day and month names and the holiday's name are Indonesian; the sentence's Indonesian
    # translation comes from the project's catalog.
    assert "Selasa 14 April, 10:00" in change.reason_id
    assert "Senin 13 April, 10:00" in change.reason_id
    assert "Cuti bersama Hari Raya Uji" in change.reason_id
    assert ActivityItem.objects.get().due_at == at(14, 10)


def test_a_due_time_no_holiday_moved_just_says_when(make_request, agency):
    deadline = deadline_start(obj=make_request(), agency=agency, days=1, now=at(10, 10))
    assert deadline.due_at == at(13, 10)
    change = DueDateChange.objects.get()
    assert change.details == {}
    assert change.reason_en == "Due Monday 13 April, 10:00."
    assert change.reason_id.startswith("Due Senin 13 April, 10:00") or change.reason_id.endswith(
        "Senin 13 April, 10:00."
    )


def test_an_agency_local_closure_moves_only_that_agencys_deadlines(make_request, agency):
    other = AgencyFactory()
    Holiday.objects.create(
        date=dt.date(2026, 4, 7),
        kind=Holiday.Kind.LOCAL,
        agency=agency,
        name_id="Pindah kantor",
        name_en="Office move",
    )
    mine = deadline_start(obj=make_request(), agency=agency, hours=8, now=at(6, 10))
    theirs = deadline_start(obj=make_request(agency=other), agency=other, hours=8, now=at(6, 10))
    # 8 h from Mon 10:00: Mon 10–12, 13–16 (5 h), then 3 h of the next working day.
    assert mine.due_at == at(8, 10, 30)
    assert theirs.due_at == at(7, 10, 30)
    moved = mine.changes.get()
    assert moved.reason_en == (
        "Due Wednesday 8 April, 10:30 — moved from Tuesday 7 April, 10:30 because of Office move."
    )


def test_restarting_records_the_previous_due_time(make_request, agency):
    request = make_request()
    deadline_start(obj=request, agency=agency, days=1, now=at(6, 10))
    deadline = deadline_start(obj=request, agency=agency, days=2, now=at(7, 9))
    assert deadline.due_at == at(9, 9)
    assert Deadline.objects.count() == 1
    assert [(c.old_due_at, c.new_due_at) for c in deadline.changes.all()] == [
        (None, at(7, 10)),
        (at(7, 10), at(9, 9)),
    ]


def test_a_deadline_needs_working_time(make_request, agency):
    with pytest.raises(ValueError):
        deadline_start(obj=make_request(), agency=agency, now=at(6, 10))
    assert not Deadline.objects.exists()


# --- pausing and resuming -----------------------------------------------------------------------


def test_pause_and_resume_keep_the_working_time_left(make_request, agency):
    request = make_request()
    deadline_start(obj=request, agency=agency, days=2, now=at(6, 8))
    cuti_bersama(10)  # Friday, while the clock is paused

    paused = deadline_pause(obj=request, now=at(6, 10))
    assert (paused.due_at, paused.paused_at, paused.remaining) == (None, at(6, 10), 13 * H)
    change = paused.changes.last()
    assert (change.reason_code, change.old_due_at, change.new_due_at) == (
        "paused",
        at(8, 8),
        None,
    )
    assert change.reason_en == (
        "Paused while waiting for you: the time left counts again when you answer."
    )

    resumed = deadline_resume(obj=request, now=at(9, 9))
    # 13 h from Thu 09:00: Thu 6 h, Fri closed, Mon 07:30–12:00 (4.5 h) and 13:00–15:30.
    assert resumed.due_at == at(13, 15, 30)
    assert resumed.remaining == 13 * H
    change = resumed.changes.last()
    assert (change.reason_code, change.old_due_at, change.new_due_at) == (
        "resumed",
        None,
        at(13, 15, 30),
    )
    assert change.reason_en == (
        "You answered; the clock runs again. Due Monday 13 April, 15:30 — moved from "
        "Friday 10 April, 16:00 because of Cuti bersama (collective leave) for the test feast."
    )
    assert [c.reason_code for c in DueDateChange.objects.all()] == ["started", "paused", "resumed"]


def test_pausing_twice_or_resuming_a_running_clock_changes_nothing(make_request, agency):
    request = make_request()
    deadline_start(obj=request, agency=agency, days=1, now=at(6, 10))
    assert deadline_resume(obj=request, now=at(6, 11)).due_at == at(7, 10)
    deadline_pause(obj=request, now=at(6, 11))
    again = deadline_pause(obj=request, now=at(6, 15))
    assert (again.paused_at, again.remaining) == (at(6, 11), 6.5 * H)
    assert DueDateChange.objects.count() == 2


def test_a_clock_paused_after_its_due_time_is_due_again_on_resume(make_request, agency):
    request = make_request()
    deadline_start(obj=request, agency=agency, hours=1, now=at(6, 10))
    paused = deadline_pause(obj=request, now=at(7, 10))
    assert paused.remaining == dt.timedelta(0)
    assert deadline_resume(obj=request, now=at(8, 9)).due_at == at(8, 9)


def test_objects_without_a_deadline_are_left_alone(make_request):
    request = make_request()
    assert deadline_pause(obj=request) is None
    assert deadline_resume(obj=request) is None
    assert deadline_stop(obj=request) is None
    assert deadline_for(obj=request) is None
    assert not DueDateChange.objects.exists()


# --- overdue ------------------------------------------------------------------------------------


def test_overdue_lists_only_open_running_deadlines_of_the_agency_past_due(make_request, agency):
    late = [make_request() for _ in range(3)]
    for index, request in enumerate(late):
        deadline_start(obj=request, agency=agency, hours=1 + index, now=at(6, 8))
    on_time = make_request()
    deadline_start(obj=on_time, agency=agency, days=5, now=at(6, 8))
    paused = make_request()
    deadline_start(obj=paused, agency=agency, hours=1, now=at(6, 8))
    deadline_pause(obj=paused, now=at(6, 8, 30))
    done = make_request()
    deadline_start(obj=done, agency=agency, hours=1, now=at(6, 8))
    deadline_stop(obj=done, now=at(6, 9))
    elsewhere = AgencyFactory()
    other = make_request(agency=elsewhere)
    deadline_start(obj=other, agency=elsewhere, hours=1, now=at(6, 8))

    overdue = list(overdue_for_agency(agency=agency, now=at(7, 8)))
    assert [deadline.obj for deadline in overdue] == late  # most overdue first
    assert [d.obj for d in overdue_for_agency(agency=elsewhere, now=at(7, 8))] == [other]
    assert list(overdue_for_agency(agency=agency, now=at(6, 9))) == []


@pytest.mark.parametrize("count", [1, 10])
def test_overdue_takes_the_same_queries_whatever_the_count(
    make_request, agency, count, django_assert_num_queries
):
    for _ in range(count):
        deadline_start(obj=make_request(), agency=agency, hours=1, now=at(6, 8))
    # 1: the overdue deadlines (with their content type); 2: their objects, one query per kind.
    with django_assert_num_queries(2):
        overdue = list(overdue_for_agency(agency=agency, now=at(7, 8)))
        assert all(deadline.obj.tracking_number for deadline in overdue)
    assert len(overdue) == count


# --- the calendar changes -----------------------------------------------------------------------


def test_a_holiday_entered_later_moves_open_deadlines_and_says_why(
    make_request, agency, owner, django_capture_on_commit_callbacks
):
    request = make_request()
    deadline_start(obj=request, agency=agency, days=1, now=at(10, 10))
    untouched = make_request()
    deadline_start(obj=untouched, agency=agency, days=1, now=at(14, 10))
    assert ActivityItem.objects.get(object_id=str(request.pk)).due_at == at(13, 10)

    holiday = Holiday(
        date=dt.date(2026, 4, 13),
        kind=Holiday.Kind.CUTI_BERSAMA,
        name_id="Cuti bersama Hari Raya Uji",
        name_en="Cuti bersama (collective leave) for the test feast",
    )
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=holiday)

    deadline = deadline_for(obj=request)
    assert deadline.due_at == at(14, 10)
    change = deadline.changes.last()
    assert (change.reason_code, change.old_due_at, change.new_due_at) == (
        "calendar_changed",
        at(13, 10),
        at(14, 10),
    )
    assert change.reason_en == (
        "Due Tuesday 14 April, 10:00 — moved from Monday 13 April, 10:00 because of "
        "Cuti bersama (collective leave) for the test feast."
    )
    assert ActivityItem.objects.get(object_id=str(request.pk)).due_at == at(14, 10)
    assert deadline_for(obj=untouched).due_at == at(15, 10)
    assert deadline_for(obj=untouched).changes.count() == 1

    # Idempotent: a second run moves nothing.
    assert deadlines_reschedule(first=dt.date(2026, 4, 13), last=dt.date(2026, 4, 13)) == []

    # The holiday is withdrawn: back to Monday, "because the working calendar changed".
    with django_capture_on_commit_callbacks(execute=True):
        holiday_delete(holiday=holiday)
    deadline = deadline_for(obj=request)
    assert deadline.due_at == at(13, 10)
    assert deadline.changes.last().reason_en == (
        "Due Monday 13 April, 10:00 — moved from Tuesday 14 April, 10:00 because the working "
        "calendar changed."
    )


def test_a_resumed_deadline_is_rescheduled_from_its_resumption(make_request, agency):
    request = make_request()
    deadline_start(obj=request, agency=agency, days=2, now=at(6, 8))
    deadline_pause(obj=request, now=at(6, 10))
    deadline_resume(obj=request, now=at(9, 9))
    assert deadline_for(obj=request).due_at == at(10, 16)
    cuti_bersama(10)
    [change] = deadlines_reschedule(first=dt.date(2026, 4, 10), last=dt.date(2026, 4, 10))
    assert (change.old_due_at, change.new_due_at) == (at(10, 16), at(13, 15, 30))


def test_paused_and_completed_deadlines_are_not_rescheduled(make_request, agency):
    paused, done = make_request(), make_request()
    for request in (paused, done):
        deadline_start(obj=request, agency=agency, days=1, now=at(10, 10))
    deadline_pause(obj=paused, now=at(10, 11))
    deadline_stop(obj=done, now=at(10, 11))
    cuti_bersama(13)
    assert deadlines_reschedule(first=dt.date(2026, 4, 13), last=dt.date(2026, 4, 13)) == []


def test_a_holiday_saved_while_the_broker_is_down_still_moves_the_deadlines(
    make_request, agency, owner, django_capture_on_commit_callbacks, monkeypatch
):
    from kombu.exceptions import OperationalError

    from services.workflow import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.reschedule_deadlines, "delay", broker_down)
    request = make_request()
    deadline_start(obj=request, agency=agency, days=1, now=at(10, 10))
    holiday = Holiday(
        date=dt.date(2026, 4, 13),
        kind=Holiday.Kind.CUTI_BERSAMA,
        name_id="Cuti bersama Hari Raya Uji",
        name_en="Cuti bersama (collective leave) for the test feast",
    )
    with django_capture_on_commit_callbacks(execute=True):
        holiday_save(holiday=holiday)  # no exception: the recalculation ran in the request
    assert deadline_for(obj=request).due_at == at(14, 10)

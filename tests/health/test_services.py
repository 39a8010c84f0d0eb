"""The queue engine's rules, through the service functions."""

import datetime as dt

import pytest
from django.test import TestCase
from django.utils import timezone

from health import selectors, services
from health.exceptions import (
    AlreadyBooked,
    CancelTooLate,
    NotAllowedForPerson,
    OutsideBookingWindow,
    QueueEmpty,
    QuotaBelowBooked,
    QuotaFull,
    SessionNotOpen,
)
from health.models import Closure, Schedule, Session, SessionChange, Ticket
from health.workflow import TicketState
from services.activity.models import ActivityItem
from services.workflow.exceptions import TransitionNotAllowed
from services.workflow.models import Holiday, StatusHistory
from tests.accounts.test_households import family
from tests.factories import UserFactory
from tests.health.factories import ServicePointFactory, SessionFactory

pytestmark = pytest.mark.django_db


def book(session, user=None, **kwargs):
    """Book, then run what the commit triggers (history, activity item, receipt)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.ticket_book(
            actor=user or UserFactory(),
            session=session,
            payer=kwargs.pop("payer", "bpjs"),
            **kwargs,
        )


def refreshed(session):
    session.refresh_from_db()
    return session


# --- booking ------------------------------------------------------------------------------------


def test_booking_gives_sequential_numbers_history_and_an_activity_item(session, citizen):
    first = book(session, citizen)
    second = book(session)

    assert (first.number, second.number) == (1, 2)
    assert first.state == TicketState.BOOKED
    assert first.patient_name == "Siti Rahmawati"
    assert (refreshed(session).last_number, session.taken_count) == (2, 2)
    assert StatusHistory.objects.filter(object_id=first.pk, transition="create").count() == 1
    item = ActivityItem.objects.get(owner=citizen, module="kesehatan")
    assert item.tracking_number == first.code


@pytest.mark.parametrize(
    ("starts_in", "allowed"),
    [
        (dt.timedelta(days=7, minutes=-1), True),  # the window opens 7 days before
        (dt.timedelta(days=7, minutes=1), False),  # too early
        (dt.timedelta(minutes=1), True),
        (dt.timedelta(minutes=-1), False),  # the session has started
    ],
)
def test_booking_only_within_the_window(dkk, citizen, starts_in, allowed):
    session = SessionFactory(
        service_point__facility__agency=dkk, starts_at=timezone.now() + starts_in
    )
    if allowed:
        assert book(session, citizen).number == 1
    else:
        with pytest.raises(OutsideBookingWindow):
            book(session, citizen)
        assert Ticket.objects.count() == 0
        assert refreshed(session).last_number == 0


def test_the_window_follows_the_setting(settings, dkk, citizen):
    settings.HEALTH_BOOKING_WINDOW_DAYS = 1
    session = SessionFactory(
        service_point__facility__agency=dkk, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    with pytest.raises(OutsideBookingWindow):
        book(session, citizen)


def test_never_above_quota(dkk):
    session = SessionFactory(service_point__facility__agency=dkk, quota=2)
    book(session), book(session)

    with pytest.raises(QuotaFull):
        book(session)

    assert list(Ticket.objects.values_list("number", flat=True)) == [1, 2]
    assert (refreshed(session).last_number, session.taken_count) == (2, 2)


def test_one_ticket_per_person_per_session(session, citizen):
    book(session, citizen)

    with pytest.raises(AlreadyBooked):
        book(session, citizen)

    assert Ticket.objects.count() == 1
    assert refreshed(session).last_number == 1


def test_a_closed_session_takes_no_booking(session, citizen, officer):
    services.session_close(actor=officer, session=session, reason="Dokter sakit")
    with pytest.raises(SessionNotOpen):
        book(session, citizen)
    assert Ticket.objects.count() == 0


def test_booking_for_a_minor_child_of_ones_household(session):
    head = UserFactory(full_name="Budi Santoso", nik="6471051508900001")
    child = family(head).child

    ticket = book(session, head, member=child)

    assert (ticket.owner, ticket.patient_member, ticket.patient_name) == (
        head,
        child,
        "Citra Santoso",
    )
    # the child and the parent are two people: both may hold a ticket
    assert book(session, head).number == 2
    with pytest.raises(AlreadyBooked):
        book(session, head, member=child)


def test_booking_for_someone_elses_child_is_refused(session):
    head = UserFactory(nik="6471051508900001")
    child = family(head).child

    with pytest.raises(NotAllowedForPerson):
        book(session, UserFactory(), member=child)
    assert Ticket.objects.count() == 0


# --- cancellation -------------------------------------------------------------------------------


def test_cancel_frees_the_place_but_not_the_number(dkk, citizen):
    session = SessionFactory(service_point__facility__agency=dkk, quota=2)
    ticket = book(session, citizen)
    book(session)

    services.ticket_cancel(actor=citizen, ticket=ticket)

    ticket.refresh_from_db()
    assert ticket.state == TicketState.CANCELLED
    assert ticket.cancelled_at is not None
    assert (refreshed(session).taken_count, session.last_number) == (1, 2)
    assert book(session, citizen).number == 3  # the same person may book again, a new number


def test_cancel_after_the_start_is_refused(session, citizen):
    ticket = book(session, citizen)
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(CancelTooLate):
        services.ticket_cancel(actor=citizen, ticket=Ticket.objects.get(pk=ticket.pk))

    ticket.refresh_from_db()
    assert ticket.state == TicketState.BOOKED
    assert refreshed(session).taken_count == 1


def test_another_citizen_cannot_cancel(session, citizen):
    ticket = book(session, citizen)
    with pytest.raises(TransitionNotAllowed):
        services.ticket_cancel(actor=UserFactory(), ticket=ticket)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.BOOKED
    assert refreshed(session).taken_count == 1


# --- the counter --------------------------------------------------------------------------------


def started(session, minutes_ago):
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return refreshed(session)


def test_call_next_calls_the_first_checked_in_and_keeps_absent_ones_within_grace(session, officer):
    first, second = book(session), book(session)
    services.ticket_check_in(actor=officer, ticket=second)
    session = started(session, 5)  # within the 15-minute grace

    called = services.session_call_next(actor=officer, session=session)

    assert called == second
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.state, second.state) == (TicketState.BOOKED, TicketState.CALLED)
    assert refreshed(session).now_serving == 2


def test_call_next_after_the_grace_marks_absent_tickets_no_show(session, officer):
    _first, _second, third = book(session), book(session), book(session)
    services.ticket_check_in(actor=officer, ticket=third)
    session = started(session, 20)

    called = services.session_call_next(actor=officer, session=session)

    assert called == third
    states = dict(Ticket.objects.values_list("number", "state"))
    assert states == {1: "no_show", 2: "no_show", 3: "called"}
    assert refreshed(session).now_serving == 3


def test_call_next_with_nobody_checked_in(session, officer):
    book(session)
    with pytest.raises(QueueEmpty):
        services.session_call_next(actor=officer, session=session)
    assert Ticket.objects.get().state == TicketState.BOOKED


def test_serve_and_recall(session, officer):
    ticket = book(session)
    services.ticket_check_in(actor=officer, ticket=ticket)
    services.session_call_next(actor=officer, session=session)
    ticket.refresh_from_db()

    services.ticket_recall(actor=officer, ticket=ticket)
    services.ticket_serve(actor=officer, ticket=ticket)

    ticket.refresh_from_db()
    assert (ticket.state, ticket.recall_count) == (TicketState.SERVED, 1)
    assert ticket.served_at >= ticket.called_at


def test_walk_in_shares_the_numbering_and_the_quota(dkk, officer):
    session = SessionFactory(service_point__facility__agency=dkk, quota=2)
    book(session)

    walk_in = services.ticket_walk_in(
        actor=officer, session=session, patient_name="Pak Darto", payer="general"
    )

    assert (walk_in.number, walk_in.state, walk_in.owner) == (2, TicketState.CHECKED_IN, None)
    with pytest.raises(QuotaFull):
        services.ticket_walk_in(actor=officer, session=session, patient_name="X", payer="bpjs")
    # a walk-in goes through the counter like any ticket
    assert services.session_call_next(actor=officer, session=session) == walk_in
    walk_in.refresh_from_db()
    services.ticket_serve(actor=officer, ticket=walk_in)
    walk_in.refresh_from_db()
    assert walk_in.state == TicketState.SERVED


def test_staff_of_another_agency_cannot_act(session, other_officer):
    ticket = book(session)
    for action in (
        lambda: services.session_call_next(actor=other_officer, session=session),
        lambda: services.ticket_check_in(actor=other_officer, ticket=ticket),
        lambda: services.ticket_walk_in(
            actor=other_officer, session=session, patient_name="X", payer="bpjs"
        ),
        lambda: services.session_quota_change(
            actor=other_officer, session=session, quota=50, reason="more doctors"
        ),
        lambda: services.session_close(actor=other_officer, session=session, reason="x"),
    ):
        with pytest.raises(TransitionNotAllowed):
            action()
    ticket.refresh_from_db()
    assert ticket.state == TicketState.BOOKED
    assert (refreshed(session).quota, session.state, session.last_number) == (30, "open", 1)
    assert SessionChange.objects.count() == 0


def test_no_show_sweep_after_the_session_ended(session, officer):
    booked, checked_in = book(session), book(session)
    services.ticket_check_in(actor=officer, ticket=checked_in)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=5),
        ends_at=timezone.now() - dt.timedelta(minutes=1),
    )

    assert services.no_shows_sweep() == 1
    assert services.no_shows_sweep() == 0  # idempotent

    booked.refresh_from_db(), checked_in.refresh_from_db()
    assert (booked.state, checked_in.state) == (TicketState.NO_SHOW, TicketState.CHECKED_IN)


def test_the_sweep_leaves_running_sessions_alone(session):
    book(session)
    assert services.no_shows_sweep() == 0
    assert Ticket.objects.get().state == TicketState.BOOKED


# --- quota and opening changes are recorded -----------------------------------------------------


def test_quota_change_is_recorded(session, officer):
    book(session)

    services.session_quota_change(actor=officer, session=session, quota=40, reason="Dokter kedua")

    change = SessionChange.objects.get()
    assert (change.field, change.from_value, change.to_value, change.reason, change.actor) == (
        "quota",
        "30",
        "40",
        "Dokter kedua",
        officer,
    )
    assert refreshed(session).quota == 40


def test_quota_cannot_go_below_the_places_taken(session, officer):
    book(session), book(session)
    with pytest.raises(QuotaBelowBooked):
        services.session_quota_change(actor=officer, session=session, quota=1, reason="x")
    assert refreshed(session).quota == 30
    assert SessionChange.objects.count() == 0


# --- sessions from schedules --------------------------------------------------------------------


def monday():
    return dt.date(2026, 11, 30)


def test_materialising_sessions_is_idempotent_and_skips_holidays_and_closures(dkk):
    point = ServicePointFactory(facility__agency=dkk)
    Schedule.objects.create(
        service_point=point, weekday=0, starts_at=dt.time(8), ends_at=dt.time(12), quota=30
    )
    Schedule.objects.create(
        service_point=point, weekday=1, starts_at=dt.time(8), ends_at=dt.time(12), quota=20
    )
    Holiday.objects.create(
        date=monday() + dt.timedelta(days=7), name_id="Libur", name_en="Holiday", kind="national"
    )
    Closure.objects.create(
        facility=point.facility, date=monday() + dt.timedelta(days=1), reason="Fumigasi"
    )

    assert services.sessions_materialise(today=monday(), days=14) == 2
    assert services.sessions_materialise(today=monday(), days=14) == 0

    sessions = list(Session.objects.values_list("date", "quota"))
    assert sessions == [(monday(), 30), (monday() + dt.timedelta(days=8), 20)]
    first = Session.objects.get(date=monday())
    assert first.starts_at.astimezone(dt.timezone(dt.timedelta(hours=8))).hour == 8
    assert SessionChange.objects.filter(field="created").count() == 2


def test_a_closure_cancels_sessions_and_tickets(session, officer):
    ticket = book(session)

    services.closure_create(
        actor=officer, facility=session.service_point.facility, date=session.date, reason="Banjir"
    )

    ticket.refresh_from_db()
    assert (refreshed(session).state, ticket.state) == ("cancelled", TicketState.CANCELLED)
    change = SessionChange.objects.get(field="state")
    assert (change.from_value, change.to_value, change.reason) == ("open", "cancelled", "Banjir")


# --- the estimate -------------------------------------------------------------------------------


def test_estimate_range_uses_recent_durations():
    start = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)
    durations = [300, 600, 600, 900, 1200]  # quartiles: 600 and 900 seconds

    low, high = selectors.estimate_range(durations=durations, people_ahead=3, start=start)

    assert (low, high) == (start + dt.timedelta(minutes=30), start + dt.timedelta(minutes=45))


def test_estimate_range_without_history_uses_the_default_plus_minus_half(settings):
    settings.HEALTH_DEFAULT_SERVICE_MINUTES = 10
    start = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)

    low, high = selectors.estimate_range(durations=[], people_ahead=2, start=start)

    assert (low, high) == (start + dt.timedelta(minutes=10), start + dt.timedelta(minutes=30))


def test_ticket_position_counts_people_ahead_and_uses_the_points_served_tickets(session, officer):
    # an earlier session at the same point: two served tickets of 4 and 8 minutes
    past = SessionFactory(
        service_point=session.service_point,
        starts_at=timezone.now() - dt.timedelta(days=1),
    )
    base = timezone.now() - dt.timedelta(days=1)
    for number, minutes in ((1, 4), (2, 8)):
        Ticket.objects.create(
            session=past,
            number=number,
            code=f"P{number}",
            patient_name="x",
            patient_key=f"w:{number}",
            payer="bpjs",
            state=TicketState.SERVED,
            booked_at=base,
            called_at=base,
            served_at=base + dt.timedelta(minutes=minutes),
        )
    _first, second, mine = book(session), book(session), book(session)
    services.ticket_cancel(actor=second.owner, ticket=second)

    position = selectors.ticket_position(ticket=mine)

    assert position.people_ahead == 1
    # quartiles of [240, 480] s: 300 and 420 s per person ahead, from the session start
    assert position.estimate_from == session.starts_at + dt.timedelta(seconds=300)
    assert position.estimate_to == session.starts_at + dt.timedelta(seconds=420)


def test_a_booking_issues_a_receipt_after_commit(
    session, citizen, django_capture_on_commit_callbacks
):
    from services.receipts.models import Receipt

    with django_capture_on_commit_callbacks(execute=True):
        ticket = book(session, citizen)

    receipt = Receipt.objects.get()
    assert (receipt.kind, receipt.tracking_number, receipt.title) == (
        "ticket_booked",
        ticket.code,
        f"Nomor antrean {session.service_point.facility.name}",
    )


def test_a_refused_booking_queues_nothing(dkk, citizen, django_capture_on_commit_callbacks):
    session = SessionFactory(service_point__facility__agency=dkk, quota=0)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(QuotaFull):
        book(session, citizen)
    assert callbacks == []


def test_call_next_keeps_the_no_shows_when_nobody_is_left_to_call(session, officer):
    book(session), book(session)
    session = started(session, 20)

    with pytest.raises(QueueEmpty):
        services.session_call_next(actor=officer, session=session)

    assert set(Ticket.objects.values_list("state", flat=True)) == {TicketState.NO_SHOW}


# --- a lean booking -------------------------------------------------------------------------------


def test_booking_runs_two_statements_in_its_transaction_and_the_rest_after_commit(
    session, citizen, django_capture_on_commit_callbacks
):
    """Inside the transaction (which holds the session's row lock from the UPDATE on) only the
    number is taken and the ticket inserted; history, activity and receipt wait for the commit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")

    statements = [
        q["sql"].split()[0:3]
        for q in queries.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert statements == [
        ["UPDATE", '"health_session"', "SET"],
        ["INSERT", "INTO", '"health_ticket"'],
    ]
    assert not StatusHistory.objects.exists() and not ActivityItem.objects.exists()
    for callback in callbacks:
        callback()
    assert StatusHistory.objects.filter(object_id=ticket.pk, transition="create").count() == 1
    assert ActivityItem.objects.filter(owner=citizen, tracking_number=ticket.code).exists()


def test_refusals_do_not_take_a_number(dkk, citizen):
    full = SessionFactory(service_point__facility__agency=dkk, quota=1)
    book(full)
    with pytest.raises(QuotaFull):
        book(full, citizen)
    closed = SessionFactory(service_point__facility__agency=dkk, state=Session.State.CLOSED)
    with pytest.raises(SessionNotOpen):
        book(closed, citizen)
    refreshed(full), refreshed(closed)
    assert (full.last_number, full.taken_count, closed.last_number) == (1, 1, 0)


def test_the_module_passes_the_conformance_kit_with_its_after_commit_work(dkk):
    """The kit books inside a transaction it rolls back: the activity item written after the
    commit must still be there for it."""
    from services import registry
    from services.conformance import check_dynamic

    results = check_dynamic(registry.get("kesehatan"))

    assert [(r.name, r.passed) for r in results] == [
        ("scoping", True),
        ("activity", True),
        ("no_personal_data_in_logs", True),
    ], results

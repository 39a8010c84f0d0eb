"""The full marker: once a session is full, the rest of the rush is refused from the cache.

The database still decides every booking that gets past the marker; these tests pin down that
the marker answers exactly what the database would (409 ``quota_full`` in the shared error
shape, nothing created), that every write which may reopen a place voids it, and the query
budgets of a success, a first refusal and a marked refusal.
"""

import pytest
from django.core.cache import cache

from health import services
from health.exceptions import QuotaFull
from health.models import Session, Ticket
from tests.factories import UserFactory
from tests.health.factories import SessionFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/kesehatan"


def book(api, user, session):
    api.force_authenticate(user)
    return api.post(
        f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs"}, format="json"
    )


@pytest.fixture
def full(api, dkk, citizen):
    """A session of quota 1 whose place ``citizen`` holds, and one refusal that set the marker."""
    session = SessionFactory(service_point__facility__agency=dkk, quota=1)
    assert book(api, citizen, session).status_code == 201
    assert book(api, UserFactory(), session).status_code == 409
    return session


def marked(session) -> bool:
    try:
        services.booking_refused_early(session_uuid=session.uuid)
    except QuotaFull:
        return True
    return False


def test_a_refusal_found_in_the_database_sets_the_marker(api, dkk, citizen):
    session = SessionFactory(service_point__facility__agency=dkk, quota=1)
    book(api, citizen, session)
    assert not marked(session)  # full, but nobody was refused yet

    book(api, UserFactory(), session)

    assert marked(session)


def test_the_marker_answers_quota_full_in_the_shared_shape_without_a_query(
    api, full, django_assert_num_queries, django_capture_on_commit_callbacks
):
    api.force_authenticate(UserFactory())
    with django_assert_num_queries(0), django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            f"{BASE}/tickets/", {"session": str(full.uuid), "payer": "bpjs"}, format="json"
        )

    assert response.status_code == 409
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {"code": "quota_full", "detail": "The quota of this session is full.", "attr": None}
        ],
    }
    assert callbacks == []
    assert Ticket.objects.count() == 1
    full.refresh_from_db()
    assert (full.last_number, full.taken_count) == (1, 1)


def test_a_cancellation_voids_the_marker_and_the_next_booking_succeeds(
    api, full, citizen, django_capture_on_commit_callbacks
):
    ticket = Ticket.objects.get(session=full)
    api.force_authenticate(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = api.post(f"{BASE}/tickets/{ticket.uuid}/cancel/")
    assert cancelled.status_code == 200
    assert not marked(full)

    response = book(api, UserFactory(), full)

    assert (response.status_code, response.json()["number"]) == (201, 2)
    assert Ticket.objects.filter(session=full).exclude(state="cancelled").count() == 1


def test_a_raised_quota_voids_the_marker(api, full, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_quota_change(actor=officer, session=full, quota=2, reason="Dokter kedua")

    assert not marked(full)
    assert book(api, UserFactory(), full).status_code == 201


def test_a_closed_session_is_no_longer_refused_as_full(
    api, full, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(actor=officer, session=full, reason="Dokter berhalangan")

    refused = book(api, UserFactory(), full)

    assert refused.json()["errors"][0]["code"] == "session_not_open"


def test_a_marker_written_from_a_read_a_cancellation_overtook_is_void(
    full, citizen, django_capture_on_commit_callbacks
):
    """The race the generation closes: a refusal read the session full, then a cancellation
    committed (and started a new generation), then the refusal wrote its marker."""
    full_key, _generation_key = services._marker_keys(full.uuid)
    cache.delete(full_key)
    generation = services._generation(full.uuid)  # read before the refusal's database read
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_cancel(actor=citizen, ticket=Ticket.objects.get(session=full))
    services._mark_full(full.uuid, generation)  # the refusal's late write

    assert not marked(full)


def test_a_flushed_cache_leaves_the_refusal_to_the_database(api, full):
    cache.clear()

    refused = book(api, UserFactory(), full)

    assert refused.json()["errors"][0]["code"] == "quota_full"
    assert Ticket.objects.count() == 1


def test_a_session_with_room_is_never_marked(api, session):
    for _ in range(3):
        assert book(api, UserFactory(), session).status_code == 201
    assert not marked(session)
    assert Session.objects.get(pk=session.pk).taken_count == 3


# --- query budgets --------------------------------------------------------------------------------


def test_booking_query_budgets(api, dkk, django_assert_num_queries):
    session = SessionFactory(service_point__facility__agency=dkk, quota=2)
    book(api, UserFactory(), session)  # warms the module list and the durations cache

    api.force_authenticate(UserFactory())
    # the session with its point and facility; a savepoint; the number (UPDATE …
    # RETURNING); the ticket's INSERT; the savepoint's release; the people ahead. History,
    # activity item and receipt are queued on commit (a task), not written by the request.
    with django_assert_num_queries(6):
        taken = api.post(
            f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs"}, format="json"
        )
    assert taken.status_code == 201

    api.force_authenticate(UserFactory())
    # the first refusal: the session; one unlocked read of why (which sets the marker)
    with django_assert_num_queries(2):
        first = api.post(
            f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs"}, format="json"
        )
    api.force_authenticate(UserFactory())
    # every later refusal: the marker alone
    with django_assert_num_queries(0):
        later = api.post(
            f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs"}, format="json"
        )
    assert (first.status_code, later.status_code) == (409, 409)


# --- what a booking leaves after its commit -------------------------------------------------------


def test_the_booking_record_is_a_task_and_idempotent(
    session, citizen, django_capture_on_commit_callbacks
):
    from services.receipts.models import Receipt
    from services.workflow.models import StatusHistory

    with django_capture_on_commit_callbacks(execute=True):  # Celery runs eagerly in tests
        ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")
    services.ticket_booking_record(ticket_id=ticket.pk)  # a retry of the task

    assert StatusHistory.objects.filter(object_id=ticket.pk, transition="create").count() == 1
    assert Receipt.objects.filter(tracking_number=ticket.code).count() == 1


def test_a_broker_outage_records_the_booking_in_the_request(
    session, citizen, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from health import tasks
    from services.workflow.models import StatusHistory

    def refuse(*args, **kwargs):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.record_booking, "delay", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_book(actor=citizen, session=session, payer="bpjs")

    assert StatusHistory.objects.filter(object_id=ticket.pk, transition="create").count() == 1

"""The health API: the shared error shape, scoping, permissions per facility, the cheap poll."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone
from django.utils.http import parse_http_date

from health import services
from health.models import Session, SessionChange, Ticket
from tests.factories import UserFactory
from tests.health.conftest import errors
from tests.health.factories import FacilityFactory, ServicePointFactory, SessionFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/kesehatan"


def book(api, user, session, **extra):
    api.force_authenticate(user)
    return api.post(f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs", **extra})


def test_book_and_read_my_ticket(api, session, citizen):
    response = book(api, citizen, session)

    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["state"], body["payer"], body["people_ahead"]) == (
        1,
        "booked",
        "bpjs",
        0,
    )
    assert body["estimate_from"] == body["estimate_to"]  # nobody ahead: from the session start
    detail = api.get(f"{BASE}/tickets/{body['uuid']}/")
    assert detail.status_code == 200
    assert detail.json()["code"] == body["code"]


@pytest.mark.parametrize(
    ("payload", "codes"),
    [
        ({}, ["required", "required"]),
        ({"session": "not-a-uuid", "payer": "bpjs"}, ["invalid"]),
        ({"session": "00000000-0000-0000-0000-000000000000", "payer": "cash"}, ["invalid_choice"]),
    ],
)
def test_bad_input_is_a_400_in_the_shared_shape(api, citizen, session, payload, codes):
    api.force_authenticate(citizen)
    response = api.post(f"{BASE}/tickets/", payload, format="json")

    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert errors(response) == codes
    assert Ticket.objects.count() == 0


def test_quota_full_and_duplicate_are_409s_with_codes(api, dkk, citizen):
    session = SessionFactory(service_point__facility__agency=dkk, quota=1)
    assert book(api, citizen, session).status_code == 201

    again = book(api, citizen, session)
    other = book(api, UserFactory(), session)

    assert (again.status_code, errors(again)) == (409, ["quota_full"])
    assert (other.status_code, errors(other)) == (409, ["quota_full"])
    assert Ticket.objects.count() == 1


def test_duplicate_is_already_booked(api, session, citizen):
    book(api, citizen, session)
    response = book(api, citizen, session)
    assert (response.status_code, errors(response)) == (409, ["already_booked"])


def test_another_citizens_ticket_is_404_and_anonymous_is_401(api, session, citizen):
    uuid = book(api, citizen, session).json()["uuid"]

    api.force_authenticate(UserFactory())
    assert api.get(f"{BASE}/tickets/{uuid}/").status_code == 404
    assert api.post(f"{BASE}/tickets/{uuid}/cancel/").status_code == 404
    api.force_authenticate(None)
    assert api.get(f"{BASE}/tickets/{uuid}/").status_code == 401
    assert Ticket.objects.get().state == "booked"


def test_cancel_through_the_api(api, session, citizen):
    uuid = book(api, citizen, session).json()["uuid"]
    response = api.post(f"{BASE}/tickets/{uuid}/cancel/")
    assert (response.status_code, response.json()["state"]) == (200, "cancelled")


def test_staff_of_the_facility_agency_run_the_counter(api, session, citizen, officer):
    uuid = book(api, citizen, session).json()["uuid"]
    api.force_authenticate(officer)

    assert [s["uuid"] for s in api.get(f"{BASE}/staff/sessions/").json()["results"]] == [
        str(session.uuid)
    ]
    found = api.get(f"{BASE}/staff/sessions/{session.uuid}/tickets/", {"q": "1"}).json()
    assert [t["uuid"] for t in found["results"]] == [uuid]
    assert api.post(f"{BASE}/staff/tickets/{uuid}/check-in/").json()["state"] == "checked_in"
    called = api.post(f"{BASE}/staff/sessions/{session.uuid}/call-next/")
    assert (called.status_code, called.json()["uuid"]) == (200, uuid)
    assert api.post(f"{BASE}/staff/tickets/{uuid}/recall/").status_code == 200
    assert api.post(f"{BASE}/staff/tickets/{uuid}/serve/").json()["state"] == "served"
    walk_in = api.post(
        f"{BASE}/staff/sessions/{session.uuid}/walk-in/",
        {"patient_name": "Pak Darto", "payer": "general"},
    )
    assert (walk_in.status_code, walk_in.json()["number"]) == (201, 2)
    quota = api.post(
        f"{BASE}/staff/sessions/{session.uuid}/quota/", {"quota": 35, "reason": "Dokter kedua"}
    )
    assert quota.json()["quota"] == 35
    closed = api.post(f"{BASE}/staff/sessions/{session.uuid}/close/", {"reason": "Selesai"})
    assert closed.json()["state"] == "closed"


def test_staff_of_another_agency_get_404_and_change_nothing(api, session, citizen, other_officer):
    uuid = book(api, citizen, session).json()["uuid"]
    api.force_authenticate(other_officer)

    assert api.get(f"{BASE}/staff/sessions/").json()["results"] == []
    for url, data in [
        (f"{BASE}/staff/sessions/{session.uuid}/call-next/", None),
        (f"{BASE}/staff/sessions/{session.uuid}/walk-in/", {"patient_name": "X", "payer": "bpjs"}),
        (f"{BASE}/staff/sessions/{session.uuid}/quota/", {"quota": 1, "reason": "abc"}),
        (f"{BASE}/staff/sessions/{session.uuid}/close/", {"reason": "abc"}),
        (f"{BASE}/staff/tickets/{uuid}/check-in/", None),
        (f"{BASE}/staff/tickets/{uuid}/serve/", None),
    ]:
        assert api.post(url, data).status_code == 404, url
    assert api.get(f"{BASE}/staff/sessions/{session.uuid}/tickets/").status_code == 404
    session.refresh_from_db()
    assert (session.state, session.quota, session.last_number) == ("open", 30, 1)
    assert Ticket.objects.get().state == "booked"


def test_a_citizen_cannot_use_the_staff_api(api, session, citizen):
    api.force_authenticate(citizen)
    assert api.get(f"{BASE}/staff/sessions/").json()["results"] == []
    assert api.post(f"{BASE}/staff/sessions/{session.uuid}/call-next/").status_code == 404


def test_mpp_counter_is_run_by_its_own_agency(api, dkk, citizen, officer, other_officer):
    """An MPP counter of Disdukcapil: Disdukcapil staff act, DKK staff do not."""
    disdukcapil = other_officer.memberships.get().agency
    mpp = FacilityFactory(kind="mpp", agency=dkk)
    counter = ServicePointFactory(facility=mpp, agency=disdukcapil, kind="counter")
    session = SessionFactory(service_point=counter)
    book(api, citizen, session)

    api.force_authenticate(officer)
    assert api.post(f"{BASE}/staff/sessions/{session.uuid}/call-next/").status_code == 404
    api.force_authenticate(other_officer)
    response = api.post(f"{BASE}/staff/sessions/{session.uuid}/call-next/")
    assert (response.status_code, errors(response)) == (409, ["queue_empty"])


def test_public_session_page_lists_changes(api, session, officer):
    services.session_quota_change(actor=officer, session=session, quota=40, reason="Dokter kedua")
    api.force_authenticate(None)

    body = api.get(f"{BASE}/sessions/{session.uuid}/").json()

    assert (body["quota"], body["remaining"]) == (40, 40)
    assert [
        (c["field"], c["from_value"], c["to_value"], c["reason"], c["by"]) for c in body["changes"]
    ] == [("quota", "30", "40", "Dokter kedua", officer.full_name)]


def test_now_serving_is_cached_and_conditional(
    api, session, citizen, officer, django_capture_on_commit_callbacks
):
    book(api, citizen, session)
    api.force_authenticate(None)
    url = f"{BASE}/sessions/{session.uuid}/now-serving/"

    first = api.get(url)
    assert first.status_code == 200
    assert (first.json()["now_serving"], first.json()["waiting"]) == (None, 1)
    etag = first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    ticket = Ticket.objects.get()
    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped on commit
        services.ticket_check_in(actor=officer, ticket=ticket)
        services.session_call_next(actor=officer, session=session)

    changed = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert (changed.json()["now_serving"], changed.json()["waiting"]) == (1, 0)


def test_now_serving_last_modified_and_if_modified_since(
    api, session, citizen, django_capture_on_commit_callbacks
):
    session.updated_at = timezone.now() - dt.timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(updated_at=session.updated_at)
    url = f"{BASE}/sessions/{session.uuid}/now-serving/"

    first = api.get(url)
    last_modified = first["Last-Modified"]
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # If-None-Match wins when both are sent
    assert (
        api.get(url, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=last_modified).status_code
        == 200
    )
    assert api.get(url, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):  # the cached payload is dropped
        book(api, citizen, session)
    api.force_authenticate(None)
    booked_at = Session.objects.get(pk=session.pk).updated_at.timestamp()
    # the clock is pinned: the booking and this poll could otherwise straddle a second's edge
    with mock.patch("health.api.views.time.time", return_value=booked_at + 0.1):
        changed = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200 and changed.json()["waiting"] == 1
    assert "Last-Modified" not in changed  # changed this very second: only the ETag answers
    with mock.patch("health.api.views.time.time", return_value=booked_at + 1):
        later = api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert later.status_code == 200
    assert (
        parse_http_date(later["Last-Modified"]) == int(booked_at) > parse_http_date(last_modified)
    )


def test_booking_request_query_budget(api, session, citizen, django_assert_max_num_queries):
    """The whole booking request: the session (one query with its point and facility), the
    number (UPDATE … RETURNING), the ticket's INSERT, the position (people ahead; the recent
    durations are cached) and a savepoint; the history, the activity item and the receipt are a
    task queued on commit (exact counts: tests/health/test_full_marker.py)."""
    api.force_authenticate(citizen)
    book(api, UserFactory(), session)  # warms the module list and the durations cache
    api.force_authenticate(citizen)
    with django_assert_max_num_queries(6):
        response = api.post(
            f"{BASE}/tickets/", {"session": str(session.uuid), "payer": "bpjs"}, format="json"
        )
    assert response.status_code == 201


def test_now_serving_answers_from_the_cache(api, session, django_assert_num_queries):
    url = f"{BASE}/sessions/{session.uuid}/now-serving/"
    api.get(url)  # fills the cache (and the platform's module list)
    with django_assert_num_queries(0):
        assert api.get(url).status_code == 200


def test_each_process_answers_the_poll_from_its_copy_for_a_second(
    api, session, citizen, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A booking made in another process (the shared cache dropped, this process's copy not)
    shows here once the copy is older than HEALTH_NOW_SERVING_LOCAL_SECONDS; one made in this
    process shows at once."""
    from django.core.cache import cache

    from balikpapan_untuk_warga import cache as local_copies

    settings.HEALTH_NOW_SERVING_LOCAL_SECONDS = 1
    clock = [500.0]
    monkeypatch.setattr(local_copies.time, "monotonic", lambda: clock[0])
    url = f"{BASE}/sessions/{session.uuid}/now-serving/"
    waiting = lambda: api.get(url).json()["waiting"]  # noqa: E731
    assert waiting() == 0

    assert book(api, UserFactory(), session).status_code == 201  # commit hooks not run here:
    cache.delete(services.now_serving_cache_key(session.uuid))  # as the other process's commit
    api.force_authenticate(None)
    clock[0] += 0.9
    assert waiting() == 0  # this process's copy, 0.9 s old
    clock[0] += 0.2
    assert waiting() == 1

    with django_capture_on_commit_callbacks(execute=True):
        book(api, citizen, session)
    api.force_authenticate(None)
    assert waiting() == 2  # the same instant: this process dropped its copy with the change


def test_facilities_near_a_point_nearest_first(api, dkk):
    far = FacilityFactory(agency=dkk, name="Lamaru", latitude=-1.1890, longitude=116.9690)
    near = FacilityFactory(agency=dkk, name="Klandasan", latitude=-1.2741, longitude=116.8312)
    ServicePointFactory(facility=near, name="Poli Gigi")

    body = api.get(f"{BASE}/facilities/", {"latitude": -1.27, "longitude": 116.83}).json()

    assert [f["uuid"] for f in body["results"]] == [str(near.uuid), str(far.uuid)]
    assert body["results"][0]["distance_km"] == 0.48
    assert [p["name"] for p in body["results"][0]["service_points"]] == ["Poli Gigi"]
    bad = api.get(f"{BASE}/facilities/", {"latitude": -1.27})
    assert (bad.status_code, errors(bad)) == (400, ["invalid"])


def test_sessions_list_shows_remaining_quota(api, session, citizen):
    book(api, citizen, session)
    api.force_authenticate(None)
    SessionFactory(
        service_point=session.service_point, starts_at=timezone.now() - dt.timedelta(days=2)
    )

    body = api.get(f"{BASE}/sessions/", {"service_point": str(session.service_point.uuid)}).json()

    assert [(s["uuid"], s["remaining"], s["quota"]) for s in body["results"]] == [
        (str(session.uuid), 29, 30)
    ]


# --- query budgets --------------------------------------------------------------------------------
# Each budget is counted after one warm-up request, so that the platform's cached list of
# switched-off modules (one query per cache lifetime, in the middleware) is not counted.


def warm_up(api):
    api.get(f"{BASE}/sessions/00000000-0000-0000-0000-000000000000/now-serving/")


@pytest.mark.parametrize("rows", [1, 10])
def test_session_list_queries(api, dkk, rows, django_assert_num_queries):
    point = ServicePointFactory(facility__agency=dkk)
    for hour in range(rows):
        SessionFactory(service_point=point, starts_at=timezone.now() + dt.timedelta(hours=hour + 1))
    warm_up(api)
    # 1. count, 2. the page of sessions with service point, facility and doctor
    with django_assert_num_queries(2):
        assert len(api.get(f"{BASE}/sessions/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_facility_list_queries(api, dkk, rows, django_assert_num_queries):
    for _ in range(rows):
        ServicePointFactory(facility=FacilityFactory(agency=dkk))
    warm_up(api)
    # 1. facilities, 2. their active service points
    with django_assert_num_queries(2):
        assert len(api.get(f"{BASE}/facilities/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_my_ticket_list_queries(api, dkk, citizen, rows, django_assert_num_queries):
    for hour in range(rows):
        services.ticket_book(
            actor=citizen,
            session=SessionFactory(
                service_point__facility__agency=dkk,
                starts_at=timezone.now() + dt.timedelta(hours=hour + 1),
            ),
            payer="bpjs",
        )
    api.force_authenticate(citizen)
    warm_up(api)
    # 1. count, 2. the page of tickets with session, service point and facility
    with django_assert_num_queries(2):
        assert len(api.get(f"{BASE}/tickets/").json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 10])
def test_staff_lists_queries(api, session, officer, rows, django_assert_num_queries):
    for _ in range(rows):
        services.ticket_book(actor=UserFactory(), session=session, payer="bpjs")
    api.force_authenticate(officer)
    warm_up(api)
    # 1. count, 2. the page of today's sessions (memberships are a subquery), 3. the officer's
    # authenticator app (staff need 2FA, accounts.mfa; remembered on the user object, which
    # force_authenticate hands to every request, so the next request does not repeat it)
    with django_assert_num_queries(3):
        assert len(api.get(f"{BASE}/staff/sessions/").json()["results"]) == 1
    # 1. the session (scoped), 2. count, 3. the page of tickets
    with django_assert_num_queries(3):
        response = api.get(f"{BASE}/staff/sessions/{session.uuid}/tickets/")
    assert len(response.json()["results"]) == rows
    assert Session.objects.count() == 1 and SessionChange.objects.count() == 0


# --- MPP visit plans ------------------------------------------------------------------------------


@pytest.fixture
def mpp_counters(dkk):
    from tests.factories import AgencyFactory

    mpp = FacilityFactory(kind="mpp", agency=dkk, name="MPP Balikpapan")
    counters = []
    for code in ("disdukcapil", "bpjs-kesehatan"):
        agency = AgencyFactory(code=code, name=code, short_name=code)
        counters.append(ServicePointFactory(facility=mpp, agency=agency, kind="counter", code=code))
    return counters


def test_a_household_books_a_chain_of_slots_and_gets_replan_options(api, mpp_counters):
    from tests.accounts.test_households import family

    head = UserFactory(full_name="Budi Santoso", nik="6471051508900001")
    child = family(head).child
    now = timezone.now()
    kk = SessionFactory(service_point=mpp_counters[0], starts_at=now + dt.timedelta(hours=1))
    kia = SessionFactory(service_point=mpp_counters[0], starts_at=now + dt.timedelta(hours=2))
    bpjs = SessionFactory(service_point=mpp_counters[1], starts_at=now + dt.timedelta(hours=3))
    later_bpjs = SessionFactory(
        service_point=mpp_counters[1], starts_at=now + dt.timedelta(hours=5)
    )
    api.force_authenticate(head)

    response = api.post(
        f"{BASE}/visit-plans/",
        {
            "payer": "bpjs",
            "steps": [
                {"session": str(kk.uuid)},
                {"session": str(kia.uuid), "member": str(child.uuid)},
                {"session": str(bpjs.uuid)},
            ],
        },
    )

    assert response.status_code == 201
    plan = response.json()
    assert [(t["number"], t["patient_name"]) for t in plan["tickets"]] == [
        (1, "Budi Santoso"),
        (1, "Citra Santoso"),
        (1, "Budi Santoso"),
    ]
    assert plan["replan_options"] == []
    services.ticket_cancel(actor=head, ticket=Ticket.objects.get(session=kia))
    detail = api.get(f"{BASE}/visit-plans/{plan['uuid']}/").json()
    assert [(o["step"], [s["uuid"] for s in o["sessions"]]) for o in detail["replan_options"]] == [
        (3, [str(later_bpjs.uuid)])
    ]
    api.force_authenticate(UserFactory())
    assert api.get(f"{BASE}/visit-plans/{plan['uuid']}/").status_code == 404


def test_a_chain_is_all_or_nothing_and_in_order(api, mpp_counters, citizen):
    now = timezone.now()
    first = SessionFactory(service_point=mpp_counters[0], starts_at=now + dt.timedelta(hours=1))
    full = SessionFactory(
        service_point=mpp_counters[1], starts_at=now + dt.timedelta(hours=2), quota=0
    )
    api.force_authenticate(citizen)

    refused = api.post(
        f"{BASE}/visit-plans/",
        {"payer": "bpjs", "steps": [{"session": str(first.uuid)}, {"session": str(full.uuid)}]},
    )
    backwards = api.post(
        f"{BASE}/visit-plans/",
        {"payer": "bpjs", "steps": [{"session": str(full.uuid)}, {"session": str(first.uuid)}]},
    )

    assert (refused.status_code, errors(refused)) == (409, ["quota_full"])
    assert (backwards.status_code, errors(backwards)) == (400, ["plan_out_of_order"])
    assert Ticket.objects.count() == 0
    first.refresh_from_db()
    assert (first.last_number, first.taken_count) == (0, 0)


@pytest.mark.parametrize(
    ("path", "query", "attr", "code"),
    [
        ("facilities/", "kind=", "kind", "invalid_choice"),
        ("facilities/", "kind=clinic", "kind", "invalid_choice"),
        ("facilities/", "latitude=&longitude=", "latitude", "invalid"),
        ("sessions/", "service_point=", "service_point", "invalid"),
        ("sessions/", "service_point=not-a-uuid", "service_point", "invalid"),
        ("sessions/", "facility=", "facility", "invalid"),
        ("sessions/", "date_from=", "date_from", "invalid"),
    ],
)
def test_an_empty_or_bad_filter_is_a_400_not_everything(api, session, path, query, attr, code):
    # ``?kind=`` used to be skipped as "no filter" and answered every row (tests/security)
    response = api.get(f"{BASE}/{path}?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert (body["errors"][0]["attr"], body["errors"][0]["code"]) == (attr, code)


def test_an_empty_search_of_staff_tickets_is_still_allowed():
    from django.http import QueryDict

    from health.api.serializers import HealthStaffTicketQuerySerializer

    query = HealthStaffTicketQuerySerializer(data=QueryDict("q="))  # "no search", documented blank
    assert query.is_valid(), query.errors
    assert query.validated_data == {"q": ""}

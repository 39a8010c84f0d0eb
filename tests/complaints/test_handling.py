"""Handling: transitions allowed and refused, re-routing, merge and support, SLA and breaches,
reopen window, rating, notifications to the reporter and supporters."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Category, Complaint, Supporter
from complaints.workflow import State
from services.models import Agency
from services.notifications.models import Notification
from services.uploads.services import document_upload
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, client_for, jpeg, point

URL = "/api/v1/pengaduan/complaints/"
pytestmark = pytest.mark.django_db


def _road(citizen, text="Jalan berlubang", **where):
    return services.complaint_create(
        actor=citizen,
        text=text,
        category=Category.objects.get(code="jalan_rusak"),
        **point(where or INSIDE),
    )


def test_the_handling_agency_walks_it_to_resolution(
    citizen, other_citizen, dpu_officer, django_capture_on_commit_callbacks
):
    complaint = _road(citizen)
    services.complaint_support(actor=other_citizen, complaint=complaint)
    api = client_for(dpu_officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"{URL}{complaint.uuid}/start/", {}, format="json").status_code == 200
    photo = document_upload(owner=dpu_officer, file=jpeg())
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{URL}{complaint.uuid}/resolve/",
            {"public_note": "Lubang sudah ditambal.", "after_photo": str(photo.uuid)},
            format="json",
        )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.RESOLVED
    assert response.json()["public_note"] == "Lubang sudah ditambal."
    # reporter and supporter were told about both changes
    assert Notification.objects.filter(recipient=citizen, event="status_changed").count() == 2
    assert Notification.objects.filter(recipient=other_citizen, event="status_changed").count() == 2
    reporter_api = client_for(citizen)
    assert (
        reporter_api.post(f"{URL}{complaint.uuid}/rate/", {"rating": 5}, format="json").json()[
            "rating"
        ]
        == 5
    )


def test_a_field_category_is_not_resolved_without_an_after_photo(citizen, dpu_officer):
    complaint = _road(citizen)
    response = client_for(dpu_officer).post(
        f"{URL}{complaint.uuid}/resolve/", {"public_note": "Selesai."}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "after_photo_required"
    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED
    assert complaint.resolved_at is None


@pytest.mark.parametrize(
    ("who", "name", "status", "code"),
    [
        ("citizen", "start", 403, "transition_not_allowed"),
        ("dpu_officer", "close", 403, "transition_not_allowed"),
        ("dpu_officer", "provide-information", 403, "transition_not_allowed"),
        ("citizen", "reopen", 409, "invalid_transition"),
    ],
)
def test_refused_transitions_change_nothing(request, citizen, who, name, status, code):
    complaint = _road(citizen)
    before = StatusHistory.objects.count()
    user = request.getfixturevalue(who)
    response = client_for(user).post(f"{URL}{complaint.uuid}/{name}/", {"note": "x"}, format="json")
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code
    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED
    assert StatusHistory.objects.count() == before


def test_staff_of_another_agency_get_404(citizen, dlh_officer):
    complaint = _road(citizen)
    api = client_for(dlh_officer)
    assert api.get(f"{URL}{complaint.uuid}/").status_code == 404
    assert api.post(f"{URL}{complaint.uuid}/start/", {}, format="json").status_code == 404
    assert api.get(URL).json()["results"] == []


def test_another_citizen_gets_404_and_anonymous_401(citizen, other_citizen):
    complaint = _road(citizen)
    assert client_for(other_citizen).get(f"{URL}{complaint.uuid}/").status_code == 404
    assert client_for().get(f"{URL}{complaint.uuid}/").status_code in (401, 403)


def test_the_command_centre_sees_all(citizen, command_centre):
    complaint = _road(citizen)
    assert client_for(command_centre).get(f"{URL}{complaint.uuid}/").status_code == 200


def test_not_ours_moves_the_complaint_with_its_history(
    citizen, dpu_officer, dlh_officer, django_capture_on_commit_callbacks
):
    complaint = _road(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dpu_officer).post(
            f"{URL}{complaint.uuid}/reroute/",
            {"agency": "dlh", "note": "Ini tumpukan sampah, bukan jalan."},
            format="json",
        )
    assert response.status_code == 200, response.json()
    complaint.refresh_from_db()
    assert complaint.agency.code == "dlh"
    assert complaint.state == State.ASSIGNED
    assert client_for(dlh_officer).get(f"{URL}{complaint.uuid}/").status_code == 200
    assert client_for(dpu_officer).get(f"{URL}{complaint.uuid}/").status_code == 404
    notification = Notification.objects.filter(recipient=citizen).latest("id")
    assert "Dinas Lingkungan Hidup" in notification.body["id"]


def test_rerouting_needs_a_note_and_a_known_agency(citizen, dpu_officer):
    complaint = _road(citizen)
    api = client_for(dpu_officer)
    response = api.post(f"{URL}{complaint.uuid}/reroute/", {"agency": "pln", "note": "x"})
    assert response.json()["errors"][0]["code"] == "agency_not_found"
    complaint.refresh_from_db()
    assert complaint.agency.code == "dpu"


def test_the_command_centre_reroutes_any_complaint(citizen, command_centre):
    complaint = _road(citizen)
    services.complaint_reroute(
        actor=command_centre,
        complaint=complaint,
        agency=Agency.objects.get(code="bpbd"),
        note="Genangan, bukan jalan rusak.",
    )
    complaint.refresh_from_db()
    assert complaint.agency.code == "bpbd"
    last = StatusHistory.objects.filter(object_id=complaint.pk).latest("id")
    assert last.actor_role == "system"
    assert command_centre.full_name in last.note


def test_possible_duplicates_within_the_radius(citizen, other_citizen):
    original = _road(citizen)
    near = {"latitude": "-1.265300", "longitude": "116.831000"}  # ~33 m south
    far = {"latitude": "-1.266000", "longitude": "116.831000"}  # ~111 m south
    api = client_for()
    found = api.get(f"{URL}nearby/", {**near, "category": "jalan_rusak"}).json()
    assert [row["tracking_number"] for row in found] == [original.tracking_number]
    assert found[0]["distance_m"] == 33
    assert "reporter" not in found[0]
    assert api.get(f"{URL}nearby/", {**far, "category": "jalan_rusak"}).json() == []
    assert api.get(f"{URL}nearby/", {**near, "category": "sampah"}).json() == []
    empty = api.get(f"{URL}nearby/", {**near, "category": ""})  # not "any category"
    assert empty.status_code == 400 and empty.json()["errors"][0]["attr"] == "category"


def test_the_radius_is_a_setting(citizen, settings):
    original = _road(citizen)
    settings.COMPLAINT_DUPLICATE_RADIUS_M = 150
    found = selectors.nearby_open(latitude="-1.266000", longitude="116.831000")
    assert [c.pk for c in found] == [original.pk]


def test_support_instead_of_duplicating(citizen, other_citizen):
    original = _road(citizen)
    api = client_for(other_citizen)
    url = f"/api/v1/pengaduan/public/complaints/{original.tracking_number}/support/"
    assert api.post(url).status_code == 201
    response = api.post(url)
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "already_supported"
    assert client_for(citizen).post(url).json()["errors"][0]["code"] == "cannot_support_own"
    assert list(Supporter.objects.values_list("user_id", flat=True)) == [other_citizen.pk]


def test_staff_merge_a_duplicate_and_its_people_support_the_original(
    citizen, other_citizen, dpu_officer, django_capture_on_commit_callbacks
):
    original = _road(citizen)
    duplicate = _road(other_citizen, text="Ada lubang besar di jalan")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dpu_officer).post(
            f"{URL}{duplicate.uuid}/merge/", {"into": str(original.uuid)}, format="json"
        )
    assert response.status_code == 200, response.json()
    duplicate.refresh_from_db()
    assert duplicate.state == State.DUPLICATE
    assert duplicate.duplicate_of_id == original.pk
    assert list(original.supporters.values_list("user_id", flat=True)) == [other_citizen.pk]
    merged = Notification.objects.get(recipient=other_citizen, key__contains=":merged:")
    assert original.tracking_number in merged.body["id"]


def test_merging_into_itself_is_refused(citizen, dpu_officer):
    complaint = _road(citizen)
    response = client_for(dpu_officer).post(
        f"{URL}{complaint.uuid}/merge/", {"into": str(complaint.uuid)}, format="json"
    )
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED


def _resolved(citizen, officer):
    complaint = _road(citizen)
    services.complaint_resolve(
        actor=officer,
        complaint=complaint,
        public_note="Selesai.",
        after_photo=document_upload(owner=officer, file=jpeg()).uuid,
    )
    return complaint


def test_reopen_within_the_window_restarts_the_clock(citizen, dpu_officer):
    complaint = _resolved(citizen, dpu_officer)
    response = client_for(citizen).post(
        f"{URL}{complaint.uuid}/reopen/", {"note": "Masih berlubang."}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["state"] == State.ASSIGNED
    assert response.json()["resolved_at"] is None


def test_reopen_after_the_window_is_refused(citizen, dpu_officer, time_machine=None):
    complaint = _resolved(citizen, dpu_officer)
    Complaint.objects.filter(pk=complaint.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=8)
    )
    response = client_for(citizen).post(f"{URL}{complaint.uuid}/reopen/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "reopen_window_passed"
    complaint.refresh_from_db()
    assert complaint.state == State.RESOLVED


def test_resolved_complaints_close_after_the_confirmation_window(citizen, dpu_officer):
    complaint = _resolved(citizen, dpu_officer)
    assert services.complaints_close_confirmed() == 0
    later = timezone.now() + dt.timedelta(days=8)
    assert services.complaints_close_confirmed(now=later) == 1
    complaint.refresh_from_db()
    assert complaint.state == State.CLOSED


def test_sla_due_times_follow_the_working_calendar(citizen):
    # Wednesday 2026-11-25 10:00 WITA (02:00 UTC); jalan_rusak: 8 working hours, 10 working days.
    from unittest import mock

    start = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=start):
        complaint = _road(citizen)
    assert complaint.response_due_at > start
    assert complaint.resolution_due_at - start >= dt.timedelta(days=14)  # two weekends skipped


def test_breaches_are_marked_once_and_escalated(
    citizen, dpu_officer, dpu_admin, command_centre, django_capture_on_commit_callbacks
):
    complaint = _road(citizen)
    later = complaint.resolution_due_at + dt.timedelta(minutes=1)
    assert services.complaints_mark_breached(now=complaint.resolution_due_at) == 0
    assert services.complaints_mark_breached(now=later) == 1
    assert services.complaints_mark_breached(now=later) == 0
    complaint.refresh_from_db()
    assert complaint.is_breached is True
    notified = set(
        Notification.objects.filter(key__contains=":breach:").values_list("recipient", flat=True)
    )
    assert notified == {dpu_admin.pk, command_centre.pk}
    assert [c.pk for c in selectors.overdue_for(user=dpu_officer, now=later)] == [complaint.pk]
    assert list(selectors.overdue_for(user=dpu_officer, now=complaint.created_at)) == []


def test_the_reporter_rates_once_after_resolution(citizen, dpu_officer):
    complaint = _road(citizen)
    api = client_for(citizen)
    assert api.post(f"{URL}{complaint.uuid}/rate/", {"rating": 4}).status_code == 409
    services.complaint_resolve(
        actor=dpu_officer,
        complaint=complaint,
        public_note="Selesai.",
        after_photo=document_upload(owner=dpu_officer, file=jpeg()).uuid,
    )
    assert api.post(f"{URL}{complaint.uuid}/rate/", {"rating": 6}).status_code == 400
    assert (
        api.post(f"{URL}{complaint.uuid}/rate/", {"rating": 4, "comment": "Cepat"}).status_code
        == 200
    )
    assert api.post(f"{URL}{complaint.uuid}/rate/", {"rating": 1}).status_code == 409
    complaint.refresh_from_db()
    assert (complaint.rating, complaint.rating_comment) == (4, "Cepat")

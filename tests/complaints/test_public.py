"""Transparency: the public tracking page and dashboard carry no personal data; figures checked
against hand-computed values; query counts of the lists at two sizes."""

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints import selectors, services, tasks
from complaints.models import Category, Complaint
from services.uploads.services import document_upload
from tests.complaints.conftest import INSIDE, client_for, jpeg, point

pytestmark = pytest.mark.django_db


def test_public_text_removes_personal_data():
    text = (
        "Saya Siti Rahmawati NIK 6471054107990042, hp 0812-3456-7890 atau +6281234567890, "
        "email siti@example.com"
    )
    assert selectors.public_text(text, names=("Siti Rahmawati",)) == (
        "Saya [nama] NIK [NIK], hp [telepon] atau [telepon], email [email]"
    )


def test_the_public_tracking_page_has_no_personal_data(citizen):
    complaint = services.complaint_create(
        actor=citizen,
        text="Saya Siti Rahmawati (081234567890) melapor jalan berlubang",
        category=Category.objects.get(code="jalan_rusak"),
        contact_phone="081299998888",
        **point(INSIDE),
    )
    response = client_for().get(f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/")
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Saya [nama] ([telepon]) melapor jalan berlubang"
    assert (body["latitude"], body["longitude"]) == (-1.265, 116.831)
    dumped = json.dumps(body)
    for secret in ("Siti", "081234567890", "081299998888", citizen.email, str(complaint.uuid)):
        assert secret not in dumped
    assert (
        client_for().get("/api/v1/pengaduan/public/complaints/ADU-2026-999999/").status_code == 404
    )


def test_staff_see_the_reporter_only_when_allowed(citizen, dpu_officer):
    road = Category.objects.get(code="jalan_rusak")
    hidden = services.complaint_create(actor=citizen, text="a", category=road, **point(INSIDE))
    shown = services.complaint_create(
        actor=citizen, text="b", category=road, identity_visible_to_agency=True, **point(INSIDE)
    )
    anonymous = services.complaint_create(
        actor=citizen,
        text="c",
        category=road,
        is_anonymous=True,
        identity_visible_to_agency=True,
        **point(INSIDE),
    )
    api = client_for(dpu_officer)
    names = {
        c.pk: api.get(f"/api/v1/pengaduan/complaints/{c.uuid}/").json()["reporter_name"]
        for c in (hidden, shown, anonymous)
    }
    assert names == {hidden.pk: None, shown.pk: "Siti Rahmawati", anonymous.pk: None}
    assert (
        client_for(citizen)
        .get(f"/api/v1/pengaduan/complaints/{hidden.uuid}/")
        .json()["reporter_name"]
        == "Siti Rahmawati"
    )


def test_dashboard_figures_against_hand_computed_values(citizen, dpu_officer, dlh_officer):
    road = Category.objects.get(code="jalan_rusak")
    waste = Category.objects.get(code="sampah")
    a = services.complaint_create(actor=citizen, text="a", category=road, **point(INSIDE))
    b = services.complaint_create(actor=citizen, text="b", category=road, **point(INSIDE))
    services.complaint_create(actor=citizen, text="c", category=waste, **point(INSIDE))
    services.complaint_create(actor=citizen, text="tolong", **point(INSIDE))  # triage queue
    for complaint in (a, b):
        services.complaint_resolve(
            actor=dpu_officer,
            complaint=complaint,
            public_note="Selesai.",
            after_photo=document_upload(owner=dpu_officer, file=jpeg()).uuid,
        )
    # a: resolved 10 h after filing, on time; b: 30 h after, after its due time
    now = timezone.now()
    Complaint.objects.filter(pk=a.pk).update(
        created_at=now - dt.timedelta(hours=10),
        resolved_at=now,
        resolution_due_at=now + dt.timedelta(days=1),
        rating=4,
    )
    Complaint.objects.filter(pk=b.pk).update(
        created_at=now - dt.timedelta(hours=30),
        resolved_at=now,
        resolution_due_at=now - dt.timedelta(hours=1),
        rating=2,
    )
    cache.clear()
    data = client_for().get("/api/v1/pengaduan/public/dashboard/").json()
    assert data["total"] == 4
    months = Counter(
        f"{timezone.localtime(c):%Y-%m}"
        for c in Complaint.objects.values_list("created_at", flat=True)
    )  # one month, or two when run in the first 30 hours of a month
    assert data["by_month"] == [{"month": m, "count": months[m]} for m in sorted(months)]
    assert data["by_state"] == [
        {"state": "assigned", "count": 1},
        {"state": "received", "count": 1},
        {"state": "resolved", "count": 2},
    ]
    road_months = sorted(
        {
            f"{timezone.localtime(c):%Y-%m}"
            for c in Complaint.objects.filter(pk__in=[a.pk, b.pk]).values_list(
                "created_at", flat=True
            )
        }
    )

    def group(code, name, count, **figures):
        values = {
            "resolved": 0,
            "median_response_hours": None,
            "median_resolution_hours": None,
            "sla_compliance": None,
            "average_rating": None,
        }
        values.update(figures)
        return {"code": code, "name": name, "count": count, **values, "by_month": road_months}

    def strip(rows):  # the month split depends on when the test runs: checked once above
        return [{**row, "by_month": [m["month"] for m in row["by_month"]]} for row in rows]

    road_figures = {
        "resolved": 2,
        "median_response_hours": 20.0,  # first response = resolution: 10 h and 30 h
        "median_resolution_hours": 20.0,
        "sla_compliance": 0.5,
        "average_rating": 3.0,
    }
    assert strip(data["by_category"])[0] == group("jalan_rusak", "Jalan rusak", 2, **road_figures)
    assert [(r["code"], r["count"]) for r in data["by_category"]] == [
        ("jalan_rusak", 2),
        ("", 1),
        ("sampah", 1),
    ]
    assert strip(data["by_agency"])[0] == group("dpu", "DPU", 2, **road_figures)
    assert [(r["code"], r["count"], r["sla_compliance"]) for r in data["by_agency"]] == [
        ("dpu", 2, 0.5),
        ("diskominfo", 1, None),
        ("dlh", 1, None),
    ]
    assert [(r["name"], r["count"]) for r in data["by_kelurahan"]] == [("Prapatan", 4)]
    assert data["resolved"] == 2
    assert data["sla_compliance"] == 0.5
    assert data["median_resolution_hours"] == 20.0
    assert data["average_rating"] == 3.0
    assert "Siti" not in json.dumps(data)


def _file(citizen, n):
    road = Category.objects.get(code="jalan_rusak")
    for i in range(n):
        services.complaint_create(actor=citizen, text=f"lubang {i}", category=road, **point(INSIDE))


def test_a_citizen_pages_through_their_own_complaints_once_each_newest_first(
    citizen, other_citizen
):
    _file(citizen, 5)
    _file(other_citizen, 2)
    api = client_for(citizen)

    seen, url = [], "/api/v1/pengaduan/complaints/?page_size=2"
    while url:
        body = api.get(url).json()
        assert "count" not in body and len(body["results"]) <= 2
        seen += [item["tracking_number"] for item in body["results"]]
        url = body["next"]

    own = Complaint.objects.filter(reporter=citizen).order_by("-created_at", "-id")
    assert seen == [c.tracking_number for c in own]
    bad = api.get("/api/v1/pengaduan/complaints/", {"cursor": "junk"})
    assert (bad.status_code, [e["attr"] for e in bad.json()["errors"]]) == (400, ["cursor"])


@pytest.mark.parametrize("size", [1, 10])
def test_reporter_list_query_count(citizen, size, django_assert_num_queries):
    _file(citizen, size)
    api = client_for(citizen)
    with django_assert_num_queries(2):
        # 1. is the module switched off? (platform middleware); 2. the page (a cursor, no
        # count) with category, agency, kelurahan, reporter joined
        response = api.get("/api/v1/pengaduan/complaints/")
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_staff_list_query_count(citizen, dpu_officer, size, django_assert_num_queries):
    _file(citizen, size)
    api = client_for(dpu_officer)
    with django_assert_num_queries(4):
        # 1. is the module switched off? (platform middleware); 2. is the user in the command
        # centre? 3. the page (a cursor, no count; their agencies as a subquery) with its
        # joins; 4. the officer's authenticator app (staff need 2FA, accounts.mfa)
        response = api.get("/api/v1/pengaduan/complaints/")
    assert len(response.json()["results"]) == size


@pytest.mark.parametrize("size", [1, 10])
def test_nearby_query_count(citizen, size, django_assert_num_queries):
    _file(citizen, size)
    with django_assert_num_queries(4):
        # 1. is the module switched off? (platform middleware); 2. the category by its code;
        # 3. open complaints in the bounding box, with category, agency, kelurahan, reporter;
        # 4. their blurred public photos (one prefetch)
        response = client_for().get(
            "/api/v1/pengaduan/complaints/nearby/", {**INSIDE, "category": "jalan_rusak"}
        )
    assert len(response.json()) == size


def _mixed(citizen):
    road = Category.objects.get(code="jalan_rusak")
    flood = Category.objects.get(code="banjir")
    services.complaint_create(
        actor=citizen, text="Jalan rusak, hubungi 081234567890", category=road, **point(INSIDE)
    )
    services.complaint_create(actor=citizen, text="Banjir", category=flood, **point(INSIDE))
    services.complaint_create(
        actor=citizen,
        text="Genangan",
        category=flood,
        latitude=Decimal("-1.245000"),
        longitude=Decimal("116.910000"),
    )


def test_the_public_list_filters_and_hides_personal_data(citizen):
    _mixed(citizen)
    api = client_for()
    rows = api.get("/api/v1/pengaduan/public/complaints/", {"category": "lingkungan"}).json()
    assert rows["count"] == 2
    assert {r["category"] for r in rows["results"]} == {"banjir"}
    rows = api.get("/api/v1/pengaduan/public/complaints/", {"kelurahan": "64.71.05.1008"}).json()[
        "results"
    ]
    assert [r["text"] for r in rows] == ["Genangan"]
    assert api.get("/api/v1/pengaduan/public/complaints/", {"state": "nope"}).status_code == 400
    assert "081234567890" not in json.dumps(api.get("/api/v1/pengaduan/public/complaints/").json())


def test_open_data_export_csv_and_json(citizen):
    _mixed(citizen)
    api = client_for()
    as_json = api.get("/api/v1/pengaduan/public/export/").json()
    assert len(as_json) == 3
    response = api.get("/api/v1/pengaduan/public/export/", {"output": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == (
        "tracking_number,state,state_label,category,agency,kelurahan,text,public_note,"
        "latitude,longitude,created_at,resolved_at,photos"
    )
    assert len(lines) == 4
    assert "[telepon]" in response.content.decode()
    assert citizen.full_name not in response.content.decode()


def test_flood_hotspots_by_kelurahan_and_grid(citizen):
    _mixed(citizen)
    data = client_for().get("/api/v1/pengaduan/public/hotspots/").json()
    assert data["grid_m"] == 500
    assert data["by_kelurahan"] == [
        {"code": "64.71.05.1008", "name": "Sepinggan Baru", "count": 1},
        {"code": "64.71.06.1001", "name": "Prapatan", "count": 1},
    ]
    assert sorted(cell["count"] for cell in data["grid"]) == [1, 1]


@pytest.mark.parametrize("size", [1, 10])
def test_public_list_query_count(citizen, size, django_assert_num_queries):
    _file(citizen, size)
    with django_assert_num_queries(4):
        # 1. is the module switched off? (platform middleware); 2. count for the pagination;
        # 3. the page with category, agency, kelurahan and reporter (for name removal) joined;
        # 4. the blurred public photos of the page (one prefetch)
        response = client_for().get("/api/v1/pengaduan/public/complaints/")
    assert response.json()["count"] == size


def test_the_dashboard_is_recomputed_by_the_beat_task_not_by_requests(citizen):
    """A cached dashboard is served as is (no request pays the computation over the whole table);
    the beat task brings in new complaints."""
    services.complaint_create(actor=citizen, text="a", **point(INSIDE))
    cache.clear()
    anonymous = client_for()
    assert anonymous.get("/api/v1/pengaduan/public/dashboard/").json()["total"] == 1
    services.complaint_create(actor=citizen, text="b", **point(INSIDE))
    with CaptureQueriesContext(connection) as queries:
        assert anonymous.get("/api/v1/pengaduan/public/dashboard/").json()["total"] == 1
    assert not [q for q in queries.captured_queries if "complaints_complaint" in q["sql"]]
    assert tasks.complaints_refresh_dashboard.delay().get() == 2
    assert anonymous.get("/api/v1/pengaduan/public/dashboard/").json()["total"] == 2


def test_the_rendered_dashboard_is_served_until_the_next_computation(citizen):
    """A poll is answered with the body rendered for the current computation; a new computation
    (another generation) is rendered afresh, and the answer is the serializer's output."""
    from complaints import selectors
    from complaints.api import serializers as s

    services.complaint_create(actor=citizen, text="a", **point(INSIDE))
    cache.clear()
    anonymous = client_for()
    first = anonymous.get("/api/v1/pengaduan/public/dashboard/")
    assert first.status_code == 200 and first["Content-Type"] == "application/json"
    assert first.json() == json.loads(
        json.dumps(s.ComplaintDashboardSerializer(selectors.public_dashboard()).data, default=str)
    )
    generation = selectors.public_dashboard_generation()
    cache.delete(selectors.DASHBOARD_CACHE_KEY)  # the poll no longer needs the data itself
    assert anonymous.get("/api/v1/pengaduan/public/dashboard/").json() == first.json()
    selectors.refresh_public_dashboard()
    assert selectors.public_dashboard_generation() != generation

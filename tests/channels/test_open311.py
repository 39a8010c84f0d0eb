"""Open311 GeoReport v2: every endpoint in JSON and XML, each error case with the spec's error
format and status code, a POST then GET round trip, the JSON Schemas of open311/schema-validation,
no personal data in GET answers, and query-count bounds on the lists."""

import datetime as dt
import gzip
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from django.utils import timezone

from channels.models import Partner, ServiceAttribute, ServiceRequest
from channels.open311.services import partner_create
from complaints.models import Category, Channel, Complaint
from services.workflow import StatusHistory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "open311-georeport-v2"
BASE = "/open311/v2"
INSIDE = {"lat": "-1.2654", "long": "116.8312"}


def schema(name: str) -> dict:
    document = json.loads((SCHEMAS / name).read_text())
    if name in ("services.json", "requests.json"):
        item = json.loads((SCHEMAS / document["items"]["$ref"]).read_text())
        document = {"type": "array", "items": item}
    return document


def _validate(data, name):
    if SCHEMAS.exists():
        jsonschema.validate(data, schema(name))


@pytest.fixture
def partner(seeded):
    partner, key = partner_create(name="Aplikasi Mitra", contact_email="mitra@example.org")
    partner.key = key
    return partner


@pytest.fixture
def genangan(seeded):
    category = Category.objects.get(code="banjir")
    ServiceAttribute.objects.create(
        category=category,
        code="KEDALAMAN",
        datatype="singlevaluelist",
        required=True,
        description="Perkiraan kedalaman air",
        order=1,
        values=[
            {"key": "SEMATA-KAKI", "name": "Semata kaki (< 10 cm)"},
            {"key": "SELUTUT", "name": "Selutut (10–50 cm)"},
        ],
    )
    ServiceAttribute.objects.create(
        category=category,
        code="INFO",
        variable=False,
        datatype="text",
        description="Laporan darurat banjir: hubungi 112.",
        order=2,
    )
    return category


def get(path, **params):
    return Client().get(f"{BASE}/{path}", params, HTTP_ACCEPT_LANGUAGE="en")


def post(data, fmt="json"):
    return Client().post(f"{BASE}/requests.{fmt}", data, HTTP_ACCEPT_LANGUAGE="en")


def request_data(partner, **overrides):
    data = {
        "api_key": partner.key,
        "jurisdiction_id": "balikpapan.go.id",
        "service_code": "banjir",
        **INSIDE,
        "address_string": "Jl. Jend. Sudirman, Klandasan Ilir",
        "email": "warga@example.org",
        "first_name": "Warga",
        "last_name": "Uji",
        "phone": "6281234567890",
        "description": "Air setinggi lutut sejak pagi",
        "media_url": "https://example.org/foto/1.jpg",
        "attribute[KEDALAMAN]": "SELUTUT",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


# --- discovery, services, definitions ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/open311/discovery", "/open311/v2/discovery"])
def test_discovery_in_both_formats(seeded, path):
    data = Client().get(f"{path}.json").json()
    assert data["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2"
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = xml(Client().get(f"{path}.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_complaint_categories(genangan, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the categories with their parent and attribute flag
        response = get("services.json", jurisdiction_id="balikpapan.go.id")
    data = response.json()
    _validate(data, "services.json")
    codes = {s["service_code"]: s for s in data}
    assert set(codes) == set(Category.objects.filter(is_active=True).values_list("code", flat=True))
    assert codes["banjir"]["metadata"] is True and codes["jalan_rusak"]["metadata"] is False
    assert codes["banjir"]["group"] == "lingkungan"
    assert codes["banjir"]["type"] == "realtime"
    root = xml(get("services.xml"))
    assert root.tag == "services"
    assert len(root.findall("service")) == len(data)
    banjir = next(s for s in root.findall("service") if s.findtext("service_code") == "banjir")
    assert banjir.findtext("metadata") == "true"


def test_service_definition_in_both_formats(genangan):
    data = get("services/banjir.json").json()
    _validate(data, "service-definition.json")
    assert data["service_code"] == "banjir"
    assert [a["code"] for a in data["attributes"]] == ["KEDALAMAN", "INFO"]
    assert data["attributes"][0]["values"][1] == {"key": "SELUTUT", "name": "Selutut (10–50 cm)"}
    root = xml(get("services/banjir.xml"))
    assert root.tag == "service_definition"
    assert [a.findtext("code") for a in root.findall("attributes/attribute")] == [
        "KEDALAMAN",
        "INFO",
    ]
    assert root.findtext("attributes/attribute/values/value/key") == "SEMATA-KAKI"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_code_is_404_in_the_spec_error_format(seeded, fmt):
    response = get(f"services/tidak-ada.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [{"code": 404, "description": "service_code tidak-ada not found"}]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404"
        assert root.findtext("error/description") == "service_code tidak-ada not found"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_jurisdiction_is_404(seeded, fmt):
    response = get(f"services.{fmt}", jurisdiction_id="samarinda.go.id")
    assert response.status_code == 404


def test_an_unknown_format_is_404(seeded):
    assert Client().get(f"{BASE}/services.csv").status_code == 404


# --- POST ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_then_get_round_trip(genangan, partner, fmt):
    response = post(request_data(partner), fmt)
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    if fmt == "json":
        created = response.json()
        assert list(created[0]) == ["service_request_id", "service_notice", "account_id"]
        request_id = created[0]["service_request_id"]
    else:
        root = xml(response)
        assert root.tag == "service_requests"
        request_id = root.findtext("request/service_request_id")
    assert request_id == complaint.tracking_number
    assert complaint.channel == Channel.OPEN311
    assert complaint.category.code == "banjir"
    assert complaint.agency.code == "bpbd"  # the category's routing and SLA
    assert complaint.resolution_due_at is not None
    assert complaint.contact_phone == "+6281234567890"
    assert "Selutut (10–50 cm)" in complaint.text
    posted = ServiceRequest.objects.get()
    assert posted.partner == partner and posted.attributes == {"KEDALAMAN": "SELUTUT"}

    data = get(f"requests/{request_id}.json").json()
    _validate(data, "requests.json")
    assert len(data) == 1
    item = data[0]
    assert item["service_request_id"] == request_id
    assert item["status"] == "open"
    assert item["service_code"] == "banjir"
    assert item["media_url"] == "https://example.org/foto/1.jpg"
    assert item["lat"] == -1.265 and item["long"] == 116.831
    assert item["expected_datetime"].endswith("+08:00")
    # nothing personal in the answer
    text = json.dumps(data)
    for personal in ("warga@example.org", "6281234567890", "Warga", "Uji"):
        assert personal not in text
    root = xml(get(f"requests/{request_id}.xml"))
    assert root.findtext("request/service_request_id") == request_id
    assert root.findtext("request/status") == "open"
    assert any(r["service_request_id"] == request_id for r in get("requests.json").json())


def test_a_partner_that_answers_with_tokens(genangan, partner):
    Partner.objects.filter(pk=partner.pk).update(answers_with_token=True)
    created = post(request_data(partner)).json()[0]
    assert "service_request_id" not in created
    token = created["token"]
    data = get(f"tokens/{token}.json").json()
    assert data == [{"service_request_id": Complaint.objects.get().tracking_number, "token": token}]
    root = xml(get(f"tokens/{token}.xml"))
    assert root.findtext("request/token") == token
    assert get("tokens/00000000-0000-0000-0000-000000000000.json").status_code == 404
    assert get("tokens/not-a-token.xml").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "status", "description"),
    [
        ({"api_key": None}, 403, "Invalid api_key received -- can't proceed with create_request."),
        (
            {"api_key": "wrong"},
            403,
            "Invalid api_key received -- can't proceed with create_request.",
        ),
        ({"service_code": "GENANGANX"}, 404, "service_code GENANGANX not found"),
        ({"service_code": None}, 400, "service_code is required"),
        (
            {"lat": None, "long": None, "address_string": None},
            400,
            "A full location parameter must be submitted: lat & long, address_string or address_id",
        ),
        (
            {"long": None, "address_string": None},
            400,
            "A full location parameter must be submitted: lat & long, address_string or address_id",
        ),
        ({"lat": "abc"}, 400, "lat and long must be decimal numbers (WGS84)"),
        (
            {"lat": None, "long": None, "address_string": None, "address_id": "A1"},
            400,
            "address_id is not supported here: send lat & long or address_string",
        ),
        (
            {"lat": "-1.40", "long": "116.90"},
            400,
            "This location is outside the city of Balikpapan.",
        ),
        ({"description": "x" * 4001}, 400, "description is longer than 4000 characters"),
        ({"attribute[KEDALAMAN]": None}, 400, "attribute[KEDALAMAN] is required"),
        (
            {"attribute[KEDALAMAN]": "DALAM"},
            400,
            "attribute[KEDALAMAN] has an invalid value: DALAM",
        ),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url is not a valid http(s) URL"),
        ({"email": "not-an-email"}, 400, "email is not a valid address"),
        ({"phone": "12"}, 400, "phone is not a valid phone number"),
        ({"jurisdiction_id": "samarinda.go.id"}, 404, "jurisdiction_id samarinda.go.id not found"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_errors_write_nothing(genangan, partner, overrides, status, description, fmt):
    response = post(request_data(partner, **overrides), fmt)
    assert response.status_code == status
    if fmt == "json":
        assert {"code": status, "description": description} in response.json()
    else:
        root = xml(response)
        assert description in [e.findtext("description") for e in root.findall("error")]
    assert Complaint.objects.count() == 0
    assert ServiceRequest.objects.count() == 0
    assert StatusHistory.objects.count() == 0


def test_several_errors_are_reported_together(genangan, partner):
    response = post(request_data(partner, email="x", phone="12"))
    assert response.status_code == 400
    assert len(response.json()) == 2


def test_contact_fields_are_optional_as_in_the_spec(genangan, partner):
    """GeoReport v2 makes phone, email and names optional: such a request is filed with no
    reporter and no contact, and the partner reads its progress back with GET."""
    response = post(request_data(partner, phone=None, email=None, first_name=None, last_name=None))
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.reporter is None and complaint.contact_phone == ""
    assert complaint.channel == "open311"
    assert get(f"requests/{complaint.tracking_number}.json").status_code == 200


def test_an_inactive_partner_is_refused(genangan, partner):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    assert post(request_data(partner)).status_code == 403


def test_address_string_naming_a_kelurahan_is_enough(genangan, partner):
    response = post(request_data(partner, lat=None, long=None))
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.kelurahan.name == "Klandasan Ilir" and complaint.latitude is None
    item = get(f"requests/{complaint.tracking_number}.json").json()[0]
    assert item["lat"] is None and "Klandasan Ilir" in item["address"]


def test_posts_per_key_are_limited(genangan, partner, settings):
    settings.OPEN311_POSTS_PER_HOUR = 1
    assert post(request_data(partner)).status_code == 201
    assert post(request_data(partner)).status_code == 429
    assert Complaint.objects.count() == 1


# --- GET requests ------------------------------------------------------------------------------------


def _complaints(n, partner, **overrides):
    return [
        post(request_data(partner, **overrides)).json()[0]["service_request_id"] for _ in range(n)
    ]


def test_requests_filters(genangan, partner):
    first, second = _complaints(2, partner)
    other = _complaints(1, partner, **{"service_code": "sampah", "attribute[KEDALAMAN]": None})[0]
    Complaint.objects.filter(tracking_number=second).update(state="closed")
    ids = lambda response: {r["service_request_id"] for r in response.json()}  # noqa: E731
    assert ids(get("requests.json")) == {first, second, other}
    assert ids(get("requests.json", service_code="banjir")) == {first, second}
    assert ids(get("requests.json", status="open")) == {first, other}
    assert ids(get("requests.json", status="closed")) == {second}
    assert ids(get("requests.json", status="open,closed")) == {first, second, other}
    # service_request_id overrides every other filter
    assert ids(get("requests.json", service_request_id=f"{second},{other}", status="open")) == {
        second,
        other,
    }
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).isoformat()
    assert ids(get("requests.json", start_date=tomorrow)) == set()
    long_ago = (timezone.localtime() - dt.timedelta(days=100)).isoformat()
    assert ids(get("requests.json", end_date=long_ago)) == set()
    root = xml(get("requests.xml", status="closed"))
    assert [r.findtext("status") for r in root.findall("request")] == ["closed"]


def test_requests_default_to_the_last_90_days(genangan, partner):
    old, recent = _complaints(2, partner)
    Complaint.objects.filter(tracking_number=old).update(
        created_at=timezone.now() - dt.timedelta(days=91)
    )
    assert [r["service_request_id"] for r in get("requests.json").json()] == [recent]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"status": "pending"}, "status must be open, closed or both"),
        ({"start_date": "yesterday"}, "start_date is not an ISO 8601 date and time"),
        (
            {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-05-01T00:00:00+08:00"},
            "start_date and end_date may be at most 90 days apart",
        ),
        (
            {"start_date": "2026-05-01T00:00:00+08:00", "end_date": "2026-01-01T00:00:00+08:00"},
            "end_date is before start_date",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_query_errors_are_400(seeded, params, description, fmt):
    response = get(f"requests.{fmt}", **params)
    assert response.status_code == 400
    if fmt == "json":
        assert response.json() == [{"code": 400, "description": description}]
    else:
        assert xml(response).findtext("error/description") == description


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_is_404(seeded, fmt):
    response = get(f"requests/ADU-2026-999999.{fmt}")
    assert response.status_code == 404
    if fmt == "xml":
        assert xml(response).findtext("error/description") == "service_request_id not found"


def test_requests_of_every_channel_are_listed_without_personal_data(genangan, partner):
    from complaints.services import complaint_create
    from tests.factories import UserFactory

    reporter = UserFactory(full_name="Siti Rahmawati")
    complaint = complaint_create(
        actor=reporter,
        text="Siti Rahmawati: banjir di depan rumah, hubungi 081234567890 atau siti@example.org",
        latitude=Decimal("-1.265400"),
        longitude=Decimal("116.831200"),
        category=genangan,
    )
    item = get(f"requests/{complaint.tracking_number}.json").json()[0]
    assert "Siti" not in item["description"]
    assert (
        "081234567890" not in item["description"] and "siti@example.org" not in item["description"]
    )
    assert item["media_url"] is None


def _reported(n, category, **values):
    """``n`` complaints filed in the app by citizens (each with a reporter, whose name the list
    cleans the texts of)."""
    from complaints.services import complaint_create
    from tests.factories import UserFactory

    return [
        complaint_create(
            actor=UserFactory(full_name=f"Warga Nomor {i}"),
            text=values.get("text", "Air naik di depan rumah"),
            latitude=Decimal("-1.265400"),
            longitude=Decimal("116.831200"),
            category=category,
        )
        for i in range(n)
    ]


def test_request_list_query_count_does_not_grow(genangan, partner, django_assert_num_queries):
    made = 0
    counts = {}
    for size in (1, 10, 50):
        _complaints((size - made) // 2, partner)  # filed by Open311 (no reporter)
        _reported(size - made - (size - made) // 2, genangan)  # filed by citizens
        made = size
        # the requests (one query, joined with category, agency, kelurahan and Open311 request);
        # the names of their reporters (cleaned from the texts)
        with django_assert_num_queries(2) as captured:
            response = get("requests.json")
        assert len(response.json()) == size
        counts[size] = len(captured.captured_queries)
    assert counts == {1: 2, 10: 2, 50: 2}


# --- the shared cache of requests lists ------------------------------------------------------------


def test_a_cached_answer_equals_a_fresh_one_and_costs_no_query(
    genangan, partner, settings, django_assert_num_queries
):
    _complaints(2, partner)
    _reported(2, genangan, text="Siti Rahmawati melapor: hubungi 081234567890")
    for fmt in ("json", "xml"):
        first = get(f"requests.{fmt}")
        with django_assert_num_queries(0):  # the read limit and the answer are in the cache
            cached = get(f"requests.{fmt}")
        assert cached.status_code == 200
        assert cached["Content-Type"] == first["Content-Type"]
        assert cached.content == first.content
    settings.OPEN311_CACHE_SECONDS = 0  # not cached: built afresh every time
    for fmt in ("json", "xml"):
        with django_assert_num_queries(2):
            fresh = get(f"requests.{fmt}")
        assert fresh.content == get(f"requests.{fmt}").content
    assert fresh.content == first.content
    root = xml(fresh)
    assert len(root.findall("request")) == 4
    assert "081234567890" not in fresh.content.decode()
    _validate(get("requests.json").json(), "requests.json")


def test_a_new_or_changed_complaint_shows_on_the_next_read(genangan, partner):
    from complaints.services import complaint_reject
    from services.workflow import transition_perform
    from tests.factories import StaffFactory

    first = _complaints(1, partner)[0]
    listed = lambda: {r["service_request_id"]: r for r in get("requests.json").json()}  # noqa: E731
    assert list(listed()) == [first]
    second = _complaints(1, partner)[0]  # filed through Open311
    citizen = _reported(1, genangan)[0]  # filed in the app
    assert set(listed()) == {first, second, citizen.tracking_number}

    staff = StaffFactory(role="counter_officer", role__agency=citizen.agency)
    complaint_reject(actor=staff, complaint=citizen, note="Bukan wewenang kami")
    item = listed()[citizen.tracking_number]
    citizen.refresh_from_db()
    assert item["status"] == "closed"
    assert item["updated_datetime"] == timezone.localtime(citizen.state_changed_at).isoformat(
        timespec="seconds"
    )

    duplicate = Complaint.objects.get(tracking_number=second)
    transition_perform(obj=duplicate, name="mark_duplicate", actor=None)
    assert set(listed()) == {first, citizen.tracking_number}

    complaint = Complaint.objects.get(tracking_number=first)
    complaint.public_note = "Tim sudah dijadwalkan."
    complaint.save(update_fields=["public_note"])
    assert listed()[first]["status_notes"] == "Tim sudah dijadwalkan."


def test_a_cached_answer_is_sent_gzipped_to_clients_that_accept_it(genangan, partner, client):
    _complaints(3, partner)
    plain = get("requests.json")  # fills the cache; this client sent no Accept-Encoding
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    for accepted in ("gzip", "br, gzip;q=0.5, deflate", "GZIP"):
        packed = client.get(
            "/open311/v2/requests.json", HTTP_ACCEPT_ENCODING=accepted, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
        assert gzip.decompress(packed.content) == plain.content
        assert packed["Content-Type"] == plain["Content-Type"]
    for refused in ("gzip;q=0", "br, deflate", "identity", "gzip;q=nonsense"):
        answer = client.get(
            "/open311/v2/requests.json", HTTP_ACCEPT_ENCODING=refused, HTTP_ACCEPT_LANGUAGE="en"
        )
        assert "Content-Encoding" not in answer and answer.content == plain.content


def test_saving_fields_no_answer_shows_keeps_the_cached_answer(
    genangan, partner, django_assert_num_queries
):
    request_id = _complaints(1, partner)[0]
    before = get("requests.xml").content
    complaint = Complaint.objects.get(tracking_number=request_id)
    complaint.is_breached = True
    complaint.save(update_fields=["is_breached"])
    with django_assert_num_queries(0):
        assert get("requests.xml").content == before


def test_each_query_has_its_own_entry(genangan, partner, django_assert_num_queries):
    first, second = _complaints(2, partner)
    other = _complaints(1, partner, **{"service_code": "sampah", "attribute[KEDALAMAN]": None})[0]
    Complaint.objects.filter(tracking_number=second).update(state="closed")  # no signal: uncached
    ids = lambda response: [r["service_request_id"] for r in response.json()]  # noqa: E731
    assert ids(get("requests.json", status="open")) == [other, first]
    assert ids(get("requests.json", status="closed")) == [second]
    assert ids(get("requests.json", service_code="sampah")) == [other]
    assert ids(get("requests.json", service_request_id=first)) == [first]
    assert ids(get("requests.json", service_request_id=f"{first},{other}")) == [other, first]
    assert ids(get("requests.json", start_date=(timezone.localtime()).isoformat())) == []
    assert len(xml(get("requests.xml", status="closed")).findall("request")) == 1
    with django_assert_num_queries(0):  # the same queries, written differently, share entries
        assert ids(get("requests.json", service_request_id=f" {other},{first} ")) == [other, first]
        assert ids(get("requests.json", status="closed, closed")) == [second]
        assert ids(get("requests.json", service_request_id=first, status="closed")) == [first]
    # both statuses are no filter: the default, not yet cached (the requests; no reporter names
    # to look up for requests filed through Open311)
    with django_assert_num_queries(1):
        assert ids(get("requests.json", status="open,closed")) == [other, second, first]
    with django_assert_num_queries(0):
        assert ids(get("requests.json")) == [other, second, first]


def test_the_default_period_shares_one_entry_within_the_cache_lifetime(settings):
    from channels.open311 import caching

    settings.OPEN311_CACHE_SECONDS = 60
    noon = dt.datetime(2026, 11, 26, 4, 0, 0, tzinfo=dt.UTC)
    starts = {
        caching.default_start(days=90, now=noon + dt.timedelta(seconds=s)) for s in (0, 30, 59)
    }
    assert starts == {noon - dt.timedelta(days=90)}
    assert caching.default_start(days=90, now=noon + dt.timedelta(seconds=60)) == noon - (
        dt.timedelta(days=90) - dt.timedelta(seconds=60)
    )
    settings.OPEN311_CACHE_SECONDS = 0
    moment = noon + dt.timedelta(seconds=59, microseconds=5)
    assert caching.default_start(days=90, now=moment) == moment - dt.timedelta(days=90)


def test_the_read_limit_and_jurisdiction_apply_to_cached_answers(genangan, partner, settings):
    _complaints(1, partner)
    settings.OPEN311_READS_PER_MINUTE = 3
    assert get("requests.json").status_code == 200
    assert get("requests.json").status_code == 200  # from the cache
    response = get("requests.json", jurisdiction_id="elsewhere.example")
    assert response.status_code == 404
    response = get("requests.json")
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_the_cache_is_per_language(genangan, partner):
    _complaints(1, partner)
    english = Client().get(f"{BASE}/requests.json", HTTP_ACCEPT_LANGUAGE="en").json()
    indonesian = Client().get(f"{BASE}/requests.json", HTTP_ACCEPT_LANGUAGE="id").json()
    assert english[0]["service_name"] == genangan.name_en
    assert indonesian[0]["service_name"] == genangan.name_id


def test_a_sensitive_category_is_located_to_about_a_kilometre(genangan, partner):
    genangan.is_sensitive = True
    genangan.save(update_fields=["is_sensitive"])
    request_id = _complaints(1, partner)[0]
    for item in (get("requests.json").json()[0], get(f"requests/{request_id}.json").json()[0]):
        assert (item["lat"], item["long"]) == (-1.27, 116.83)


def test_closed_requests_show_the_public_note(genangan, partner):
    request_id = _complaints(1, partner)[0]
    Complaint.objects.filter(tracking_number=request_id).update(
        state="resolved", public_note="Saluran dibersihkan."
    )
    item = get(f"requests/{request_id}.json").json()[0]
    assert item["status"] == "closed" and item["status_notes"] == "Saluran dibersihkan."


def test_xml_stays_well_formed_with_control_characters(genangan, partner):
    response = post(request_data(partner, description="Air\x0b naik <b>tinggi</b> & deras"))
    request_id = response.json()[0]["service_request_id"]
    root = xml(get(f"requests/{request_id}.xml"))
    assert root.findtext("request/description").startswith("Air naik tinggi & deras")


def test_reads_are_limited_per_client(seeded, settings):
    settings.OPEN311_READS_PER_MINUTE = 2
    assert get("services.json").status_code == 200
    assert get("services.xml").status_code == 200
    response = get("services.json")
    assert response.status_code == 429
    assert response.json()[0]["code"] == 429


def test_demo_partner_and_flood_attributes_are_seeded_once(seeded):
    from channels.seeding import DEMO_API_KEY, seed_demo_channels

    seed_demo_channels()
    seed_demo_channels()
    assert Partner.objects.count() == 1
    definition = get("services/banjir.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["KEDALAMAN", "INFO"]
    demo = type("DemoPartner", (), {"key": DEMO_API_KEY})()
    response = post(request_data(demo))
    assert response.status_code == 201
    assert Complaint.objects.get().channel == "open311"

"""Regressions found by the security suite (tests/security/): the intake channel is the system's
fact, empty query filters are refused, and answers match the documented schema."""

from pathlib import Path

import pytest
import yaml

from complaints.models import Channel, Complaint
from tests.complaints.conftest import INSIDE, client_for

pytestmark = pytest.mark.django_db

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def openapi():
    return yaml.safe_load(SCHEMA.read_text())


# --- 1. the channel ------------------------------------------------------------------------------


@pytest.mark.parametrize("claimed", ["whatsapp", "mpp", "open311", "web", "fax"])
def test_a_citizen_files_through_the_app_whatever_channel_is_sent(citizen, claimed):
    response = client_for(citizen).post(
        "/api/v1/pengaduan/complaints/",
        {"text": "Jalan berlubang", "channel": claimed, **INSIDE},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == Channel.APP
    assert Complaint.objects.get().channel == Channel.APP


def test_the_create_request_documents_no_channel(openapi):
    body = openapi["paths"]["/api/v1/pengaduan/complaints/"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "channel" not in openapi["components"]["schemas"][ref]["properties"]


# --- 2. empty or invalid query filters -----------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/pengaduan/public/complaints/", "until="),
        ("/api/v1/pengaduan/public/complaints/", "since="),
        ("/api/v1/pengaduan/public/complaints/", "until=2026-13-40"),
        ("/api/v1/pengaduan/public/complaints/", "category="),
        ("/api/v1/pengaduan/public/complaints/", "state="),
        ("/api/v1/pengaduan/public/export/", "until="),
        ("/api/v1/pengaduan/public/export/", "since=kemarin"),
        ("/api/v1/pengaduan/public/export/", "output=xml"),
        ("/api/v1/pengaduan/public/export/", "output="),
        ("/api/v1/pengaduan/public/hotspots/", "since="),
        ("/api/v1/pengaduan/public/hotspots/", "since=2026-02-30"),
    ],
)
def test_an_empty_or_invalid_filter_is_a_400_in_the_shared_shape(seeded, url, query):
    response = client_for().get(f"{url}?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["attr"] == query.split("=")[0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/pengaduan/public/complaints/?since=2026-01-01&until=2026-12-31",
        "/api/v1/pengaduan/public/export/?until=2026-12-31&output=csv",
        "/api/v1/pengaduan/public/hotspots/?since=2026-01-01",
    ],
)
def test_valid_filters_are_still_served(seeded, url):
    assert client_for().get(url).status_code == 200


def test_the_public_filters_are_documented_as_validated(openapi):
    params = {
        p["name"]: p["schema"]
        for p in openapi["paths"]["/api/v1/pengaduan/public/complaints/"]["get"]["parameters"]
    }
    assert params["until"]["format"] == "date"
    assert params["category"]["minLength"] == 1
    assert "duplicate" in params["state"]["enum"]


# --- 3. a top-level category has no parent -------------------------------------------------------


def test_a_top_level_category_answers_parent_null_as_documented(seeded, openapi):
    rows = {row["code"]: row for row in client_for().get("/api/v1/pengaduan/categories/").json()}
    assert rows["infrastruktur"]["parent"] is None
    assert openapi["components"]["schemas"]["ComplaintCategory"]["properties"]["parent"]["nullable"]


# --- 4. photo-location without a file ------------------------------------------------------------


def test_photo_location_without_a_file_is_a_documented_validation_error(citizen, openapi):
    response = client_for(citizen).post(
        "/api/v1/pengaduan/photo-location/", {"note": "x"}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert (body["errors"][0]["attr"], body["errors"][0]["code"]) == ("file", "required")
    operation = openapi["paths"]["/api/v1/pengaduan/photo-location/"]["post"]
    ref = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    documented = openapi["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "validation_error" in documented["discriminator"]["mapping"]
    assert "multipart/form-data" in operation["requestBody"]["content"]

"""Bounded resources (issue 11): pages, request bodies, image pixels, upload quota, code SMS.

See docs/security.md, "Bounded resources".
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.test import APIClient

from accounts import sms_cap
from balikpapan_untuk_warga.api.pagination import (
    MAX_PAGE_SIZE,
    StrictCursorPagination,
    StrictLimitOffsetPagination,
)
from civil_registry.demo import demo_png
from services import sms
from services.catalog.models import Category
from services.notifications.models import Notification
from services.uploads.models import Document
from services.uploads.services import document_upload
from tests.factories import UserFactory

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
STRICT = (StrictLimitOffsetPagination, StrictCursorPagination)
APP = "/_allauth/app/v1"

# GET operations answering a bare array, and why that array stays small. A new one fails the test
# below until it is paginated or listed here with its bound.
UNPAGINATED_BOUNDED = {
    "/api/v1/pembayaran/properties/": "the caller's own linked tax objects (a handful)",
    "/api/v1/pencatatan-sipil/requests/{uuid}/history/": "the workflow steps of one request",
    "/api/v1/pencatatan-sipil/types/": "the fixed catalogue of civil-registry request types",
    "/api/v1/pengaduan/categories/": "complaint categories, configured by the city",
    "/api/v1/pengaduan/complaints/{uuid}/notes/": "staff notes on one complaint (staff only)",
    "/api/v1/pengaduan/outside-bodies/": "bodies outside the city government, configured by it",
    "/api/v1/pengaduan/complaints/nearby/": "cut to the nearest MAX_PAGE_SIZE in the view",
    "/api/v1/pengaduan/public/export/": "the open-data export, cut at EXPORT_LIMIT (10 000)",
    "/api/v1/permohonan/applications/{uuid}/history/": "the workflow steps of one application",
    "/api/v1/receipts/keys/": "the city's receipt-signing public keys (a few)",
    "/api/v1/consent-texts/": "the current text of each consent purpose (accounts.consent, a few)",
}


def _schema() -> dict:
    return yaml.safe_load(SCHEMA.read_text())


def _resolved(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return node


# --- every list capped ---------------------------------------------------------------------------


def test_every_list_operation_in_the_schema_is_paginated_and_capped():
    schema = _schema()
    paginated, bare = [], []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        parameters = {p["name"]: p for p in get.get("parameters", []) if "name" in p}
        for content in get["responses"].get("200", {}).get("content", {}).values():
            body = _resolved(schema, content.get("schema", {}))
            if "results" in body.get("properties", {}):
                size = parameters.get("limit") or parameters.get("page_size")
                assert size is not None, f"{path}: a page without a size parameter"
                assert f"At most {MAX_PAGE_SIZE} rows" in size.get("description", ""), path
                paginated.append(path)
            elif body.get("type") == "array":
                bare.append(path)
    assert len(paginated) >= 15
    unknown = sorted(set(bare) - set(UNPAGINATED_BOUNDED))
    assert unknown == [], f"unpaginated list operations without a known bound: {unknown}"


def _drf_views(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _drf_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "cls", None)
            if view is not None:
                yield (
                    prefix + str(pattern.pattern),
                    view,
                    getattr(pattern.callback, "actions", None),
                )


def test_every_generic_list_view_uses_a_strict_paginator():
    lists = []
    for route, view, actions in _drf_views():
        is_list = issubclass(view, ListModelMixin) and (
            actions is None or "list" in actions.values()
        )
        if not (issubclass(view, GenericAPIView) and is_list):
            continue
        lists.append(route)
        path = "/" + re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", route)
        if view.pagination_class is None:
            assert path in UNPAGINATED_BOUNDED, f"{route}: a list without pagination"
        else:
            assert issubclass(view.pagination_class, STRICT), f"{route}: {view.pagination_class}"
    assert lists, "the walk found no list view at all"


@pytest.mark.django_db
def test_a_huge_limit_returns_at_most_100_rows_limit_offset():
    Category.objects.bulk_create(
        Category(slug=f"c{n:03d}", name_id=f"K {n}", name_en=f"C {n}", position=n)
        for n in range(MAX_PAGE_SIZE + 30)
    )
    response = APIClient().get("/api/v1/catalog/categories/", {"limit": "999999999"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == MAX_PAGE_SIZE + 30
    assert len(body["results"]) == MAX_PAGE_SIZE


@pytest.mark.django_db
def test_a_huge_page_size_returns_at_most_100_rows_cursor():
    citizen = UserFactory()
    text = {"id": "Kabar", "en": "News"}
    Notification.objects.bulk_create(
        Notification(
            recipient=citizen,
            event="news",
            key=f"news:{n}",
            topic="news",
            title=text,
            body=text,
            short_body=text,
        )
        for n in range(MAX_PAGE_SIZE + 20)
    )
    api = APIClient()
    api.force_authenticate(citizen)
    response = api.get("/api/v1/notifications/", {"page_size": "999999999"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == MAX_PAGE_SIZE


# --- body size: 413 ------------------------------------------------------------------------------


def _assert_413(response):
    assert response.status_code == 413
    body = json.loads(response.content)
    assert body["type"] == "client_error"
    assert body["errors"][0]["code"] == "request_too_large"
    assert body["errors"][0]["attr"] is None


@pytest.mark.django_db
def test_a_json_body_over_the_limit_is_a_413_before_it_is_read(settings):
    settings.API_MAX_BODY_BYTES = 1000
    client = APIClient()
    client.force_authenticate(UserFactory())
    body = json.dumps({"padding": "x" * 2000})
    with mock.patch("rest_framework.parsers.JSONParser.parse") as parse:
        response = client.post(
            "/api/v1/pengaduan/complaints/", body, content_type="application/json"
        )
    _assert_413(response)
    parse.assert_not_called()
    # Just under the limit: the request goes on to the view (a 400 about its fields, not a 413).
    small = client.post(
        "/api/v1/pengaduan/complaints/", json.dumps({"x": "y"}), content_type="application/json"
    )
    assert small.status_code == 400


@pytest.mark.django_db
def test_a_multipart_body_over_its_limit_is_a_413(settings):
    settings.API_MAX_MULTIPART_BYTES = 50_000
    client = APIClient()
    client.force_authenticate(UserFactory())
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * 60_000, "image/png")
    response = client.post("/api/v1/documents/", {"file": big}, format="multipart")
    _assert_413(response)
    assert Document.objects.count() == 0


@pytest.mark.django_db
def test_a_chunked_body_without_length_is_cut_at_the_limit_while_streaming(settings):
    """No Content-Length (chunked transfer, ``wsgi.input_terminated``): the body is read through
    a counting stream, and once it passes the limit the answer is 413, whatever the view did."""
    settings.API_MAX_BODY_BYTES = 1000
    stream = io.BytesIO(json.dumps({"padding": "x" * 5000}).encode())
    # The WhatsApp webhook reads ``request.body`` (to check the signature over it).
    response = Client().generic(
        "POST",
        "/" + django_settings.WHATSAPP_WEBHOOK_PATH,
        content_type="application/json",
        HTTP_ACCEPT="application/json",
        **{"wsgi.input": stream, "wsgi.input_terminated": True, "CONTENT_LENGTH": ""},
    )
    _assert_413(response)
    assert stream.tell() <= 1001 + 8192  # never read much past the limit


def test_djangos_request_data_too_big_is_a_413_not_a_400(settings):
    from django.core.exceptions import RequestDataTooBig
    from django.test import RequestFactory

    from balikpapan_untuk_warga.limits import RequestBodyLimitMiddleware

    middleware = RequestBodyLimitMiddleware(lambda request: None)
    request = RequestFactory().post("/api/v1/x/", {"a": "b"})
    response = middleware.process_exception(request, RequestDataTooBig("too big"))
    _assert_413(response)


def test_uploads_above_a_small_size_are_streamed_to_a_temporary_file(settings):
    assert django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 256 * 1024
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == django_settings.API_MAX_BODY_BYTES
    assert django_settings.API_MAX_MULTIPART_BYTES > django_settings.UPLOAD_MAX_SIZE


@pytest.mark.django_db
def test_an_uploaded_file_larger_than_the_memory_size_reaches_the_service_on_disk(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    seen = {}
    original = document_upload

    def spy(**kwargs):
        seen["file"] = kwargs["file"]
        return original(**kwargs)

    client = APIClient()
    client.force_authenticate(UserFactory())
    with mock.patch("services.uploads.services.document_upload", side_effect=spy):
        response = client.post("/api/v1/documents/", {"file": demo_png()}, format="multipart")
    assert response.status_code == 201
    assert isinstance(seen["file"], TemporaryUploadedFile)


# --- image pixels ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_image_with_too_many_pixels_is_refused_with_a_real_png(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("L", (2000, 1000)).save(buffer, format="PNG")  # 2 megapixels, a few KB
    client = APIClient()
    client.force_authenticate(UserFactory())
    upload = SimpleUploadedFile("wide.png", buffer.getvalue(), "image/png")
    response = client.post("/api/v1/documents/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "image_too_large"
    assert Document.objects.count() == 0


# --- per-user upload quota ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_daily_upload_quota_answers_429_with_retry_after_and_stores_nothing(settings):
    settings.UPLOAD_QUOTA_PER_DAY = 2
    citizen, other = UserFactory(), UserFactory()
    client = APIClient()
    client.force_authenticate(citizen)
    for _n in range(2):
        ok = client.post("/api/v1/documents/", {"file": demo_png()}, format="multipart")
        assert ok.status_code == 201
    refused = client.post("/api/v1/documents/", {"file": demo_png()}, format="multipart")
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["code"] == "throttled"
    assert 0 < int(refused["Retry-After"]) <= 24 * 3600
    assert Document.objects.filter(owner=citizen).count() == 2
    # Another citizen has their own quota; a document the system issues is not counted.
    client.force_authenticate(other)
    assert (
        client.post("/api/v1/documents/", {"file": demo_png()}, format="multipart").status_code
        == 201
    )
    document_upload(owner=citizen, file=demo_png(), purpose="issued")


@pytest.mark.django_db
def test_the_daily_upload_quota_in_bytes(settings):
    from services.uploads.exceptions import UploadQuotaExceeded

    citizen = UserFactory()
    first = document_upload(owner=citizen, file=demo_png(), quota=True)
    settings.UPLOAD_QUOTA_BYTES_PER_DAY = first.size + 10  # the next image does not fit
    with pytest.raises(UploadQuotaExceeded) as refused:
        document_upload(owner=citizen, file=demo_png(), quota=True)
    assert 0 < refused.value.wait <= 24 * 3600
    assert refused.value.status_code == 429
    assert Document.objects.filter(owner=citizen).count() == 1


# --- code SMS per phone and hour ---------------------------------------------------------------------


@pytest.mark.django_db
def test_code_sms_are_capped_per_phone_per_hour_with_429_and_no_provider_call(settings):
    settings.SMS_CODES_PER_PHONE_PER_HOUR = 3
    settings.ACCOUNT_RATE_LIMITS = False  # allauth's own limits are tested elsewhere
    UserFactory(phone="+6281255556666")
    sms.outbox.clear()
    answers = []
    for _n in range(5):
        response = Client().post(
            f"{APP}/auth/code/request",
            {"phone": "+6281255556666"},
            content_type="application/json",
        )
        answers.append(response)
    assert [r.status_code for r in answers] == [401, 401, 401, 429, 429]
    assert len(sms.outbox) == 3  # no provider call beyond the cap
    assert 0 < int(answers[3]["Retry-After"]) <= 3600
    assert answers[3].json()["status"] == 429
    # Another number is not affected; numbers that have no account count too (same cap).
    other = Client().post(
        f"{APP}/auth/code/request", {"phone": "+6281277778888"}, content_type="application/json"
    )
    assert other.status_code == 401
    assert len(sms.outbox) == 4


def test_the_sms_window_slides(settings):
    settings.SMS_CODES_PER_PHONE_PER_HOUR = 2
    with mock.patch("accounts.sms_cap.time.time", return_value=1_000_000.0):
        assert sms_cap.reserve("+6281200000001") is None
    with mock.patch("accounts.sms_cap.time.time", return_value=1_001_800.0):
        assert sms_cap.reserve("+6281200000001") is None
        assert sms_cap.reserve("+6281200000001") == 1800
    # An hour after the first, one place is free again, not two.
    with mock.patch("accounts.sms_cap.time.time", return_value=1_003_601.0):
        assert sms_cap.reserve("+6281200000001") is None
        assert sms_cap.reserve("+6281200000001") == 1799

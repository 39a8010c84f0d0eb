"""Public verification of an issued document: the QR page (platform) links to the civil registry
page, which hashes an uploaded file while it streams in and compares it with the issued PDF."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civil_registry import services
from civil_registry.demo import demo_pdf
from services.receipts import payloads
from services.receipts.models import Receipt
from services.uploads.models import Document
from tests.civil_registry.conftest import birth_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(citizen, officer, django_capture_on_commit_callbacks):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    services.request_approve(actor=officer, request=obj)
    pdf = demo_pdf("akta.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_issue(actor=officer, request=obj, pdf=pdf)
    obj.refresh_from_db()
    receipt = Receipt.objects.get(kind=Receipt.Kind.DOCUMENT_ISSUED, object_id=obj.pk)
    with obj.issued_document.file.open("rb") as handle:
        content = handle.read()
    return obj, receipt, content


def _page(code):
    return f"/layanan/pencatatan-sipil/verifikasi/{code}/"


def _throttle(settings, rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "lookup": rate,
        },
    }


def test_the_page_shows_type_date_and_masked_name_only(issued):
    obj, receipt, _content = issued
    response = Client().get(_page(receipt.code))
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert receipt.title in page and receipt.masked_name in page
    assert obj.tracking_number in page
    assert "Aisyah Putri" not in page  # the holder's name only masked
    assert 'type="file"' in page


def test_the_real_file_matches_and_another_does_not(issued, settings, tmp_path):
    _obj, receipt, content = issued
    client = Client(enforce_csrf_checks=True)  # public and read-only: no CSRF token needed
    same = client.post(
        _page(receipt.code), {"file": SimpleUploadedFile("akta.pdf", content, "application/pdf")}
    )
    assert same.status_code == 200
    assert same.context["matches"] is True
    assert "cocok" in same.content.decode().lower()
    changed = client.post(
        _page(receipt.code),
        {"file": SimpleUploadedFile("akta.pdf", content + b"\n% edited", "application/pdf")},
    )
    assert changed.status_code == 200 and changed.context["matches"] is False
    # a typed fingerprint works too (e.g. computed by the office's own tool)
    typed = client.post(
        _page(receipt.code), {"sha256": hashlib.sha256(content).hexdigest().upper()}
    )
    assert typed.context["matches"] is True
    # nothing was stored: no new document, nothing in the media root
    assert Document.objects.count() == 4  # 3 attachments and the issued PDF
    stored = sorted(p.name for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    assert len(stored) == 4


def test_the_file_is_hashed_while_streaming_and_never_kept(issued, monkeypatch):
    """The handler sees every chunk; no other handler (memory or temporary file) gets one."""
    from django.core.files import uploadhandler

    _obj, receipt, content = issued
    calls = []
    for name in ("MemoryFileUploadHandler", "TemporaryFileUploadHandler"):
        original = getattr(uploadhandler, name).receive_data_chunk

        def spy(self, raw_data, start, _original=original):
            calls.append(len(raw_data))
            return _original(self, raw_data, start)

        monkeypatch.setattr(getattr(uploadhandler, name), "receive_data_chunk", spy)
    big = content + b"%" * (3 * 1024 * 1024)  # several chunks, above the in-memory limit
    response = Client().post(
        _page(receipt.code), {"file": SimpleUploadedFile("x.pdf", big, "application/pdf")}
    )
    assert response.context["matches"] is False
    assert calls == []


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Pilih berkas"),
        ({"sha256": "xyz"}, "64"),
        ({"file": SimpleUploadedFile("empty.pdf", b"", "application/pdf")}, "kosong"),
    ],
)
def test_bad_input_is_a_400_with_a_message(issued, data, message):
    _obj, receipt, _content = issued
    response = Client().post(_page(receipt.code), data)
    assert response.status_code == 400
    assert response.context["matches"] is None
    assert message.lower() in response.content.decode().lower()


def test_a_file_above_the_upload_limit_is_refused(issued, settings):
    _obj, receipt, _content = issued
    settings.UPLOAD_MAX_SIZE = 1024
    response = Client().post(
        _page(receipt.code), {"file": SimpleUploadedFile("big.pdf", b"%" * 4096)}
    )
    assert response.status_code == 400 and response.context["matches"] is None


def test_unknown_codes_and_other_modules_receipts_are_404(issued, citizen):
    assert Client().get(_page("ABCD-EFGH-JKLM-NPQR")).status_code == 404
    assert Client().get(_page("not a code")).status_code == 404
    assert Client().post(_page("ABCDEFGHJKLMNPQR"), {"sha256": "0" * 64}).status_code == 404
    # a receipt of another kind of object (here: the user) is not a civil registry document
    from services.receipts.services import receipt_issue

    foreign = receipt_issue(
        obj=citizen,
        owner=citizen,
        kind=Receipt.Kind.PAYMENT,
        issuer=issued[0].agency,
        tracking_number="PAY-1",
        title="Pembayaran",
        issued_at=issued[0].issued_at,
        subject_name=None,
    )
    assert Client().get(_page(foreign.code)).status_code == 404


def test_a_tampered_receipt_shows_no_facts_and_no_file_check(issued):
    _obj, receipt, content = issued
    Receipt.objects.filter(pk=receipt.pk).update(title="Akta palsu")
    response = Client().get(_page(receipt.code))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Akta palsu" not in page and 'type="file"' not in page
    posted = Client().post(_page(receipt.code), {"sha256": hashlib.sha256(content).hexdigest()})
    assert posted.context["matches"] is None
    api = Client().get(f"/api/v1/pencatatan-sipil/verify/{receipt.code}/")
    assert api.status_code == 404


def test_a_pickup_document_has_no_file_to_compare(
    citizen, officer, django_capture_on_commit_callbacks
):
    obj = birth_request(citizen, submit=True)
    services.request_start_review(actor=officer, request=obj)
    services.request_approve(actor=officer, request=obj)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_issue(actor=officer, request=obj, pickup_note="MPP loket 3")
    receipt = Receipt.objects.get(object_id=obj.pk, kind=Receipt.Kind.DOCUMENT_ISSUED)
    page = Client().get(_page(receipt.code)).content.decode()
    assert 'type="file"' not in page
    platform = Client().get(payloads.verification_path(receipt)).content.decode()
    assert 'type="file"' not in platform


def test_the_qr_page_offers_the_file_check(issued):
    _obj, receipt, _content = issued
    response = Client().get(payloads.verification_path(receipt))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'action="/layanan/pencatatan-sipil/verifikasi/{receipt.code}/"' in page
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page


def test_the_page_is_throttled(issued, settings):
    _obj, receipt, _content = issued
    _throttle(settings, "2/min")
    client = Client()
    codes = [client.get(_page(receipt.code)).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.post(_page(receipt.code), {"sha256": "0" * 64}).status_code == 429


def test_the_check_costs_a_fixed_number_of_queries(issued, django_assert_max_num_queries):
    _obj, receipt, content = issued
    data = {"file": io.BytesIO(content)}
    data["file"].name = "akta.pdf"
    # receipt, content type, request with its issued document (+ session-free throttle cache)
    with django_assert_max_num_queries(4):
        response = Client().post(_page(receipt.code), data)
    assert response.context["matches"] is True

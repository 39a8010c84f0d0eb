"""Verifiable receipts (services.receipts): issuing, signing, revoking, verifying, QR, PDF, pages."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from django.core.exceptions import ValidationError
from PIL import Image, ImageChops
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from services.receipts import payloads, qr, signing
from services.receipts.exceptions import ReceiptNotAllowed
from services.receipts.models import Receipt
from services.receipts.selectors import VerificationResult, receipt_verify
from services.receipts.services import receipt_issue, receipt_revoke
from tests.factories import AgencyFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
ISSUED_AT = dt.datetime(2026, 1, 5, 9, 2, 3, 456789, tzinfo=WITA)  # 01:02:03 UTC
CODE = re.compile(r"[A-Z2-7]{16}")
VERIFY_API = "/api/v1/receipts/verify/"


def new_key_pem() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return signing.public_key_pem(key.public_key())


@pytest.fixture(autouse=True)
def signing_key(settings) -> str:
    settings.RECEIPT_SIGNING_KEY = new_key_pem()
    settings.RECEIPT_RETIRED_PUBLIC_KEYS = ""
    return settings.RECEIPT_SIGNING_KEY


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti Rahmawati", email="siti@example.test")


@pytest.fixture
def agency():
    return AgencyFactory(
        code="disdukcapil", name="Dinas Kependudukan dan Pencatatan Sipil", short_name="Disdukcapil"
    )


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def a_request():
    """A saved object standing for a module's request (any model will do for a generic link)."""
    return AgencyFactory()


def issue(owner, issuer, obj=None, **overrides) -> Receipt:
    fields = {
        "kind": Receipt.Kind.REQUEST_SUBMITTED,
        "tracking_number": "DUK-2026-000123",
        "title": "Permohonan Akta Kelahiran",
        "issued_at": ISSUED_AT,
    }
    return receipt_issue(obj=obj or a_request(), owner=owner, issuer=issuer, **(fields | overrides))


def staff_of(agency):
    return StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=agency)


def result(receipt, **kwargs):
    return receipt_verify(code=receipt.code, **kwargs).result


# --- Issuing and signing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Siti Rahmawati", "Si*** Ra***"),
        ("Budi", "Bu***"),
        ("I Made Wirawan", "I*** Ma*** Wi***"),
        ("  Ani   Lestari ", "An*** Le***"),
        ("Al", "A***"),
        ("", ""),
    ],
)
def test_names_are_masked(name, masked):
    assert payloads.mask_name(name) == masked


def test_issue_signs_the_public_facts(citizen, agency, signing_key):
    request = a_request()

    receipt = issue(citizen, agency, obj=request)

    assert CODE.fullmatch(receipt.code)
    assert (
        receipt.kind,
        receipt.issuer,
        receipt.tracking_number,
        receipt.title,
        receipt.status,
        receipt.issued_at,
        receipt.revoked_at,
        receipt.masked_name,
        receipt.owner,
        receipt.content_object,
    ) == (
        "request_submitted",
        agency,
        "DUK-2026-000123",
        "Permohonan Akta Kelahiran",
        "valid",
        dt.datetime(2026, 1, 5, 1, 2, 3, tzinfo=dt.UTC),
        None,
        "Si*** Ra***",
        citizen,
        request,
    )
    assert receipt.payload == (
        f'{{"code":"{receipt.code}","issued_at":"2026-01-05T01:02:03Z","issuer":"disdukcapil",'
        '"kind":"request_submitted","masked_name":"Si*** Ra***",'
        '"title":"Permohonan Akta Kelahiran","tracking_number":"DUK-2026-000123","v":1}'
    )
    public_key = serialization.load_pem_private_key(signing_key.encode(), None).public_key()
    public_key.verify(base64.urlsafe_b64decode(receipt.signature + "=="), receipt.payload.encode())
    assert receipt.key_id == signing.key_id(public_key)
    assert len(receipt.key_id) == 16
    assert "Siti" not in receipt.payload and "siti@" not in receipt.payload


def test_issue_is_idempotent_per_object_and_kind(citizen, agency):
    request = a_request()
    first = issue(citizen, agency, obj=request)

    again = issue(citizen, agency, obj=request, tracking_number="OTHER", title="Other")
    payment = issue(citizen, agency, obj=request, kind=Receipt.Kind.PAYMENT)

    assert again == first
    assert (again.tracking_number, again.signature) == (first.tracking_number, first.signature)
    assert payment != first
    assert Receipt.objects.count() == 2


def test_a_concurrent_second_issue_returns_the_first(citizen, agency, monkeypatch):
    request = a_request()
    first = issue(citizen, agency, obj=request)
    from services.receipts import services

    calls = iter([None, first])  # the look-up misses (the other request had not committed yet)
    monkeypatch.setattr(services, "_existing", lambda *args: next(calls))

    assert issue(citizen, agency, obj=request) == first
    assert Receipt.objects.count() == 1


def test_the_masked_name_may_be_someone_elses(citizen, agency):
    receipt = issue(citizen, agency, subject_name="Citra Dewi Santoso")
    assert receipt.masked_name == "Ci*** De*** Sa***"


def test_bad_fields_are_programming_errors(citizen, agency):
    with pytest.raises(ValidationError):
        issue(citizen, agency, kind="not_a_kind")
    with pytest.raises(ValueError, match="saved object"):
        receipt_issue(
            obj=AgencyFactory.build(),
            owner=citizen,
            kind=Receipt.Kind.PAYMENT,
            issuer=agency,
            tracking_number="X",
            title="X",
        )
    assert Receipt.objects.count() == 0


# --- Verifying ---------------------------------------------------------------------------------


def test_a_fresh_receipt_is_valid(citizen, agency):
    receipt = issue(citizen, agency)

    verification = receipt_verify(code=receipt.code, short_signature=receipt.signature[:16])

    assert (verification.result, verification.receipt, verification.signature_valid) == (
        VerificationResult.VALID,
        receipt,
        True,
    )


def test_codes_are_read_the_way_people_type_them(citizen, agency):
    receipt = issue(citizen, agency)
    typed = " " + payloads.format_code(receipt.code).lower() + " "
    typed = typed.replace("o", "0").replace("i", "1").replace("b", "8")
    assert result(receipt) == receipt_verify(code=typed).result == VerificationResult.VALID


@pytest.mark.parametrize("code", ["", "AAAAAAAAAAAAAAAA", "short", "A" * 40, "ÄÄÄÄ"])
def test_unknown_codes(code, citizen, agency):
    issue(citizen, agency)
    assert receipt_verify(code=code).result == VerificationResult.UNKNOWN


@pytest.mark.parametrize(
    "edit",
    [
        {"tracking_number": "DUK-2026-999999"},
        {"title": "Akta Kematian"},
        {"kind": Receipt.Kind.PAYMENT},
        {"masked_name": "Bu***"},
        {"issued_at": dt.datetime(2025, 1, 5, tzinfo=dt.UTC)},
        {"payload": '{"v":1}'},
        {"signature": "A" * 86},
        {"key_id": "0123456789abcdef"},
        {"status": Receipt.Status.REVOKED},
    ],
    ids=lambda edit: next(iter(edit)),
)
def test_an_edit_in_the_database_is_tampering(citizen, agency, edit):
    receipt = issue(citizen, agency)
    Receipt.objects.filter(pk=receipt.pk).update(**edit)

    verification = receipt_verify(code=receipt.code)

    assert (verification.result, verification.receipt, verification.signature_valid) == (
        VerificationResult.TAMPERED,
        None,
        False,
    )


def test_moving_a_receipt_to_another_issuer_is_tampering(citizen, agency):
    receipt = issue(citizen, agency)
    Receipt.objects.filter(pk=receipt.pk).update(issuer=AgencyFactory(code="bapenda"))
    assert result(receipt) == VerificationResult.TAMPERED


def test_a_qr_code_with_another_signature_is_tampering(citizen, agency):
    receipt = issue(citizen, agency)
    assert result(receipt, short_signature="A" * 16) == VerificationResult.TAMPERED
    assert result(receipt, short_signature=receipt.signature[:16]) == VerificationResult.VALID


def test_revoking_is_signed_and_cannot_be_erased(citizen, agency):
    receipt = issue(citizen, agency)

    revoked = receipt_revoke(receipt=receipt, actor=staff_of(agency))

    assert (revoked.status, revoked.revoked_at is not None, len(revoked.revocation_key_id)) == (
        "revoked",
        True,
        16,
    )
    verification = receipt_verify(code=receipt.code, short_signature=receipt.signature[:16])
    assert (verification.result, verification.receipt, verification.signature_valid) == (
        VerificationResult.REVOKED,
        revoked,
        True,
    )
    # Turning it back to valid by hand is noticed, whether or not the traces are wiped.
    Receipt.objects.filter(pk=receipt.pk).update(status=Receipt.Status.VALID)
    assert result(receipt) == VerificationResult.TAMPERED
    Receipt.objects.filter(pk=receipt.pk).update(revoked_at=None)
    assert result(receipt) == VerificationResult.TAMPERED
    Receipt.objects.filter(pk=receipt.pk).update(
        status=Receipt.Status.REVOKED, revoked_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    )
    assert result(receipt) == VerificationResult.TAMPERED


def test_revoking_twice_changes_nothing(citizen, agency):
    first = receipt_revoke(receipt=issue(citizen, agency))
    again = receipt_revoke(receipt=first)
    assert (again.revoked_at, again.revocation_signature) == (
        first.revoked_at,
        first.revocation_signature,
    )


def test_only_the_issuers_staff_may_revoke(citizen, agency):
    receipt = issue(citizen, agency)
    for outsider in (citizen, staff_of(AgencyFactory())):
        with pytest.raises(ReceiptNotAllowed):
            receipt_revoke(receipt=receipt, actor=outsider)
    receipt.refresh_from_db()
    assert (receipt.status, receipt.revoked_at, receipt.revocation_signature) == ("valid", None, "")


def test_receipts_survive_a_key_rotation_while_the_old_key_is_listed(citizen, agency, settings):
    old_key = settings.RECEIPT_SIGNING_KEY
    receipt = issue(citizen, agency)

    settings.RECEIPT_SIGNING_KEY = new_key_pem()
    assert result(receipt) == VerificationResult.TAMPERED  # signed by a key nobody lists
    settings.RECEIPT_RETIRED_PUBLIC_KEYS = public_pem(new_key_pem()) + public_pem(old_key)
    assert result(receipt) == VerificationResult.VALID
    newer = issue(citizen, agency)
    assert newer.key_id != receipt.key_id
    assert result(newer) == VerificationResult.VALID


# --- The QR code and the PDF -------------------------------------------------------------------


def test_the_qr_code_encodes_the_verification_url(citizen, agency, settings):
    settings.PORTAL_BASE_URL = "https://warga.balikpapan.go.id"
    receipt = issue(citizen, agency)
    expected_url = (
        f"https://warga.balikpapan.go.id/verifikasi/{receipt.code}/?s={receipt.signature[:16]}"
    )

    assert payloads.verification_url(receipt) == expected_url
    assert qr.receipt_qr(receipt).matrix == segno.make_qr(expected_url, error="m").matrix
    assert qr.receipt_qr(receipt).error == "M"


def pdf_of(response):
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def test_the_owner_gets_a_one_page_pdf_with_the_qr_code(api, citizen, agency):
    receipt = issue(citizen, agency)
    api.force_authenticate(citizen)

    response = api.get(f"/api/v1/receipts/{receipt.uuid}/pdf/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bukti-{receipt.code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    reader = pdf_of(response)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "DUK-2026-000123",
        "Permohonan Akta Kelahiran",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Si*** Ra***",
        "5 January 2026, 09:02 WITA",
        payloads.format_code(receipt.code),
        payloads.verification_url(receipt),
    ):
        assert expected in text
    assert "Siti" not in text
    (image,) = reader.pages[0].images
    expected_qr = Image.open(io.BytesIO(qr.receipt_qr_png(receipt))).convert("L")
    assert ImageChops.difference(image.image.convert("L"), expected_qr).getbbox() is None


def test_the_pdf_survives_characters_outside_latin_1(api, citizen, agency):
    receipt = issue(citizen, agency, title="Pengaduan — jalan rusak “Jl. Soekarno‑Hatta” ✓")
    api.force_authenticate(citizen)
    text = pdf_of(api.get(f"/api/v1/receipts/{receipt.uuid}/pdf/")).pages[0].extract_text()
    assert 'Pengaduan - jalan rusak "Jl. Soekarno' in text


# --- The API -----------------------------------------------------------------------------------


def test_the_owner_reads_the_receipt(api, citizen, agency):
    receipt = issue(citizen, agency)
    api.force_authenticate(citizen)

    response = api.get(f"/api/v1/receipts/{receipt.uuid}/")

    assert response.status_code == 200
    assert response.json() == {
        "uuid": str(receipt.uuid),
        "code": receipt.code,
        "kind": "request_submitted",
        "kind_display": "Request submitted",
        "issuer": {"code": "disdukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil"},
        "tracking_number": "DUK-2026-000123",
        "title": "Permohonan Akta Kelahiran",
        "issued_at": "2026-01-05T09:02:03+08:00",
        "status": "valid",
        "status_display": "Valid",
        "revoked_at": None,
        "masked_name": "Si*** Ra***",
        "payload": receipt.payload,
        "signature": receipt.signature,
        "key_id": receipt.key_id,
        "verification_url": f"http://127.0.0.1:8000/verifikasi/{receipt.code}/?s={receipt.signature[:16]}",
        "pdf_url": f"http://testserver/api/v1/receipts/{receipt.uuid}/pdf/",
    }


def test_receipts_are_the_owners_and_the_issuers(api, citizen, agency):
    receipt = issue(citizen, agency)
    api.force_authenticate(staff_of(agency))
    assert api.get(f"/api/v1/receipts/{receipt.uuid}/").status_code == 200
    for outsider in (UserFactory(), staff_of(AgencyFactory())):
        api.force_authenticate(outsider)
        assert api.get(f"/api/v1/receipts/{receipt.uuid}/").status_code == 404
        assert api.get(f"/api/v1/receipts/{receipt.uuid}/pdf/").status_code == 404
    api.force_authenticate(None)
    assert api.get(f"/api/v1/receipts/{receipt.uuid}/").status_code == 401


def test_public_verification_api(api, citizen, agency):
    receipt = issue(citizen, agency)

    response = api.get(f"{VERIFY_API}{receipt.code}/", {"s": receipt.signature[:16]})

    assert response.status_code == 200
    assert response.json() == {
        "result": "valid",
        "signature_valid": True,
        "receipt": {
            "code": receipt.code,
            "kind": "request_submitted",
            "kind_display": "Request submitted",
            "issuer": {"code": "disdukcapil", "name": "Dinas Kependudukan dan Pencatatan Sipil"},
            "tracking_number": "DUK-2026-000123",
            "title": "Permohonan Akta Kelahiran",
            "issued_at": "2026-01-05T09:02:03+08:00",
            "status": "valid",
            "status_display": "Valid",
            "revoked_at": None,
            "masked_name": "Si*** Ra***",
        },
        "payload": receipt.payload,
        "signature": receipt.signature,
        "key_id": receipt.key_id,
    }


def test_the_verification_api_answers_an_offline_check(api, citizen, agency):
    """What the API returns is enough to check the signature without us."""
    receipt = issue(citizen, agency)
    body = api.get(f"{VERIFY_API}{receipt.code}/").json()
    keys = {key["key_id"]: key for key in api.get("/api/v1/receipts/keys/").json()}

    key = keys[body["key_id"]]
    assert (key["algorithm"], key["current"]) == ("Ed25519", True)
    public_key = serialization.load_pem_public_key(key["public_key"].encode())
    public_key.verify(base64.urlsafe_b64decode(body["signature"] + "=="), body["payload"].encode())


def test_verification_api_reports_tampered_and_revoked(api, citizen, agency):
    tampered = issue(citizen, agency)
    Receipt.objects.filter(pk=tampered.pk).update(title="Lunas")
    revoked = receipt_revoke(receipt=issue(citizen, agency))

    body = api.get(f"{VERIFY_API}{tampered.code}/").json()
    assert body == {
        "result": "tampered",
        "signature_valid": False,
        "receipt": None,
        "payload": None,
        "signature": None,
        "key_id": None,
    }
    body = api.get(f"{VERIFY_API}{revoked.code}/").json()
    assert (body["result"], body["signature_valid"], body["receipt"]["status"]) == (
        "revoked",
        True,
        "revoked",
    )


def test_verification_api_unknown_code_is_a_404(api):
    response = api.get(f"{VERIFY_API}AAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert response.json() == {
        "type": "client_error",
        "errors": [
            {
                "code": "receipt_unknown",
                "detail": "No receipt has this verification code.",
                "attr": None,
            }
        ],
    }


def test_verification_is_throttled_per_ip(api, settings, citizen, agency):
    receipt = issue(citizen, agency)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "lookup": "2/min",
        },
    }
    statuses = [api.get(f"{VERIFY_API}{receipt.code}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert APIClient().get(f"/verifikasi/{receipt.code}/").status_code == 429  # one budget


# --- The portal --------------------------------------------------------------------------------


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_verification_page_is_public(english, citizen, agency):
    receipt = issue(citizen, agency)

    response = english.get(payloads.verification_path(receipt))

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    page = response.content.decode()
    for expected in (
        "Valid: this receipt is genuine.",
        "Signature valid.",
        "Permohonan Akta Kelahiran",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "DUK-2026-000123",
        "Request submitted",
        "Si*** Ra***",
        "5 January 2026, 09:02 WITA",
        payloads.format_code(receipt.code),
    ):
        assert expected in page
    assert "Siti" not in page and "siti@example.test" not in page


def test_the_verification_page_is_indonesian_by_default(client, citizen, agency):
    receipt = issue(citizen, agency)
    page = client.get(payloads.verification_path(receipt)).content.decode()
    assert '<html lang="id">' in page
    assert "5 Januari 2026, 09:02 WITA" in page


def test_the_verification_page_reports_tampered_revoked_and_unknown(english, citizen, agency):
    tampered = issue(citizen, agency, tracking_number="DUK-2026-000555")
    Receipt.objects.filter(pk=tampered.pk).update(title="Lunas")
    revoked = receipt_revoke(receipt=issue(citizen, agency))

    page = english.get(f"/verifikasi/{tampered.code}/").content.decode()
    assert "Not genuine" in page
    assert "DUK-2026-000555" not in page and "Lunas" not in page
    page = english.get(payloads.verification_path(revoked)).content.decode()
    assert "Revoked: this receipt is genuine but was withdrawn by its issuer." in page
    response = english.get("/verifikasi/AAAAAAAAAAAAAAAA/")
    assert response.status_code == 404
    assert "Unknown: no receipt has this code." in response.content.decode()
    assert "AAAA-AAAA-AAAA-AAAA" in response.content.decode()


def test_the_code_form_leads_to_the_verification_page(english, citizen, agency):
    receipt = issue(citizen, agency)
    assert english.get("/verifikasi/").status_code == 200
    response = english.get("/verifikasi/", {"code": payloads.format_code(receipt.code).lower()})
    assert (response.status_code, response["Location"]) == (302, f"/verifikasi/{receipt.code}/")


def test_the_owners_receipt_page_and_pdf(english, citizen, agency):
    receipt = issue(citizen, agency)
    english.force_login(citizen)

    response = english.get(f"/bukti/{receipt.uuid}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml' in page
    assert payloads.verification_url(receipt).replace("&", "&amp;") in page
    assert f'href="/bukti/{receipt.uuid}/pdf/"' in page
    pdf = english.get(f"/bukti/{receipt.uuid}/pdf/")
    assert pdf.status_code == 200
    assert len(pdf_of(pdf).pages) == 1


def test_other_people_do_not_see_a_receipt_page(english, citizen, agency):
    receipt = issue(citizen, agency)
    assert english.get(f"/bukti/{receipt.uuid}/")["Location"].startswith("/accounts/login/")
    english.force_login(UserFactory())
    assert english.get(f"/bukti/{receipt.uuid}/").status_code == 404
    assert english.get(f"/bukti/{receipt.uuid}/pdf/").status_code == 404


# --- The admin ---------------------------------------------------------------------------------


def test_staff_see_and_revoke_their_agencys_receipts(client, citizen, agency):
    ours = issue(citizen, agency)
    theirs = issue(citizen, AgencyFactory())
    client.force_login(staff_of(agency))

    response = client.get("/admin/receipts/receipt/")
    assert list(response.context["cl"].result_list) == [ours]
    found = client.get("/admin/receipts/receipt/", {"q": payloads.format_code(ours.code)})
    assert list(found.context["cl"].result_list) == [ours]
    client.post(
        "/admin/receipts/receipt/",
        {"action": "revoke", "_selected_action": [ours.pk, theirs.pk]},
    )

    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.status, theirs.status) == ("revoked", "valid")


@pytest.mark.parametrize("size", [1, 10])
def test_admin_changelist_query_count(client, citizen, agency, size, django_assert_num_queries):
    for _ in range(size):
        issue(citizen, agency)
    client.force_login(staff_of(agency))
    client.get("/admin/receipts/receipt/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. user permissions  9. group permissions  10. agency roles
    # (the sidebar's app list and "is agency staff")  11. count of the list
    # 12. the page: receipts JOIN issuer  13. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(13):
        response = client.get("/admin/receipts/receipt/")

    assert response.context["cl"].result_count == size

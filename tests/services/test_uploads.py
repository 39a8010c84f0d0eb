"""Private documents (services.uploads): validation with real files, storage, scoping, the API.

The files are real, made by ``tests/fixtures/files/make_files.py`` (see its table). The content
decides the type: a PNG named ``.pdf`` is accepted as the PNG it is, and downloads as ``.png``.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import AgencyMembership, PersonalDataAccess
from services.uploads import selectors, validation
from services.uploads.exceptions import DocumentAttached, DocumentNotAllowed, DocumentRejected
from services.uploads.models import Document
from services.uploads.services import document_attach, document_delete, document_upload
from tests.factories import AgencyFactory, StaffFactory, UserFactory
from tests.fixtures.files.make_files import GPS, GPS_IFD, bomb_png

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
URL = "/api/v1/documents/"
STORAGE_NAME = re.compile(r"documents/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|pdf)")


def upload_file(name: str, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """The fixture ``name`` as a browser would send it (the declared type is ignored anyway)."""
    return SimpleUploadedFile(name, (FILES / name).read_bytes(), content_type=content_type)


def stored_bytes(document: Document) -> bytes:
    with default_storage.open(document.file.name, "rb") as handle:
        return handle.read()


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    root = tmp_path / "private"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def citizen():
    return UserFactory(full_name="Siti Rahmawati")


@pytest.fixture
def agency():
    return AgencyFactory(code="disdukcapil", short_name="Disdukcapil")


@pytest.fixture
def english():
    """Refusals are worded in the active language (Indonesian by default); read them in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def api():
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def as_user(api, user):
    api.force_authenticate(user)
    return api


def staff_of(agency, role=AgencyMembership.Role.COUNTER_OFFICER):
    return StaffFactory(role=role, role__agency=agency)


def a_request():
    """A saved object standing for a module's request (any model will do for a generic link)."""
    return AgencyFactory()


def attached(document, agency):
    return document_attach(document=document, obj=a_request(), agency=agency)


@pytest.fixture
def upload_processed(django_capture_on_commit_callbacks):
    """``document_upload`` followed by the image processing it queues after commit (the Celery
    task runs eagerly in the tests), as the document is once the ``images`` queue has run."""

    def upload(**kwargs) -> Document:
        with django_capture_on_commit_callbacks(execute=True):
            document = document_upload(**kwargs)
        document.refresh_from_db()
        return document

    return upload


# --- Validation with real files ----------------------------------------------------------------


def test_fixture_photo_really_carries_gps():
    with Image.open(FILES / "photo_gps.jpg") as image:
        gps = dict(image.getexif().get_ifd(GPS_IFD))
    assert gps[1] == "S" and gps[3] == "E"
    assert set(gps) >= set(GPS)


def test_a_jpeg_is_re_encoded_without_exif_and_turned_upright(
    citizen, private_root, upload_processed
):
    document = upload_processed(owner=citizen, file=upload_file("photo_gps.jpg", "image/jpeg"))

    content = stored_bytes(document)
    with Image.open(io.BytesIO(content)) as image:
        assert image.format == "JPEG"
        assert dict(image.getexif()) == {}
        assert dict(image.getexif().get_ifd(GPS_IFD)) == {}
        assert not {"exif", "xmp", "comment"} & set(image.info)
        # Orientation 6 was applied to the 64×48 pixels: the stored image is 48×64.
        assert image.size == (48, 64)
    assert b"Kamera Uji" not in content
    assert (
        document.content_type,
        document.width,
        document.height,
        document.pages,
        document.size,
        document.sha256,
        document.original_name,
        document.purpose,
        document.owner,
        document.agency,
        document.is_attached,
    ) == (
        "image/jpeg",
        48,
        64,
        None,
        len(content),
        hashlib.sha256(content).hexdigest(),
        "photo_gps.jpg",
        "",
        citizen,
        None,
        False,
    )
    assert STORAGE_NAME.fullmatch(document.file.name)
    assert stored_files(private_root) == [private_root / document.file.name]


def test_a_png_keeps_its_pixels_and_loses_its_text_chunks(citizen, upload_processed):
    document = upload_processed(owner=citizen, file=upload_file("screenshot.png"), purpose="ktp")

    with (
        Image.open(io.BytesIO(stored_bytes(document))) as stored,
        Image.open(FILES / "screenshot.png") as original,
    ):
        assert stored.format == "PNG"
        assert "Author" in original.info
        assert "Author" not in stored.info
        assert (stored.mode, stored.size) == ("RGBA", (40, 30))
        assert stored.tobytes() == original.tobytes()
    assert (document.content_type, document.width, document.height, document.purpose) == (
        "image/png",
        40,
        30,
        "ktp",
    )


def test_colour_profiles_survive_and_cmyk_becomes_rgb(citizen):
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    rgb, cmyk = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(rgb, "JPEG", icc_profile=srgb)
    Image.new("CMYK", (20, 10), (10, 20, 30, 0)).save(cmyk, "JPEG")

    kept = validation.clean_file(rgb.getvalue())
    converted = validation.clean_file(cmyk.getvalue())

    with Image.open(io.BytesIO(kept.content)) as image:
        assert (image.mode, image.info.get("icc_profile")) == ("RGB", srgb)
    with Image.open(io.BytesIO(converted.content)) as image:
        assert (image.mode, image.info.get("icc_profile")) == ("RGB", None)


def test_a_pdf_is_stored_as_uploaded_with_its_pages_counted(citizen):
    original = (FILES / "two_pages.pdf").read_bytes()

    document = document_upload(owner=citizen, file=upload_file("two_pages.pdf"))

    assert stored_bytes(document) == original
    assert (document.content_type, document.pages, document.width, document.size) == (
        "application/pdf",
        2,
        None,
        len(original),
    )
    assert document.sha256 == hashlib.sha256(original).hexdigest()


def test_a_png_named_pdf_is_accepted_as_the_png_it_is(citizen):
    document = document_upload(owner=citizen, file=upload_file("png_named.pdf", "application/pdf"))

    assert (document.content_type, document.original_name, document.download_name) == (
        "image/png",
        "png_named.pdf",
        "png_named.png",
    )
    assert document.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "code", "detail"),
    [
        ("program.jpg", "file_type_not_allowed", "Only JPEG, PNG and PDF files are accepted."),
        (
            "truncated.jpg",
            "image_invalid",
            "The image is damaged or incomplete and cannot be read.",
        ),
        (
            "bomb.png",
            "image_too_large",
            "The image is too large: at most 50 megapixels are accepted.",
        ),
        ("truncated.pdf", "pdf_invalid", "The PDF is damaged or incomplete and cannot be read."),
        (
            "encrypted.pdf",
            "pdf_encrypted",
            "Password-protected PDFs are not accepted; upload the document without one.",
        ),
    ],
)
def test_bad_files_are_refused_with_a_clear_error_and_nothing_stored(
    citizen, private_root, english, name, code, detail
):
    with pytest.raises(DocumentRejected) as refused:
        document_upload(owner=citizen, file=upload_file(name))

    assert (refused.value.detail.code, str(refused.value.detail)) == (code, detail)
    assert Document.objects.count() == 0
    assert stored_files(private_root) == []


def test_an_empty_file_is_refused(citizen):
    with pytest.raises(DocumentRejected) as refused:
        document_upload(owner=citizen, file=SimpleUploadedFile("kosong.jpg", b""))
    assert refused.value.detail.code == "file_empty"


def test_pillows_bomb_warning_is_an_error_even_under_a_looser_limit_of_ours(citizen, settings):
    # 10000×10000 = 100 megapixels: above Pillow's warning threshold (89.5 M), below its error.
    settings.UPLOAD_MAX_IMAGE_PIXELS = 200_000_000
    with pytest.raises(DocumentRejected) as refused:
        document_upload(owner=citizen, file=SimpleUploadedFile("x.png", bomb_png(10_000, 10_000)))
    assert refused.value.detail.code == "image_too_large"
    assert Document.objects.count() == 0


def test_our_pixel_limit_comes_before_any_decoding(citizen, settings, english):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 40 * 30 - 1
    with (
        mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded")),
        pytest.raises(DocumentRejected) as refused,
    ):
        document_upload(owner=citizen, file=upload_file("screenshot.png"))
    assert str(refused.value.detail) == (
        "The image is too large: at most 0 megapixels are accepted."
    )


def test_a_pdf_with_too_many_pages_is_refused(citizen, settings, english):
    settings.UPLOAD_MAX_PDF_PAGES = 1
    with pytest.raises(DocumentRejected) as refused:
        document_upload(owner=citizen, file=upload_file("two_pages.pdf"))
    assert (refused.value.detail.code, str(refused.value.detail)) == (
        "pdf_too_many_pages",
        "The PDF has more than 1 pages.",
    )


def test_an_oversized_file_is_refused_before_it_is_read(citizen, settings, private_root, english):
    settings.UPLOAD_MAX_SIZE = 1000

    class Unreadable:
        """An upload whose size is known (as Django's are) and that must not be read."""

        name, size = "besar.jpg", 1001

        def read(self, *args):
            raise AssertionError("read")

        seek = read

    with pytest.raises(DocumentRejected) as refused:
        document_upload(owner=citizen, file=Unreadable())

    assert (refused.value.detail.code, str(refused.value.detail)) == (
        "file_too_large",
        "The file is larger than 0 MB.",
    )
    assert stored_files(private_root) == []


def test_a_stream_of_unknown_size_is_read_no_further_than_the_limit(settings):
    settings.UPLOAD_MAX_SIZE = 1000
    stream = io.BytesIO(b"\xff\xd8\xff" + bytes(10_000))
    with pytest.raises(DocumentRejected) as refused:
        validation.read_limited(stream, 1000)
    assert refused.value.detail.code == "file_too_large"
    assert stream.tell() == 1001


def test_the_default_size_limit_is_5_mb(citizen, english):
    five_mb = 5 * 1024 * 1024
    with pytest.raises(DocumentRejected) as refused:
        document_upload(
            owner=citizen, file=SimpleUploadedFile("x.pdf", b"%PDF-1.7" + bytes(five_mb))
        )
    assert str(refused.value.detail) == "The file is larger than 5 MB."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\budi\\KTP 6471051508900001.jpg", "KTP [id].jpg"),
        ("surat\x00pengantar\n.pdf", "surat_pengantar_.pdf"),
        ('a<b>:"c"|?*.png', "a_b_c_.png"),
        ("  .. ", "document"),
        ("", "document"),
        ("x" * 300 + ".jpeg", "x" * 115 + ".jpeg"),
        ("Akta Kelahiran – Budi.pdf", "Akta Kelahiran – Budi.pdf"),
    ],
)
def test_original_names_are_sanitised(name, expected):
    assert validation.sanitise_name(name) == expected


@pytest.mark.parametrize(
    ("original_name", "content_type", "download_name"),
    [
        ("scan.PDF", "image/png", "scan.png"),
        ("scan", "image/jpeg", "scan.jpg"),
        ("akta.kelahiran.pdf", "application/pdf", "akta.kelahiran.pdf"),
        (".pdf", "application/pdf", "document.pdf"),
    ],
)
def test_downloads_carry_the_extension_of_the_detected_type(
    original_name, content_type, download_name
):
    document = Document(original_name=original_name, content_type=content_type)
    assert document.download_name == download_name


def test_stored_files_are_private(citizen, private_root, client):
    document = document_upload(owner=citizen, file=upload_file("screenshot.png"))

    path = private_root / document.file.name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    client.force_login(citizen)
    assert client.get(f"/private-media/{document.file.name}").status_code == 404


def test_the_file_is_removed_when_the_row_cannot_be_saved(citizen, private_root):
    with (
        mock.patch.object(Document, "save", side_effect=RuntimeError("database down")),
        pytest.raises(RuntimeError),
    ):
        document_upload(owner=citizen, file=upload_file("screenshot.png"))
    assert stored_files(private_root) == []


# --- Attaching, deleting, scoping --------------------------------------------------------------


def test_attach_hands_the_document_to_the_agency_once(citizen, agency):
    document = document_upload(owner=citizen, file=upload_file("two_pages.pdf"))
    household = a_request()

    document = document_attach(document=document, obj=household, agency=agency)
    again = document_attach(document=document, obj=household, agency=AgencyFactory())

    assert (again.content_object, again.agency, again.is_attached) == (household, agency, True)
    assert again.attached_at == document.attached_at
    with pytest.raises(DocumentAttached):
        document_attach(document=document, obj=a_request(), agency=agency)
    document.refresh_from_db()
    assert (document.content_object, document.agency) == (household, agency)


def test_attachable_documents_are_the_owners_unattached_ones(citizen, agency):
    mine = document_upload(owner=citizen, file=upload_file("two_pages.pdf"))
    theirs = document_upload(owner=UserFactory(), file=upload_file("two_pages.pdf"))

    assert selectors.document_get_attachable(owner=citizen, uuid=mine.uuid) == mine
    assert selectors.document_get_attachable(owner=citizen, uuid=theirs.uuid) is None
    attached(mine, agency)
    assert selectors.document_get_attachable(owner=citizen, uuid=mine.uuid) is None
    assert selectors.document_get_attachable(owner=citizen, uuid="not-a-uuid") is None


def test_documents_attached_to_an_object_are_listed_for_it(citizen, agency):
    household = a_request()
    first = document_upload(owner=citizen, file=upload_file("two_pages.pdf"))
    second = document_upload(owner=citizen, file=upload_file("screenshot.png"))
    document_upload(owner=citizen, file=upload_file("screenshot.png"))
    for document in (first, second):
        document_attach(document=document, obj=household, agency=agency)

    assert list(selectors.document_list_for_object(obj=household)) == [first, second]


def test_who_sees_a_document(citizen, agency):
    document = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)
    loose = document_upload(owner=citizen, file=upload_file("two_pages.pdf"))
    handling_staff = staff_of(agency)
    other_staff = staff_of(AgencyFactory())
    superuser = StaffFactory(is_superuser=True)
    member_not_staff = UserFactory()
    AgencyMembership.objects.create(
        user=member_not_staff, agency=agency, role=AgencyMembership.Role.COUNTER_OFFICER
    )
    inactive_staff = staff_of(agency)
    inactive_staff.is_active = False
    inactive_staff.save(update_fields=["is_active"])

    def sees(user, doc=document):
        return selectors.document_get_for(user=user, uuid=doc.uuid) is not None

    assert sees(citizen) and sees(citizen, loose)
    assert sees(handling_staff) and not sees(handling_staff, loose)
    assert not any(
        sees(user)
        for user in (UserFactory(), other_staff, superuser, member_not_staff, inactive_staff)
    )


def test_the_owner_deletes_an_unattached_document_and_its_file(citizen, private_root):
    document = document_upload(owner=citizen, file=upload_file("screenshot.png"))

    with mock.patch("django.db.transaction.on_commit", side_effect=lambda f, *a, **k: f()):
        document_delete(actor=citizen, document=document)

    assert Document.objects.count() == 0
    assert stored_files(private_root) == []


def test_an_attached_document_cannot_be_deleted(citizen, agency, private_root):
    document = attached(document_upload(owner=citizen, file=upload_file("screenshot.png")), agency)

    with pytest.raises(DocumentAttached):
        document_delete(actor=citizen, document=document)
    with pytest.raises(DocumentNotAllowed):
        document_delete(actor=staff_of(agency), document=document)

    assert Document.objects.get() == document
    assert stored_files(private_root) == [private_root / document.file.name]


# --- The API -----------------------------------------------------------------------------------


def test_upload_through_the_api(api, citizen):
    response = as_user(api, citizen).post(
        URL, {"file": upload_file("photo_gps.jpg"), "purpose": "pas_foto"}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    document = Document.objects.get()
    assert response.json() == {
        "uuid": str(document.uuid),
        "content_type": "image/jpeg",
        "size": document.size,
        "sha256": document.sha256,
        "pages": None,
        "width": 48,
        "height": 64,
        "original_name": "photo_gps.jpg",
        "purpose": "pas_foto",
        "agency": None,
        "is_attached": False,
        "is_processed": False,  # the images queue has not run yet (see test_upload_answers_...)
        "created_at": response.json()["created_at"],
        "download_url": f"http://testserver/api/v1/documents/{document.uuid}/download/",
    }
    assert document.owner == citizen


def test_a_refused_upload_is_a_validation_error_on_file(api, citizen, private_root):
    response = as_user(api, citizen).post(
        URL, {"file": upload_file("program.jpg", "image/jpeg")}, format="multipart"
    )

    assert response.status_code == 400
    assert response.json() == {
        "type": "validation_error",
        "errors": [
            {
                "code": "file_type_not_allowed",
                "detail": "Only JPEG, PNG and PDF files are accepted.",
                "attr": "file",
            }
        ],
    }
    assert Document.objects.count() == 0
    assert stored_files(private_root) == []


def test_an_upload_without_a_file(api, citizen):
    response = as_user(api, citizen).post(URL, {"purpose": "ktp"}, format="multipart")
    assert response.status_code == 400
    assert [(e["code"], e["attr"]) for e in response.json()["errors"]] == [("required", "file")]


def test_json_is_not_accepted_for_uploads(api, citizen):
    response = as_user(api, citizen).post(URL, {"file": "aGVsbG8="}, format="json")
    assert response.status_code == 415


def test_an_oversized_request_is_refused_before_it_is_parsed(api, citizen, settings):
    settings.UPLOAD_MAX_SIZE = 1000
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.7\n" + bytes(100_000))

    with mock.patch(
        "rest_framework.parsers.MultiPartParser.parse", side_effect=AssertionError("parsed")
    ):
        response = as_user(api, citizen).post(URL, {"file": big}, format="multipart")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"code": "file_too_large", "detail": "The file is larger than 0 MB.", "attr": "file"}
    ]
    assert Document.objects.count() == 0


def test_a_file_just_over_the_default_limit_is_refused(api, citizen):
    over = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + bytes(5 * 1024 * 1024))
    response = as_user(api, citizen).post(URL, {"file": over}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "file_too_large"


def test_uploads_need_a_login(api):
    response = api.post(URL, {"file": upload_file("screenshot.png")}, format="multipart")
    assert response.status_code == 401
    assert Document.objects.count() == 0


def test_uploads_are_throttled(api, citizen, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "upload": "2/min",
        },
    }
    as_user(api, citizen)
    statuses = [
        api.post(URL, {"file": upload_file("screenshot.png")}, format="multipart").status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Document.objects.count() == 2


def test_metadata_is_for_the_owner_and_the_handling_agency_only(api, citizen, agency):
    document = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)
    url = f"{URL}{document.uuid}/"

    assert as_user(api, citizen).get(url).status_code == 200
    body = as_user(api, staff_of(agency)).get(url).json()
    assert (body["agency"], body["is_attached"], body["pages"]) == ("disdukcapil", True, 2)
    for outsider in (UserFactory(), staff_of(AgencyFactory()), StaffFactory(is_superuser=True)):
        response = as_user(api, outsider).get(url)
        assert response.status_code == 404
        assert response.json() == {
            "type": "client_error",
            "errors": [{"code": "not_found", "detail": "No document found.", "attr": None}],
        }


def test_download_by_the_owner(api, citizen):
    document = document_upload(owner=citizen, file=upload_file("png_named.pdf"))

    response = as_user(api, citizen).get(f"{URL}{document.uuid}/download/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored_bytes(document)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="png_named.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert PersonalDataAccess.objects.count() == 0


def test_download_by_handling_staff_is_recorded(api, citizen, agency):
    document = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)
    officer = staff_of(agency)

    response = as_user(api, officer).get(
        f"{URL}{document.uuid}/download/", HTTP_ACCEPT="application/pdf"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == (FILES / "two_pages.pdf").read_bytes()
    access = PersonalDataAccess.objects.get()
    assert (access.accessor, access.subject, access.field, access.channel) == (
        officer,
        citizen,
        "document",
        "api",
    )


def test_nobody_else_downloads(api, citizen, agency):
    document = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)
    for outsider in (UserFactory(), staff_of(AgencyFactory())):
        response = as_user(api, outsider).get(f"{URL}{document.uuid}/download/")
        assert response.status_code == 404
    assert api.logout() is None
    assert APIClient().get(f"{URL}{document.uuid}/download/").status_code == 401
    assert PersonalDataAccess.objects.count() == 0


def test_a_file_missing_from_the_storage_is_a_404_not_a_crash(api, citizen, caplog):
    document = document_upload(owner=citizen, file=upload_file("screenshot.png"))
    default_storage.delete(document.file.name)

    response = as_user(api, citizen).get(f"{URL}{document.uuid}/download/")

    assert response.status_code == 404
    assert f"The file of document {document.uuid} is missing" in caplog.text


def test_delete_through_the_api(api, citizen, agency, private_root):
    loose = document_upload(owner=citizen, file=upload_file("screenshot.png"))
    kept = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)

    assert as_user(api, UserFactory()).delete(f"{URL}{loose.uuid}/").status_code == 404
    staff_response = as_user(api, staff_of(agency)).delete(f"{URL}{kept.uuid}/")
    assert (staff_response.status_code, staff_response.json()["errors"][0]["code"]) == (
        403,
        "not_allowed",
    )
    conflict = as_user(api, citizen).delete(f"{URL}{kept.uuid}/")
    assert (conflict.status_code, conflict.json()["errors"][0]["code"]) == (
        409,
        "document_attached",
    )
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda f, *a, **k: f()):
        assert as_user(api, citizen).delete(f"{URL}{loose.uuid}/").status_code == 204

    assert list(Document.objects.all()) == [kept]
    assert stored_files(private_root) == [private_root / kept.file.name]


# --- The admin ---------------------------------------------------------------------------------


def test_staff_see_and_download_their_agencys_documents_in_the_admin(client, citizen, agency):
    ours = attached(document_upload(owner=citizen, file=upload_file("two_pages.pdf")), agency)
    theirs = attached(
        document_upload(owner=citizen, file=upload_file("screenshot.png")), AgencyFactory()
    )
    document_upload(owner=citizen, file=upload_file("screenshot.png"))  # not attached
    officer = staff_of(agency)
    client.force_login(officer)

    response = client.get("/admin/uploads/document/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [ours]
    assert client.get(f"/admin/uploads/document/{ours.pk}/change/").status_code == 200
    assert client.get(f"/admin/uploads/document/{theirs.pk}/change/").status_code == 302
    assert client.get("/admin/uploads/document/add/").status_code == 403

    download = client.get(f"/admin/uploads/document/{ours.uuid}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="two_pages.pdf"'
    assert b"".join(download.streaming_content) == (FILES / "two_pages.pdf").read_bytes()
    assert client.get(f"/admin/uploads/document/{theirs.uuid}/download/").status_code == 404
    access = PersonalDataAccess.objects.get()
    assert (access.accessor, access.channel) == (officer, "admin")


def test_the_document_admin_is_closed_to_citizens_and_staff_without_an_agency(client, citizen):
    client.force_login(citizen)
    assert client.get("/admin/uploads/document/").status_code == 302
    client.force_login(StaffFactory())
    assert client.get("/admin/uploads/document/").status_code == 403


@pytest.mark.parametrize("size", [1, 10])
def test_admin_changelist_query_count(client, citizen, agency, size, django_assert_num_queries):
    for _ in range(size):
        attached(document_upload(owner=citizen, file=upload_file("screenshot.png")), agency)
    client.force_login(staff_of(agency))
    client.get("/admin/uploads/document/")

    # 1. session  2. user  3. savepoint  4. allauth usersession  5. its user  6. its update
    # 7. release savepoint  8. user permissions  9. group permissions  10. agency roles
    # (the sidebar's app list and "is agency staff")  11. count of the list
    # 12. the page: documents JOIN owner LEFT JOIN agency LEFT JOIN content type
    # 13. the user's authenticator app (staff need 2FA, accounts.mfa)
    with django_assert_num_queries(13):
        response = client.get("/admin/uploads/document/")

    assert response.context["cl"].result_count == size


def test_storage_name_is_never_the_users_file_name(citizen):
    document = document_upload(
        owner=citizen,
        file=SimpleUploadedFile("KTP Siti.png", (FILES / "screenshot.png").read_bytes()),
    )
    assert "Siti" not in document.file.name
    assert str(document.uuid).replace("-", "") not in document.file.name
    assert STORAGE_NAME.fullmatch(document.file.name)

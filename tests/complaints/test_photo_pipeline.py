"""A complaint photo's way through the system (issue 10): the upload answers after the cheap checks,
the ``images`` queue re-encodes the photo without its EXIF data and blurs the public copy later.

Until the image task has run, the stored file is the citizen's original (EXIF and GPS position
included): only its owner (and, once attached, the handling agency's staff) can read it, and no
public copy exists. The public copy is made only from the processed file.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from balikpapan_untuk_warga.celery import app
from complaints import services
from complaints.models import Complaint, PublicPhoto
from services.uploads.exceptions import DocumentRejected
from services.uploads.models import Document
from services.uploads.services import document_process
from tests.complaints.conftest import INSIDE, client_for

pytestmark = pytest.mark.django_db

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "files"
UPLOAD_URL = "/api/v1/documents/"
COMPLAINT_URL = "/api/v1/pengaduan/complaints/"
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


def gps_photo() -> SimpleUploadedFile:
    """64×48 JPEG, EXIF orientation 6 (shown 48×64), a camera name and a GPS position."""
    return SimpleUploadedFile("banjir.jpg", (FILES / "photo_gps.jpg").read_bytes())


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def exif_of(content: bytes) -> dict:
    with Image.open(io.BytesIO(content)) as image:
        exif = image.getexif()
        return {**dict(exif), **{f"gps{k}": v for k, v in exif.get_ifd(GPS_IFD).items()}}


def upload(client) -> dict:
    response = client.post(
        UPLOAD_URL, {"file": gps_photo(), "purpose": "complaint_photo"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    return response.json()


def file_complaint(client, photo_uuid: str):
    body = {
        "text": "Banjir setinggi lutut di depan rumah, air tidak surut.",
        "photos": [photo_uuid],
        "public_photos_allowed": True,
        **INSIDE,
    }
    response = client.post(COMPLAINT_URL, body, format="json")
    assert response.status_code == 201, response.json()
    return Complaint.objects.get(tracking_number=response.json()["tracking_number"])


def test_the_upload_answers_before_the_image_task_and_the_original_stays_private(
    citizen, other_citizen, django_capture_on_commit_callbacks
):
    owner = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = upload(owner)

    document = Document.objects.get()
    original_name = document.file.name
    original = stored(original_name)
    assert len(queued) == 1  # the image task, queued once the row is committed
    assert (answer["is_processed"], document.is_processed) == (False, False)
    # The header told the size, turned upright by the EXIF orientation, without decoding pixels.
    assert (answer["width"], answer["height"], answer["content_type"]) == (48, 64, "image/jpeg")
    assert answer["sha256"] == hashlib.sha256(original).hexdigest() == document.sha256
    assert exif_of(original)["gps1"] == "S"  # not processed yet: still the citizen's own file
    # Only the owner reads it; nobody else, and there is nothing public.
    assert owner.get(answer["download_url"]).status_code == 200
    assert client_for(other_citizen).get(answer["download_url"]).status_code == 404
    assert client_for().get(answer["download_url"]).status_code == 401

    with django_capture_on_commit_callbacks(execute=True):
        queued[0]()  # the images queue runs the task (eagerly here)

    document.refresh_from_db()
    content = stored(document.file.name)
    assert document.is_processed
    assert exif_of(content) == {}
    assert b"Kamera Uji" not in content
    assert (document.width, document.height) == (48, 64)
    assert (document.size, document.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    # The original with its GPS position is removed from the storage.
    assert not default_storage.exists(original_name)
    # Processing again changes nothing.
    assert document_process(document_id=document.pk) is False


def test_a_complaint_is_filed_before_any_image_work_and_the_public_copy_comes_after(
    citizen, django_capture_on_commit_callbacks
):
    client = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = upload(client)
        complaint = file_complaint(client, answer["uuid"])

    document = Document.objects.get()
    assert complaint.tracking_number.startswith("ADU-")  # the citizen has the ticket number
    assert (document.object_id, document.is_processed) == (complaint.pk, False)
    assert not PublicPhoto.objects.exists()  # nothing public before processing
    public = client_for().get(f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/")
    assert public.json()["photos"] == []

    for callback in queued:  # image task, notifications, then the public copies (images queue)
        callback()

    document.refresh_from_db()
    photo = PublicPhoto.objects.get()
    assert document.is_processed and exif_of(stored(document.file.name)) == {}
    assert photo.source == document and photo.complaint == complaint
    served = client_for().get(f"/api/v1/pengaduan/public/photos/{photo.uuid}/")
    assert served.status_code == 200
    assert exif_of(b"".join(served.streaming_content)) == {}


def test_the_public_copy_task_processes_a_photo_whose_own_task_has_not_run(
    citizen, django_capture_on_commit_callbacks
):
    """The two tasks may run in any order (two image workers, or the upload's task lost while the
    broker was down): the blurring never starts from the original with its EXIF data."""
    client = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=False):
        complaint = file_complaint(client, upload(client)["uuid"])
    assert not Document.objects.get().is_processed

    assert services.complaint_make_public_photos(complaint_id=complaint.pk) == 1

    document = Document.objects.get()
    assert document.is_processed and exif_of(stored(document.file.name)) == {}
    assert PublicPhoto.objects.get().source == document


def test_an_image_that_cannot_be_decoded_stays_private_and_is_never_made_public(
    citizen, django_capture_on_commit_callbacks
):
    client = client_for(citizen)
    with django_capture_on_commit_callbacks(execute=False):
        complaint = file_complaint(client, upload(client)["uuid"])
    document = Document.objects.get()
    damaged = DocumentRejected("damaged", code="image_invalid")
    with mock.patch("services.uploads.validation.clean_file", side_effect=damaged):
        assert document_process(document_id=document.pk) is False
        assert services.complaint_make_public_photos(complaint_id=complaint.pk) == 0
    document.refresh_from_db()
    assert not document.is_processed and not PublicPhoto.objects.exists()


def test_a_processing_task_lost_at_upload_is_queued_again_by_the_sweeper(
    citizen, django_capture_on_commit_callbacks
):
    """The broker was down when the photo was uploaded: its task never ran (here: the on-commit
    hook never fires). The beat sweeper queues it again once it is five minutes old."""
    import datetime as dt

    from django.utils import timezone

    from services.uploads.services import documents_queue_unprocessed

    with django_capture_on_commit_callbacks(execute=False):
        upload(client_for(citizen))
    now = timezone.now()
    assert documents_queue_unprocessed(now=now) == 0  # too fresh to tell
    later = now + dt.timedelta(minutes=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert documents_queue_unprocessed(now=later) == 1  # runs eagerly
    assert Document.objects.get().is_processed
    assert documents_queue_unprocessed(now=later) == 0


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("uploads.process_document", "images"),
        ("complaints.make_public_photos", "images"),
        ("payments.process_notification", "celery"),  # webhooks stay on the default queue
        ("notifications.deliver", "celery"),
    ],
)
def test_image_tasks_are_routed_to_their_own_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_a_worker_started_without_queues_consumes_the_images_queue_too():
    assert {q.name for q in app.conf.task_queues} == {"celery", "images"}
    assert app.conf.task_default_queue == "celery"


def test_the_pair_stays_within_its_query_budget(
    citizen, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Upload + filing with one public photo, after-commit work included (the reporter's
    notification runs in the request; the image tasks are only queued: they run on the images
    queue's workers). The session is forced here (no session queries) and the test's transaction
    turns BEGIN/COMMIT into savepoints: 79 here, 78 through gunicorn-like requests on PostgreSQL
    (issue 10 measured 104 before; image work and 32 queries moved or cut).

    Upload (2): the daily quota (one aggregate), the insert.
    Filing (77): boundary, kelurahan, the photo, active categories with their agencies, the
    tracking number, the complaint; history "create" (insert, deadline look-up, activity item
    insert); the attachment (lock, update); "triage" and "assign" (lock, update, agency, history,
    deadline, owner, activity item update, each); the deadline (working hours and holidays,
    twice), its due-date change and the activity item's due time; the complaint's routing
    fields; the consent record; after commit the reporter's "assigned" notification and the
    channels' look-ups of a WhatsApp thread; the rest are savepoints of the nested atomic blocks.
    """
    client = client_for(citizen)
    with (
        mock.patch("services.uploads.tasks.document_process.delay") as process,
        mock.patch("complaints.tasks.complaint_make_public_photos.delay") as blur,
        django_assert_max_num_queries(79),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = upload(client)
        complaint = file_complaint(client, answer["uuid"])
    document = Document.objects.get()
    process.assert_called_once_with(document.pk)
    blur.assert_called_once_with(complaint.pk)

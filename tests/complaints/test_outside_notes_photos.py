"""Outside bodies as re-route targets, internal notes, blurred public photos and rounded
locations of sensitive categories."""

import io
import json

import cv2
import numpy as np
import pytest
from django.core import mail
from django.core.files.base import ContentFile

from complaints import blur, services
from complaints.models import Category, OutsideBody, PublicPhoto
from complaints.workflow import State
from services.notifications.models import Notification
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, client_for, point

URL = "/api/v1/pengaduan/complaints/"
PUBLIC = "/api/v1/pengaduan/public/complaints/"
pytestmark = pytest.mark.django_db


def _road(citizen, **kwargs):
    return services.complaint_create(
        actor=citizen,
        text="Tiang listrik miring dan kabel PLN menjuntai di jalan",
        category=Category.objects.get(code="jalan_rusak"),
        **point(INSIDE),
        **kwargs,
    )


# --- outside bodies -----------------------------------------------------------------------------


def test_the_outside_bodies_are_seeded_and_listed(seeded):
    codes = [row["code"] for row in client_for().get("/api/v1/pengaduan/outside-bodies/").json()]
    assert sorted(codes) == ["bpjs", "pdam", "pln", "polri", "provinsi"]


def test_not_ours_to_an_outside_body_keeps_history_and_clock_and_tells_everyone(
    citizen, dpu_officer, command_centre, django_capture_on_commit_callbacks
):
    OutsideBody.objects.filter(code="pln").update(email="pengaduan@pln.example")
    complaint = _road(citizen)
    due = complaint.resolution_due_at
    api = client_for(dpu_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{URL}{complaint.uuid}/reroute/",
            {"outside_body": "pln", "note": "Kabel dan tiang milik PLN."},
            format="json",
        )
    assert response.status_code == 200, response.json()
    complaint.refresh_from_db()
    assert complaint.outside_body.code == "pln"
    assert complaint.agency.code == "diskominfo"  # the command centre follows it up
    assert complaint.resolution_due_at == due  # the clock moves with it
    transitions = StatusHistory.objects.filter(object_id=complaint.pk).values_list(
        "transition", flat=True
    )
    assert list(transitions) == ["create", "triage", "assign", "reroute"]
    # the body got it by e-mail, without the reporter's identity
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pengaduan@pln.example"]
    assert complaint.tracking_number in mail.outbox[0].subject
    assert citizen.full_name not in mail.outbox[0].body
    # the reporter is told who has it now
    told = Notification.objects.filter(recipient=citizen, event="status_changed").last()
    assert "PT PLN (Persero) UP3 Balikpapan" in json.dumps(told.body)
    # DPU no longer sees it; the command centre records the answer and resolves
    assert api.get(f"{URL}{complaint.uuid}/").status_code == 404
    answer = client_for(command_centre).post(
        f"{URL}{complaint.uuid}/outside-answer/",
        {"answer": "Kabel sudah dirapikan oleh tim PLN.", "resolve": True},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["state"] == State.RESOLVED
    assert answer.json()["outside_answer"] == "Kabel sudah dirapikan oleh tim PLN."
    public = client_for().get(f"{PUBLIC}{complaint.tracking_number}/").json()
    assert "Kabel sudah dirapikan" in public["public_note"]


def test_an_answer_that_does_not_settle_it_puts_it_in_progress(
    citizen, dpu_officer, command_centre
):
    complaint = _road(citizen)
    services.complaint_reroute(
        actor=dpu_officer,
        complaint=complaint,
        outside_body=OutsideBody.objects.get(code="pdam"),
        note="Pipa PDAM bocor.",
    )
    assert mail.outbox == []  # no address configured: the command centre forwards it itself
    services.complaint_record_outside_answer(
        actor=command_centre, complaint=complaint, answer="Dijadwalkan minggu depan."
    )
    complaint.refresh_from_db()
    assert complaint.state == State.IN_PROGRESS


def test_reroute_needs_exactly_one_known_target_and_answers_come_from_the_command_centre(
    citizen, dpu_officer
):
    complaint = _road(citizen)
    api = client_for(dpu_officer)
    for payload, code in [
        ({"note": "x"}, "agency_not_found"),
        ({"agency": "dlh", "outside_body": "pln", "note": "x"}, "agency_not_found"),
        ({"outside_body": "pertamina", "note": "x"}, "outside_body_not_found"),
    ]:
        response = api.post(f"{URL}{complaint.uuid}/reroute/", payload, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == code
    response = api.post(f"{URL}{complaint.uuid}/outside-answer/", {"answer": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_command_centre"
    complaint.refresh_from_db()
    assert complaint.state == State.ASSIGNED and complaint.agency.code == "dpu"


# --- internal notes -----------------------------------------------------------------------------


def test_internal_notes_stay_with_staff(citizen, dpu_officer, dlh_officer, command_centre):
    complaint = _road(citizen)
    notes = f"{URL}{complaint.uuid}/notes/"
    secret = "Kontraktor lama bermasalah, cek anggaran"
    created = client_for(dpu_officer).post(notes, {"text": secret}, format="json")
    assert created.status_code == 201, created.json()
    assert client_for(command_centre).get(notes).json()[0]["text"] == secret
    assert client_for(dpu_officer).post(notes, {"text": " "}, format="json").status_code == 400
    # the reporter, another agency and the public do not see them (nor that they exist)
    assert client_for(citizen).get(notes).status_code == 404
    assert client_for(citizen).post(notes, {"text": "x"}, format="json").status_code == 404
    assert client_for(dlh_officer).get(notes).status_code == 404
    assert secret not in client_for(citizen).get(f"{URL}{complaint.uuid}/").content.decode()
    assert secret not in client_for().get(f"{PUBLIC}{complaint.tracking_number}/").content.decode()
    assert secret not in client_for().get(PUBLIC).content.decode()
    assert secret not in client_for().get("/api/v1/pengaduan/public/export/").content.decode()
    assert "Kontraktor" not in json.dumps(list(Notification.objects.values_list("body", flat=True)))
    page = client_for(citizen)
    page.force_login(citizen)
    assert secret not in page.get(f"/layanan/pengaduan/{complaint.uuid}/").content.decode()


def test_internal_notes_list_query_count(citizen, dpu_officer, django_assert_max_num_queries):
    complaint = _road(citizen)
    for index in range(5):
        services.internal_note_add(actor=dpu_officer, complaint=complaint, text=f"catatan {index}")
    with django_assert_max_num_queries(6):
        response = client_for(dpu_officer).get(f"{URL}{complaint.uuid}/notes/")
    assert len(response.json()) == 5


# --- blurred public photos ----------------------------------------------------------------------


def _face(image, cx, cy):
    """A frontal face drawn with the contrasts a Haar face cascade looks for (dark brows and
    eyes over lighter cheeks, a nose line, a mouth, hair), then softened like a photo."""
    cv2.ellipse(image, (cx, cy), (52, 68), 0, 0, 360, (150, 170, 205), -1)
    for side in (-1, 1):
        cv2.ellipse(image, (cx + side * 22, cy - 30), (16, 5), 0, 180, 360, (40, 40, 50), -1)
        cv2.ellipse(image, (cx + side * 22, cy - 16), (12, 6), 0, 0, 360, (50, 50, 60), -1)
    cv2.line(image, (cx, cy - 10), (cx - 5, cy + 15), (110, 125, 160), 3)
    cv2.ellipse(image, (cx, cy + 18), (10, 4), 0, 0, 360, (100, 115, 150), -1)
    cv2.ellipse(image, (cx, cy + 36), (20, 6), 0, 0, 360, (70, 70, 130), -1)
    cv2.ellipse(image, (cx, cy - 50), (56, 30), 0, 180, 360, (30, 30, 40), -1)


def _plate(image, x, y):
    """A licence plate: light plate, dark border, dark characters."""
    cv2.rectangle(image, (x, y), (x + 150, y + 34), (235, 235, 235), -1)
    cv2.rectangle(image, (x, y), (x + 150, y + 34), (20, 20, 20), 2)
    cv2.putText(image, "KT 1234 AB", (x + 8, y + 25), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (10,) * 3, 2)


def street_scene():
    """640 × 300: a face on the left, a plate on the right, a textured road between them."""
    image = np.full((300, 640, 3), 200, np.uint8)
    rng = np.random.default_rng(7)
    image[220:, :] = rng.integers(60, 110, size=(80, 640, 3), dtype=np.uint8)  # asphalt
    _face(image, 120, 120)
    image[:210, 330:] = 90
    _plate(image, 420, 100)
    return cv2.GaussianBlur(image, (5, 5), 0)


def _inside(boxes, y, x):
    return any(bx <= x < bx + w and by <= y < by + h for bx, by, w, h in boxes)


def test_faces_and_plates_are_pixelated_and_nothing_else_changes():
    scene = street_scene()
    result = blur.redact(scene)
    assert len(result.faces) == 1 and len(result.plates) == 1
    fx, fy, fw, fh = result.faces[0]
    assert fx < 120 < fx + fw and fy < 120 < fy + fh  # found where the face is
    px, py, pw, ph = result.plates[0]
    assert px < 495 < px + pw and py < 117 < py + ph  # found where the plate is
    changed = np.any(result.image != scene, axis=2)
    # inside each box the pixels changed and what is left is a few flat blocks, no detail
    for x, y, w, h in (*result.faces, *result.plates):
        assert changed[y : y + h, x : x + w].mean() > 0.4
        colours = np.unique(result.image[y : y + h, x : x + w].reshape(-1, 3), axis=0)
        assert len(colours) <= (blur.BLOCKS + 1) ** 2
    assert result.image[104, 98].tolist() != scene[104, 98].tolist()  # the left eye
    # outside the widened boxes not one pixel changed (the road, the sky)
    widened = [
        (x - int(w * blur.MARGIN) - 1, y - int(h * blur.MARGIN) - 1, w * 2, h * 2)
        for x, y, w, h in (*result.faces, *result.plates)
    ]
    outside = np.ones(changed.shape, bool)
    for x, y, w, h in widened:
        outside[max(0, y) : y + h, max(0, x) : x + w] = False
    assert not changed[outside].any()
    assert not changed[230:, :].any()


def test_a_photo_without_faces_or_plates_is_unchanged():
    image = np.full((200, 300, 3), 120, np.uint8)
    cv2.rectangle(image, (20, 20), (120, 80), (30, 60, 200), -1)  # a red car body, no plate
    result = blur.redact(image)
    assert result.faces == () and result.plates == ()
    assert (result.image == image).all()


def _scene_file():
    _ok, data = cv2.imencode(".png", street_scene())
    return ContentFile(data.tobytes(), name="jalan.png")


def test_public_output_shows_only_blurred_copies_when_the_reporter_allowed_it(
    citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the Celery task runs eagerly
        allowed = services.complaint_create(
            actor=None,
            channel="whatsapp",
            contact_phone="+6281255507777",
            text="Sampah menumpuk bau di depan rumah",
            photo_files=[_scene_file()],
            public_photos_allowed=True,
            **point(INSIDE),
        )
        withheld = services.complaint_create(
            actor=citizen,
            text="Sampah menumpuk bau di gang",
            photo_files=[_scene_file()],
            **point(INSIDE),
        )
    photo = PublicPhoto.objects.get()
    assert photo.complaint == allowed and photo.faces == 1 and photo.plates == 1
    body = client_for().get(f"{PUBLIC}{allowed.tracking_number}/").json()
    assert body["photos"] == [f"/api/v1/pengaduan/public/photos/{photo.uuid}/"]
    assert client_for().get(f"{PUBLIC}{withheld.tracking_number}/").json()["photos"] == []
    served = client_for().get(body["photos"][0])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    image = cv2.imdecode(np.frombuffer(b"".join(served.streaming_content), np.uint8), 1)
    original = street_scene()
    fx, fy, fw, fh = blur.redact(original).faces[0]
    face_diff = np.abs(
        image[fy : fy + fh, fx : fx + fw].astype(int) - original[fy : fy + fh, fx : fx + fw]
    )
    road_diff = np.abs(image[240:, :].astype(int) - original[240:, :])
    assert face_diff.mean() > 4 * road_diff.mean()  # the face changed far beyond JPEG noise
    assert road_diff.mean() < 6
    # the reporter withdraws consent: the copy is no longer served
    type(allowed).objects.filter(pk=allowed.pk).update(public_photos_allowed=False)
    assert client_for().get(body["photos"][0]).status_code == 404
    assert io  # keep the import for readers who save the images while debugging


# --- sensitive locations ------------------------------------------------------------------------


def test_sensitive_categories_are_rounded_to_about_a_kilometre(citizen):
    health = services.complaint_create(
        actor=citizen,
        text="Banyak jentik nyamuk, tetangga kena DBD",
        category=Category.objects.get(code="kesehatan_masyarakat"),
        latitude=point(INSIDE)["latitude"] + 0,
        longitude=point(INSIDE)["longitude"],
    )
    road = _road(citizen)
    assert Category.objects.get(code="kesehatan_masyarakat").is_sensitive
    health_public = client_for().get(f"{PUBLIC}{health.tracking_number}/").json()
    road_public = client_for().get(f"{PUBLIC}{road.tracking_number}/").json()
    assert (health_public["latitude"], health_public["longitude"]) == (-1.26, 116.83)
    assert (road_public["latitude"], road_public["longitude"]) == (-1.265, 116.831)


def test_a_blurring_task_lost_at_filing_is_queued_again_by_the_sweeper(citizen):
    """The broker was down when the complaint was filed: its task never ran (here: the on-commit
    hook that queues it never fires inside the test's transaction). The beat sweeper queues it
    again, once: a complaint with its copy, or without photos, is left alone."""
    import datetime as dt

    from django.utils import timezone

    with_photo = services.complaint_create(
        actor=citizen,
        text="Sampah menumpuk bau di depan rumah",
        photo_files=[_scene_file()],
        public_photos_allowed=True,
        **point(INSIDE),
    )
    services.complaint_create(
        actor=citizen, text="Sampah di gang", public_photos_allowed=True, **point(INSIDE)
    )
    assert not PublicPhoto.objects.exists()
    now = timezone.now()
    assert services.complaints_queue_missing_public_photos(now=now) == 0  # too fresh to tell
    later = now + dt.timedelta(minutes=10)
    assert services.complaints_queue_missing_public_photos(now=later) == 1  # runs eagerly
    assert PublicPhoto.objects.get().complaint == with_photo
    assert services.complaints_queue_missing_public_photos(now=later) == 0

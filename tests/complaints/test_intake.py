"""Intake: validation (400 in the shared shape, nothing written), boundary, kelurahan, photos,
category suggestion and the triage threshold, throttling."""

from decimal import Decimal

import pytest
from django.utils import timezone

from complaints import geo, services
from complaints.data.categories import HELD_BACK_EXAMPLES, HELD_BACK_INDEPENDENT
from complaints.models import Category, Complaint
from complaints.workflow import State
from services.activity.models import ActivityItem
from services.notifications.models import Notification
from services.uploads.models import Document
from services.uploads.services import document_upload
from services.workflow import StatusHistory
from tests.complaints.conftest import INSIDE, OUTSIDE, client_for, jpeg, point

URL = "/api/v1/pengaduan/complaints/"
pytestmark = pytest.mark.django_db


def _nothing_written():
    assert Complaint.objects.count() == 0
    assert StatusHistory.objects.count() == 0
    assert ActivityItem.objects.count() == 0
    assert Notification.objects.count() == 0
    assert Document.objects.filter(attached_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    ("payload", "code", "attr"),
    [
        ({"text": "", **INSIDE}, "blank", "text"),
        ({"text": "Jalan rusak", "latitude": "abc", "longitude": "116.83"}, "invalid", "latitude"),
        ({"text": "Jalan rusak", **OUTSIDE}, "outside_boundary", None),
        ({"text": "Jalan rusak", "category": "tidak-ada", **INSIDE}, "category_not_found", None),
        ({"text": "Jalan rusak", "contact_phone": "abc", **INSIDE}, "invalid", "contact_phone"),
        (
            {"text": "Jalan rusak", "photos": ["00000000-0000-0000-0000-000000000001"], **INSIDE},
            "photo_not_found",
            None,
        ),
    ],
)
def test_bad_input_is_400_in_the_shared_shape_and_writes_nothing(citizen, payload, code, attr):
    response = client_for(citizen).post(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error" if attr else body["type"] == "client_error"
    assert body["errors"][0]["code"] == code
    assert body["errors"][0]["attr"] == attr
    _nothing_written()


def test_outside_the_boundary_is_refused_with_a_clear_message(citizen):
    response = client_for(citizen).post(URL, {"text": "Banjir", **OUTSIDE}, format="json")
    assert response.json()["errors"][0]["detail"] == ("Lokasi ini berada di luar Kota Balikpapan.")


def test_more_than_five_photos_is_refused_and_nothing_is_attached(citizen):
    photos = [str(document_upload(owner=citizen, file=jpeg()).uuid) for _ in range(6)]
    response = client_for(citizen).post(
        URL, {"text": "Jalan berlubang", "photos": photos, **INSIDE}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_photos"
    _nothing_written()
    assert Document.objects.filter(attached_at__isnull=False).count() == 0


def test_a_complaint_with_category_and_photos_goes_to_the_agency(citizen):
    photos = [str(document_upload(owner=citizen, file=jpeg()).uuid) for _ in range(5)]
    response = client_for(citizen).post(
        URL,
        {
            "text": "Aspal berlubang",
            "category": "jalan_rusak",
            "photos": photos,
            "address": "Jl. Jenderal Sudirman depan bank",
            "channel": "app",
            **INSIDE,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["tracking_number"] == f"ADU-{timezone.now().year}-000001"
    assert body["state"] == State.ASSIGNED
    assert body["category"] == "jalan_rusak"
    assert body["agency"] == "DPU"
    assert body["kelurahan"] == "Prapatan"
    complaint = Complaint.objects.get()
    assert Document.objects.filter(object_id=complaint.pk, attached_at__isnull=False).count() == 5
    assert list(
        StatusHistory.objects.filter(object_id=complaint.pk).values_list("transition", flat=True)
    ) == ["create", "triage", "assign"]
    assert complaint.response_due_at is not None
    assert complaint.resolution_due_at is not None


def test_another_persons_photo_cannot_be_attached(citizen, other_citizen):
    photo = document_upload(owner=other_citizen, file=jpeg())
    response = client_for(citizen).post(
        URL, {"text": "Sampah", "photos": [str(photo.uuid)], **INSIDE}, format="json"
    )
    assert response.json()["errors"][0]["code"] == "photo_not_found"
    _nothing_written()


def test_kelurahan_is_the_nearest_approximate_centroid():
    assert geo.nearest_kelurahan_code(-1.2450, 116.9100) == "64.71.05.1008"  # Sepinggan Baru
    assert geo.nearest_kelurahan_code(-1.1460, 117.0640) == "64.71.01.1003"  # Teritip


def test_boundary_ray_casting():
    boundary = {
        "type": "Polygon",
        "coordinates": [
            [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
            [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
        ],
    }
    assert geo.geometry_contains(boundary, 1, 1) is True
    assert geo.geometry_contains(boundary, 5, 5) is False  # in the hole
    assert geo.geometry_contains(boundary, 11, 5) is False


def test_a_confident_suggestion_routes_to_the_agency(citizen):
    complaint = services.complaint_create(
        actor=citizen, text="Lampu jalan mati, penerangan padam dan gelap", **point(INSIDE)
    )
    assert complaint.category.code == "lampu_jalan"
    assert complaint.suggested_category.code == "lampu_jalan"
    # lampu, mati, penerangan, padam, gelap = 5; "jalan" for damaged roads = 1: 5 / (6 + 1)
    assert complaint.suggestion_confidence == Decimal("0.71")
    assert complaint.state == State.ASSIGNED
    assert complaint.agency.code == "dishub"


def test_below_the_threshold_it_waits_in_the_triage_queue(citizen, command_centre):
    complaint = services.complaint_create(actor=citizen, text="Jalan ini", **point(INSIDE))
    assert complaint.state == State.RECEIVED
    assert complaint.category is None
    assert complaint.suggested_category.code == "jalan_rusak"
    assert complaint.suggestion_confidence == Decimal("0.50")
    assert complaint.agency.code == "diskominfo"
    response = client_for(command_centre).post(
        f"{URL}{complaint.uuid}/triage/", {"category": "sampah"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == State.ASSIGNED
    assert response.json()["agency"] == "DLH"


def test_the_threshold_is_a_setting(citizen, settings):
    settings.COMPLAINT_SUGGESTION_THRESHOLD = 0.4
    complaint = services.complaint_create(actor=citizen, text="Jalan ini", **point(INSIDE))
    assert complaint.state == State.ASSIGNED


def test_suggestion_accuracy_on_held_back_examples(seeded):
    correct = 0
    for text, expected in HELD_BACK_EXAMPLES:
        category, confidence = services.category_suggest(text=text)
        routed = category.code if category and confidence >= 0.6 else None
        correct += routed == expected  # routed at the threshold, or to triage when None
    accuracy = correct / len(HELD_BACK_EXAMPLES)
    print(f"suggestion accuracy on {len(HELD_BACK_EXAMPLES)} held-back examples: {accuracy:.2f}")
    assert accuracy == 1.0  # 18 of 18 (see complaints/README.md for why this overstates it)


def test_suggestion_on_independent_held_back_examples(seeded):
    """Measured once on texts the keyword lists were not written from (see README): few are
    confident enough to route, but none is routed to the wrong agency — the rest wait for the
    command centre. A change of the rules that misroutes one fails here."""
    routed_right = misrouted = to_triage = top_right = 0
    for text, expected in HELD_BACK_INDEPENDENT:
        category, confidence = services.category_suggest(text=text)
        routed = category.code if category and confidence >= 0.6 else None
        routed_right += routed == expected
        misrouted += routed is not None and routed != expected
        to_triage += routed is None and expected is not None
        top_right += (category.code if category else None) == expected if expected else 0
    print(
        f"independent held-back ({len(HELD_BACK_INDEPENDENT)}): routed right {routed_right}, "
        f"misrouted {misrouted}, to triage {to_triage}, best guess right {top_right}"
    )
    assert misrouted == 0
    assert routed_right >= 8  # 8 of 30 when measured (2 of them the "nothing fits" texts)
    assert top_right >= 20  # 20 of the 28 with a category: the triage desk's pre-filled guess


def test_creation_is_throttled(citizen, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "complaint": "2/hour",
        },
    }
    client = client_for(citizen)
    codes = [
        client.post(URL, {"text": "Sampah menumpuk bau", **INSIDE}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Complaint.objects.count() == 2
    assert client.get(URL).status_code == 200  # reading is not throttled by the tight scope


def test_categories_are_a_tree_with_agencies(seeded):
    response = client_for().get("/api/v1/pengaduan/categories/")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert rows["jalan_rusak"]["parent"] == "infrastruktur"
    assert rows["jalan_rusak"]["agency"] == "DPU"
    assert rows["banjir"]["response_hours"] == 2
    assert Category.objects.count() == 12


def test_a_missing_command_centre_agency_is_a_503_and_writes_nothing(citizen, caplog, monkeypatch):
    """Without a category the complaint goes to the command centre's triage queue; if that agency
    is not in the agency list (a misconfiguration; the real row is protected by its categories,
    so the code is pointed elsewhere) the answer is a 503 in the shared shape, not a crash."""
    monkeypatch.setattr(services, "COMMAND_CENTRE_AGENCY", "tidak-ada")
    client = client_for(citizen)
    client.raise_request_exception = False
    response = client.post(URL, {"text": "Ada sesuatu yang aneh di sini", **INSIDE}, format="json")
    assert response.status_code == 503
    body = response.json()
    assert body["type"] == "server_error"
    assert body["errors"][0]["code"] == "agency_not_configured"
    assert "tidak-ada" in caplog.text
    _nothing_written()

"""Consent records (UU PDP): versioned texts, the append-only history, the notification and
public-photo consents, and refusals that write nothing."""

from __future__ import annotations

import cv2
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import consent
from accounts.models import ConsentRecord
from complaints import services as complaint_services
from complaints.models import PublicPhoto
from services.notifications.models import ChannelPreference
from tests.complaints.conftest import INSIDE, point, seed_all
from tests.complaints.test_outside_notes_photos import street_scene
from tests.factories import UserFactory

CONSENTS = "/api/v1/me/consents/"
TEXTS = "/api/v1/consent-texts/"
PREFERENCES = "/api/v1/notifications/preferences/"
ALL_OFF = {"status": False, "payment": False, "reminder": False, "news": False}
VERSION = consent.TEXTS[consent.Purpose.NOTIFICATIONS_SMS].version
PHOTO_VERSION = consent.TEXTS[consent.Purpose.COMPLAINT_PUBLIC_PHOTO].version


@pytest.fixture
def citizen(db):
    return UserFactory(full_name="Siti Rahma")


def api_for(user=None, language="en"):
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_authenticate(user)
    return client


def preferences(**overrides):
    body = {c: dict(ALL_OFF) for c in ("email", "sms", "whatsapp", "push")}
    body["email_digest"] = False
    body.update(overrides)
    return body


def error_codes(response):
    body = response.json()
    assert body["type"] in ("validation_error", "client_error")
    return [e["code"] for e in body["errors"]]


def history(user):
    return list(
        ConsentRecord.objects.filter(user=user)
        .order_by("at", "id")
        .values_list("purpose", "object_ref", "granted", "detail", "text_version", "source")
    )


# --- the texts ------------------------------------------------------------------------------------


def test_every_current_text_is_the_one_published_under_its_version():
    """Changing a text's wording without a new version (and a new PUBLISHED_DIGESTS line) fails
    here: a record must always point at the exact text agreed to."""
    for purpose, text in consent.TEXTS.items():
        assert consent.PUBLISHED_DIGESTS[(purpose, text.version)] == text.digest, purpose
    assert set(consent.TEXTS) == set(ConsentRecord.Purpose.values)


def test_the_texts_endpoint_is_public_and_answers_in_the_requests_language(db):
    english = api_for(language="en").get(TEXTS)
    indonesian = api_for(language="id").get(TEXTS)
    assert english.status_code == indonesian.status_code == 200
    rows = {row["purpose"]: row for row in english.json()}
    photo = rows["complaint_public_photo"]
    text = consent.TEXTS["complaint_public_photo"]
    assert photo["version"] == text.version and photo["digest"] == text.digest
    assert photo["text"] == text.text_en and photo["per_object"] is True
    by_purpose_id = {row["purpose"]: row["text"] for row in indonesian.json()}
    assert by_purpose_id["complaint_public_photo"] == text.text_id
    assert rows["notifications_sms"]["per_object"] is False


# --- notification preferences record consents --------------------------------------------------


def test_changing_preferences_records_grants_and_withdrawals_with_the_version_shown(citizen):
    api = api_for(citizen)
    sms_on = {**ALL_OFF, "status": True, "reminder": True}
    response = api.put(
        PREFERENCES,
        preferences(sms=sms_on, consent_versions={"notifications_sms": VERSION}),
        format="json",
    )
    assert response.status_code == 200
    assert history(citizen) == [("notifications_sms", "", True, "reminder,status", VERSION, "api")]
    # the same choices saved again write nothing; email turned on is a new grant
    api.put(PREFERENCES, preferences(sms=sms_on), format="json")
    api.put(
        PREFERENCES,
        preferences(sms=sms_on, email={**ALL_OFF, "news": True}, email_digest=True),
        format="json",
    )
    # SMS off: a withdrawal
    api.put(PREFERENCES, preferences(email={**ALL_OFF, "news": True}), format="json")
    assert history(citizen) == [
        ("notifications_sms", "", True, "reminder,status", VERSION, "api"),
        ("notifications_email", "", True, "news,digest", VERSION, "api"),
        ("notifications_email", "", True, "news", VERSION, "api"),
        ("notifications_sms", "", False, "", VERSION, "api"),
    ]
    record = ConsentRecord.objects.filter(user=citizen).first()
    assert record.text_digest == consent.TEXTS["notifications_sms"].digest

    body = api.get(CONSENTS).json()
    current = {(row["purpose"], row["granted"]) for row in body["current"]}
    assert current == {("notifications_sms", False), ("notifications_email", True)}
    assert body["history"][0]["purpose"] == "notifications_sms"
    assert len(body["history"]) == 4


def test_an_outdated_version_refuses_the_preferences_change_and_writes_nothing(citizen):
    response = api_for(citizen).put(
        PREFERENCES,
        preferences(
            sms={**ALL_OFF, "status": True}, consent_versions={"notifications_sms": "2020-1"}
        ),
        format="json",
    )
    assert response.status_code == 409
    assert error_codes(response) == ["consent_version_outdated"]
    assert not ConsentRecord.objects.exists()
    assert not ChannelPreference.objects.exists()


def test_an_unknown_consent_purpose_in_preferences_is_a_400(citizen):
    response = api_for(citizen).put(
        PREFERENCES, preferences(consent_versions={"marketing": VERSION}), format="json"
    )
    assert response.status_code == 400
    assert error_codes(response) == ["invalid"]
    assert not ConsentRecord.objects.exists() and not ChannelPreference.objects.exists()


def test_withdrawing_a_notification_consent_turns_the_channel_off(citizen):
    api = api_for(citizen)
    api.put(PREFERENCES, preferences(whatsapp={**ALL_OFF, "payment": True}), format="json")
    response = api.post(
        CONSENTS,
        {"purpose": "notifications_whatsapp", "granted": False, "version": VERSION},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["granted"] is False
    assert response.json()["text_version"] == VERSION
    assert not ChannelPreference.objects.get(user=citizen, channel="whatsapp").topic_payment
    assert [row[:3] for row in history(citizen)] == [
        ("notifications_whatsapp", "", True),
        ("notifications_whatsapp", "", False),
    ]


# --- refusals write nothing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"purpose": "marketing", "granted": False, "version": VERSION}, 400, "invalid_choice"),
        ({"purpose": "notifications_sms", "granted": "maybe", "version": VERSION}, 400, "invalid"),
        ({"purpose": "notifications_sms", "granted": False}, 400, "required"),
        ({"purpose": "notifications_sms", "granted": False, "version": "1999"}, 409, None),
        ({"purpose": "notifications_sms", "granted": True, "version": VERSION}, 400, None),
        (
            {
                "purpose": "notifications_sms",
                "granted": False,
                "version": VERSION,
                "object_ref": "X",
            },
            400,
            "consent_object_not_allowed",
        ),
        (
            {"purpose": "complaint_public_photo", "granted": False, "version": PHOTO_VERSION},
            400,
            "consent_object_required",
        ),
        (
            {
                "purpose": "complaint_public_photo",
                "granted": False,
                "version": PHOTO_VERSION,
                "object_ref": "ADU-NOPE",
            },
            404,
            "consent_not_found",
        ),
        ({"purpose": ["x"], "granted": False, "version": {"a": 1}}, 400, None),
    ],
)
def test_bad_consent_changes_are_refused_in_the_shared_shape_and_write_nothing(
    citizen, body, status, code
):
    api = api_for(citizen)
    api.put(PREFERENCES, preferences(sms={**ALL_OFF, "status": True}), format="json")
    before = history(citizen)
    response = api.post(CONSENTS, body, format="json")
    assert response.status_code == status
    codes = error_codes(response)
    if code:
        assert code in codes
    assert history(citizen) == before
    assert ChannelPreference.objects.get(user=citizen, channel="sms").topic_status


def test_consents_need_a_signed_in_citizen(db):
    assert api_for().get(CONSENTS).status_code == 401
    assert api_for().post(CONSENTS, {}, format="json").status_code == 401


# --- public complaint photos ------------------------------------------------------------------------


def _scene():
    _ok, data = cv2.imencode(".png", street_scene())
    return ContentFile(data.tobytes(), name="jalan.png")


@pytest.fixture
def seeded(db):
    seed_all()


def test_public_photos_consent_is_recorded_per_complaint_and_withdrawal_deletes_the_copies(
    seeded, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the blurring task runs eagerly
        complaint = complaint_services.complaint_create(
            actor=citizen,
            text="Sampah menumpuk bau di depan rumah",
            photo_files=[_scene()],
            public_photos_allowed=True,
            public_photos_consent_version=PHOTO_VERSION,
            **point(INSIDE),
        )
    photo = PublicPhoto.objects.get(complaint=complaint)
    storage, name = photo.file.storage, photo.file.name
    assert storage.exists(name)
    assert history(citizen) == [
        ("complaint_public_photo", complaint.tracking_number, True, "", PHOTO_VERSION, "api")
    ]

    other = UserFactory()
    foreign = api_for(other).post(
        CONSENTS,
        {
            "purpose": "complaint_public_photo",
            "granted": False,
            "version": PHOTO_VERSION,
            "object_ref": complaint.tracking_number,
        },
        format="json",
    )
    assert foreign.status_code == 404 and PublicPhoto.objects.filter(pk=photo.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api_for(citizen).post(
            CONSENTS,
            {
                "purpose": "complaint_public_photo",
                "granted": False,
                "version": PHOTO_VERSION,
                "object_ref": complaint.tracking_number,
            },
            format="json",
        )
    assert response.status_code == 201
    assert not PublicPhoto.objects.filter(complaint=complaint).exists()
    assert not storage.exists(name)  # the file is gone at once, not in 3 × 24 hours
    complaint.refresh_from_db()
    assert complaint.public_photos_allowed is False
    public = api_for().get(f"/api/v1/pengaduan/public/complaints/{complaint.tracking_number}/")
    assert public.json()["photos"] == []
    assert [row[2] for row in history(citizen)] == [True, False]
    current = api_for(citizen).get(CONSENTS).json()["current"]
    assert [(c["object_ref"], c["granted"]) for c in current] == [
        (complaint.tracking_number, False)
    ]


def test_an_outdated_photo_consent_version_refuses_the_complaint_before_anything_is_stored(
    seeded, citizen
):
    from balikpapan_untuk_warga.api.errors import ApplicationError

    with pytest.raises(ApplicationError) as raised:
        complaint_services.complaint_create(
            actor=citizen,
            text="Sampah menumpuk bau di depan rumah",
            photo_files=[_scene()],
            public_photos_allowed=True,
            public_photos_consent_version="2001-1",
            **point(INSIDE),
        )
    assert raised.value.get_codes() == "consent_version_outdated"
    assert not ConsentRecord.objects.exists()
    assert not complaint_services.Complaint.objects.exists()


# --- the portal ---------------------------------------------------------------------------------------


def test_the_portal_lists_my_consents_and_withdraws_one(client, citizen):
    api_for(citizen).put(PREFERENCES, preferences(push={**ALL_OFF, "news": True}), format="json")
    client.force_login(citizen)
    page = client.get(reverse("portal:consents"))
    assert page.status_code == 200
    assert "Push notifications" in page.content.decode() or "push" in page.content.decode()
    response = client.post(
        reverse("portal:consents"),
        {"purpose": "notifications_push", "object_ref": "", "version": VERSION},
    )
    assert response.status_code == 302
    assert history(citizen)[-1] == ("notifications_push", "", False, "", VERSION, "portal")
    assert not ChannelPreference.objects.get(user=citizen, channel="push").topic_news
    # junk in the form: a message, nothing written
    client.post(reverse("portal:consents"), {"purpose": "nope", "version": VERSION})
    assert len(history(citizen)) == 2


def test_the_consent_list_is_one_query_at_any_size(citizen, django_assert_num_queries):
    api = api_for(citizen)
    for size in (1, 10):
        ConsentRecord.objects.filter(user=citizen).delete()
        ConsentRecord.objects.bulk_create(
            [
                ConsentRecord(
                    user=citizen,
                    purpose="complaint_public_photo",
                    object_ref=f"ADU-{n}",
                    granted=True,
                    text_version=PHOTO_VERSION,
                    text_digest="x",
                    source="api",
                )
                for n in range(size)
            ]
        )
        # 1 the history (the current state is picked from it); nothing else: force_authenticate
        with django_assert_num_queries(1):
            body = api.get(CONSENTS).json()
        assert len(body["history"]) == len(body["current"]) == size


def test_a_whatsapp_complaint_records_the_consent_of_the_reporter_with_that_phone(
    seeded, citizen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = complaint_services.complaint_create(
            actor=None,
            channel="whatsapp",
            contact_phone=citizen.phone,
            text="Sampah menumpuk bau di depan rumah",
            photo_files=[_scene()],
            public_photos_allowed=True,
            **point(INSIDE),
        )
    assert complaint.reporter == citizen
    assert history(citizen) == [
        ("complaint_public_photo", complaint.tracking_number, True, "", PHOTO_VERSION, "whatsapp")
    ]

"""Export: "download everything held about me" — built by a task, served once, then 410."""

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from privacy.models import ExportRequest
from tests.civil_registry.conftest import birth_request, upload
from tests.privacy.conftest import BASE, NIK_A, NIK_B, api, codes

pytestmark = pytest.mark.django_db


def _ready_export(user, capture):
    with capture(execute=True):
        response = api(user).post(f"{BASE}exports/")
    assert response.status_code == 202, response.content
    export = ExportRequest.objects.get(uuid=response.json()["uuid"])
    assert export.state == ExportRequest.State.READY
    return export


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_export_end_to_end(citizen, stranger, django_capture_on_commit_callbacks):
    document = upload(citizen, "ktp-saya.png")
    birth_request(citizen)
    upload(stranger, "punya-orang-lain.png")
    birth_request(stranger, data=None)

    export = _ready_export(citizen, django_capture_on_commit_callbacks)
    detail = api(citizen).get(f"{BASE}exports/{export.uuid}/").json()
    assert detail["state"] == "ready"
    assert detail["download_url"].endswith(f"/exports/{export.uuid}/download/")
    assert default_storage.exists(export.file)

    response = api(citizen).get(f"{BASE}exports/{export.uuid}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    archive = _zip(response)
    raw = archive.read("data.json").decode()
    data = json.loads(raw)
    profile = data["sections"]["account"]["profile"]
    assert profile["email"] == citizen.email
    assert profile["nik"] == NIK_A  # the citizen's own NIK, in full
    assert len(data["sections"]["civil_registry"]) == 1
    assert data["sections"]["civil_registry"][0]["documents"]
    assert data["sections"]["civil_registry"][0]["history"]
    # Nothing of the other citizen.
    assert stranger.email not in raw
    assert NIK_B not in raw
    assert stranger.full_name not in raw
    # The uploaded files, byte for byte.
    names = [n for n in archive.namelist() if n.startswith("files/documents/")]
    assert f"files/documents/{document.uuid}-ktp-saya.png" in names
    with document.file.open("rb") as f:
        assert archive.read(f"files/documents/{document.uuid}-ktp-saya.png") == f.read()
    assert all("punya-orang-lain" not in n for n in archive.namelist())

    # Served once: the second time 410, and the stored file is gone.
    export.refresh_from_db()
    assert export.state == ExportRequest.State.DOWNLOADED
    again = api(citizen).get(f"{BASE}exports/{export.uuid}/download/")
    assert again.status_code == 410
    assert codes(again) == {"export_gone"}


def test_file_is_deleted_after_the_download(citizen, django_capture_on_commit_callbacks):
    export = _ready_export(citizen, django_capture_on_commit_callbacks)
    name = export.file
    with django_capture_on_commit_callbacks(execute=True):
        response = api(citizen).get(f"{BASE}exports/{export.uuid}/download/")
    assert response.status_code == 200
    assert not default_storage.exists(name)


def test_expired_export_answers_410(
    citizen, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.PRIVACY_EXPORT_TTL_HOURS = 72
    export = _ready_export(citizen, django_capture_on_commit_callbacks)
    name = export.file
    later = timezone.now() + dt.timedelta(hours=72, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(citizen).get(f"{BASE}exports/{export.uuid}/download/")
    assert response.status_code == 410
    assert codes(response) == {"export_gone"}
    export.refresh_from_db()
    assert export.state == ExportRequest.State.EXPIRED
    assert not default_storage.exists(name)


def test_just_before_expiry_it_is_served(citizen, django_capture_on_commit_callbacks, monkeypatch):
    export = _ready_export(citizen, django_capture_on_commit_callbacks)
    later = export.expires_at - dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert api(citizen).get(f"{BASE}exports/{export.uuid}/download/").status_code == 200


def test_other_citizen_gets_404(citizen, stranger, django_capture_on_commit_callbacks):
    export = _ready_export(citizen, django_capture_on_commit_callbacks)
    for path in (f"exports/{export.uuid}/", f"exports/{export.uuid}/download/"):
        response = api(stranger).get(f"{BASE}{path}")
        assert response.status_code == 404
    assert api(stranger).get(f"{BASE}exports/").json()["results"] == []
    export.refresh_from_db()
    assert export.state == ExportRequest.State.READY  # untouched


def test_one_pending_export_at_a_time(citizen):
    # Outside a commit the task never runs: the first stays pending.
    first = api(citizen).post(f"{BASE}exports/")
    assert first.status_code == 202
    second = api(citizen).post(f"{BASE}exports/")
    assert second.status_code == 409
    assert codes(second) == {"export_pending"}
    assert ExportRequest.objects.filter(user=citizen).count() == 1


def test_daily_limit_answers_429_with_retry_after(
    citizen, settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_EXPORTS_PER_DAY = 2
    for _ in range(2):
        _ready_export(citizen, django_capture_on_commit_callbacks)
    response = api(citizen).post(f"{BASE}exports/")
    assert response.status_code == 429
    assert codes(response) == {"throttled"}
    assert 0 < int(response["Retry-After"]) <= 24 * 3600 + 1
    assert ExportRequest.objects.filter(user=citizen).count() == 2


def test_anonymous_is_refused(db):
    assert api().post(f"{BASE}exports/").status_code == 401


def test_portal_page_and_download(client, citizen, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    page = client.get("/profil/data-pribadi/")
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/profil/data-pribadi/ekspor/").status_code == 302
    export = ExportRequest.objects.get(user=citizen)
    assert export.state == ExportRequest.State.READY
    page = client.get("/profil/data-pribadi/")
    assert f"/profil/data-pribadi/ekspor/{export.uuid}/unduh/".encode() in page.content
    response = client.get(f"/profil/data-pribadi/ekspor/{export.uuid}/unduh/")
    assert response.status_code == 200
    assert client.get(f"/profil/data-pribadi/ekspor/{export.uuid}/unduh/").status_code == 302

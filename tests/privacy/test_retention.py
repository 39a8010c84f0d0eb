"""Retention: the daily sweep deletes abandoned drafts with their files, old WhatsApp dialogues
and expired exports, and keeps what is recent or issued."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from balikpapan_untuk_warga.celery import app
from civil_registry import services as civil
from civil_registry.demo import demo_pdf
from civil_registry.models import CivilRequest
from privacy import services
from privacy.models import ExportRequest
from services.uploads.models import Document
from tests.civil_registry.conftest import birth_request, upload
from tests.privacy.conftest import BASE, api

pytestmark = pytest.mark.django_db


def _age(request, days):
    CivilRequest.objects.filter(pk=request.pk).update(
        updated_at=timezone.now() - dt.timedelta(days=days)
    )


def _files(request):
    return [link.document.file.name for link in request.documents.select_related("document")]


def test_old_draft_and_its_files_go_recent_and_issued_stay(
    citizen, officer, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.PRIVACY_DRAFT_RETENTION_DAYS = 30
    old = birth_request(citizen)
    recent = birth_request(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        issued = birth_request(citizen, submit=True)
        civil.request_start_review(actor=officer, request=issued)
        civil.request_approve(actor=officer, request=issued)
        civil.request_issue(actor=officer, request=issued, pdf=demo_pdf())
    old_files = _files(old)
    assert old_files and all(default_storage.exists(n) for n in old_files)
    _age(old, 31)
    _age(recent, 29)
    _age(issued, 400)

    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.retention_purge(now=now)

    assert result["civil_registry"]["requests"] == 1
    assert not CivilRequest.objects.filter(pk=old.pk).exists()
    assert not any(default_storage.exists(n) for n in old_files)
    assert not Document.objects.filter(file__in=old_files).exists()
    assert CivilRequest.objects.filter(pk=recent.pk).exists()
    assert all(default_storage.exists(n) for n in _files(recent))
    issued.refresh_from_db()
    assert issued.state == "issued"
    assert default_storage.exists(issued.issued_document.file.name)


def test_unattached_uploads_go_after_the_draft_retention(
    citizen, django_capture_on_commit_callbacks
):
    old, new = upload(citizen, "lama.png"), upload(citizen, "baru.png")
    Document.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    with django_capture_on_commit_callbacks(execute=True):
        services.retention_purge()
    assert not Document.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.file.name)
    assert Document.objects.filter(pk=new.pk).exists()


def test_old_whatsapp_dialogues_go(citizen, settings):
    from channels.models import Conversation, Message

    settings.PRIVACY_CONVERSATION_RETENTION_DAYS = 90
    long_ago = timezone.now() - dt.timedelta(days=91)
    old = Conversation.objects.create(
        phone="+6281200000001", wa_id="6281200000001", last_inbound_at=long_ago
    )
    Message.objects.create(conversation=old, direction="in", text="halo", status="processed")
    Message.objects.filter(conversation=old).update(created_at=long_ago)
    live = Conversation.objects.create(
        phone="+6281200000002", wa_id="6281200000002", last_inbound_at=timezone.now()
    )
    old_message = Message.objects.create(
        conversation=live, direction="in", text="lama", status="processed"
    )
    Message.objects.filter(pk=old_message.pk).update(created_at=long_ago)
    fresh = Message.objects.create(
        conversation=live, direction="in", text="baru", status="processed"
    )

    services.retention_purge()
    assert not Conversation.objects.filter(pk=old.pk).exists()
    assert list(Message.objects.filter(conversation=live)) == [fresh]


def test_expired_exports_lose_their_file(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api(citizen).post(f"{BASE}exports/")
    export = ExportRequest.objects.get()
    name = export.file
    later = export.expires_at + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.retention_purge(now=later)
    assert result["privacy"]["exports_expired"] == 1
    export.refresh_from_db()
    assert export.state == ExportRequest.State.EXPIRED
    assert not default_storage.exists(name)


def test_the_sweep_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-retention"]
    assert entry["task"] == "privacy.purge_retention"
    assert "privacy.purge_retention" in app.tasks

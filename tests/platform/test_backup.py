"""`make backup` / `make restore`: a backup restored into a fresh database and an empty media
directory has the same rows per table and the same files, byte for byte."""

import json
import sqlite3
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from balikpapan_untuk_warga import backups
from civil_registry.demo import demo_png
from services.uploads.services import document_upload
from tests.factories import UserFactory


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "private"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return root


def _seed():
    users = [UserFactory() for _ in range(3)]
    for index, user in enumerate(users):
        document_upload(owner=user, file=demo_png(f"scan-{index}.png"), purpose="test")
    return users


def _check_manifest(path):
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["tables"]["accounts_user"] >= 3
    assert manifest["tables"]["django_migrations"] > 0
    assert len(manifest["media"]["files"]) >= 3
    assert set(manifest["files"]) >= {"media.tar.gz"}
    return manifest


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)  # pg_dump reads committed data only
def test_postgres_backup_restores_into_a_fresh_database(media, tmp_path):
    _seed()
    out = tmp_path / "backup"
    call_command("backup", output=out)
    manifest = _check_manifest(out)
    assert (out / "db.dump").is_file()
    assert oct((out / "db.dump").stat().st_mode & 0o777) == "0o600"

    db = settings.DATABASES["default"]
    fresh = f"buw_restore_{uuid.uuid4().hex[:8]}"
    admin = {
        "dbname": "postgres",
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    admin = {k: v for k, v in admin.items() if v}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = "postgres://{user}{password}@{host}:{port}/{name}".format(
            user=db.get("USER") or "",
            password=(":" + db["PASSWORD"]) if db.get("PASSWORD") else "",
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or 5432,
            name=fresh,
        )
        restored_media = tmp_path / "restored-media"
        call_command("restore", str(out), database_url=url, media_root=restored_media)

        # Compared here too, independently of the command's own check.
        with psycopg.connect(**{**admin, "dbname": fresh}) as conn:
            for table, expected in manifest["tables"].items():
                count = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                assert count == expected, table
        assert backups.file_hashes(restored_media) == manifest["media"]["files"]
        assert backups.file_hashes(restored_media) == backups.file_hashes(media)

        # A second restore into the now non-empty database is refused.
        with pytest.raises(CommandError, match="fresh"):
            call_command("restore", str(out), database_url=url, media_root=tmp_path / "other-media")
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_file(media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant (the PostgreSQL one is above)")
    _seed()
    out = tmp_path / "backup"
    call_command("backup", output=out)
    manifest = _check_manifest(out)

    target = tmp_path / "restored.sqlite3"
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(out), database_url=f"sqlite:///{target}", media_root=restored_media)
    with sqlite3.connect(target) as conn:
        for table, expected in manifest["tables"].items():
            assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == expected
    assert backups.file_hashes(restored_media) == backups.file_hashes(media)


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_is_not_restored(media, tmp_path):
    _seed()
    out = tmp_path / "backup"
    call_command("backup", output=out)
    with (out / "media.tar.gz").open("ab") as archive:
        archive.write(b"x")
    with pytest.raises(CommandError, match="sha256"):
        call_command(
            "restore",
            str(out),
            database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}",
            media_root=tmp_path / "m",
        )

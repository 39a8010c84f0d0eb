"""Backups of the database and the private files, and their restore (``make backup``/``restore``).

A backup is one directory::

    <BACKUP_DIR>/<UTC timestamp>/
        db.dump          PostgreSQL: pg_dump custom format (restored with pg_restore)
        db.sqlite3       SQLite: an online copy (sqlite3's backup API, safe while the site runs)
        media.tar.gz     PRIVATE_MEDIA_ROOT (when the files live on the local disk)
        manifest.json    row counts per table, sha256 of every file above and of every private
                         file, so that a restore can be checked rather than trusted

On PostgreSQL the row counts are taken in the same snapshot as the dump (``pg_export_snapshot``
handed to ``pg_dump --snapshot``): they describe exactly what the dump holds, even while citizens
keep writing. A restore goes into a *fresh* database and an empty media directory only — it never
overwrites live data — and checks both against the manifest before it says it is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import environ
from django.conf import settings

MANIFEST = "manifest.json"
PG_DUMP = "db.dump"
SQLITE_COPY = "db.sqlite3"
MEDIA_ARCHIVE = "media.tar.gz"
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_hashes(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by path relative to it."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_of(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def _is_postgres(db: dict) -> bool:
    return db["ENGINE"].endswith("postgresql")


def _is_sqlite(db: dict) -> bool:
    return db["ENGINE"].endswith("sqlite3")


def _pg_env(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore; the password goes in the environment, never
    on the command line (visible in ``ps``)."""
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_connect(db: dict):
    import psycopg

    conninfo = {
        "dbname": db["NAME"],
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }
    return psycopg.connect(**{k: v for k, v in conninfo.items() if v}, autocommit=True)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count_rows(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (introspected names)
        counts[table] = cursor.fetchone()[0]
    return counts


# --- backup -------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup(*, target: Path | None = None, using: str = "default") -> BackupResult:
    db = settings.DATABASES[using]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(target) if target else Path(settings.BACKUP_DIR) / stamp
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} exists and is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o700)  # the dump holds every citizen's data (encrypted NIKs, phones, emails)

    if _is_postgres(db):
        tables = _backup_postgres(db, target, using)
    elif _is_sqlite(db):
        tables = _backup_sqlite(db, target, using)
    else:
        raise BackupError(f"No backup method for {db['ENGINE']}.")

    media_root = Path(settings.PRIVATE_MEDIA_ROOT)
    local_files = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    media: dict = {"included": False, "files": {}}
    if local_files:
        media = {"included": True, "files": file_hashes(media_root)}
        with tarfile.open(target / MEDIA_ARCHIVE, "w:gz") as archive:
            if media_root.exists():
                archive.add(media_root, arcname=".")
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "engine": "postgresql" if _is_postgres(db) else "sqlite",
        "tables": tables,
        "media": media,
        "files": {
            path.name: sha256_of(path)
            for path in sorted(target.iterdir())
            if path.is_file() and path.name != MANIFEST
        },
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    for path in target.iterdir():
        os.chmod(path, 0o600)
    return BackupResult(path=target, manifest=manifest)


def _backup_postgres(db: dict, target: Path, using: str) -> dict[str, int]:
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (postgresql-client).")
    # A separate connection holds the snapshot; Django's own may be inside a transaction.
    with _pg_connect(db) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ]
        counts = _count_rows(conn.cursor(), tables)
        args, env = _pg_env(db)
        result = subprocess.run(
            [
                "pg_dump",
                *args,
                "--format=custom",
                "--no-owner",
                "--no-acl",
                f"--snapshot={snapshot}",
                "--file",
                str(target / PG_DUMP),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        conn.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return counts


def _backup_sqlite(db: dict, target: Path, using: str) -> dict[str, int]:
    copy = target / SQLITE_COPY
    # Through Django's own connection (also right for an in-memory database): sqlite3's online
    # backup copies a consistent database while others keep writing.
    from django.db import connections

    connections[using].ensure_connection()
    with contextlib.closing(sqlite3.connect(str(copy))) as destination:
        connections[using].connection.backup(destination)
    # Counted in the copy: exactly what the backup holds.
    with contextlib.closing(sqlite3.connect(str(copy))) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return _count_rows(conn.cursor(), tables)


# --- restore ------------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    """The manifest, after checking every file of the backup against its sha256."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} has no {MANIFEST}.")
    manifest = json.loads(path.read_text())
    for name, expected in manifest["files"].items():
        if not (source / name).is_file():
            raise BackupError(f"{name} is missing from the backup.")
        if sha256_of(source / name) != expected:
            raise BackupError(f"{name} does not match its sha256 in the manifest.")
    return manifest


def restore(
    *, source: Path, database_url: str | None = None, media_root: Path | None = None
) -> dict[str, list[str]]:
    """Restore ``source`` into a fresh database (``database_url``, default the configured one)
    and an empty ``media_root`` (default PRIVATE_MEDIA_ROOT); returns what differs from the
    manifest (empty lists when everything matches)."""
    source = Path(source)
    manifest = read_manifest(source)
    db = (
        environ.Env.db_url_config(database_url)
        if database_url
        else dict(settings.DATABASES["default"])
    )
    if manifest["engine"] == "postgresql":
        if not _is_postgres(db):
            raise BackupError("A PostgreSQL backup restores into PostgreSQL only.")
        _restore_postgres(db, source)
        counts = _postgres_counts(db, list(manifest["tables"]))
    else:
        if not _is_sqlite(db):
            raise BackupError("A SQLite backup restores into SQLite only.")
        counts = _restore_sqlite(db, source)

    problems: dict[str, list[str]] = {"tables": [], "files": []}
    for table, expected in manifest["tables"].items():
        if counts.get(table) != expected:
            problems["tables"].append(f"{table}: {counts.get(table)} rows, expected {expected}")

    if manifest["media"]["included"]:
        media_root = Path(media_root or settings.PRIVATE_MEDIA_ROOT)
        if media_root.exists() and any(media_root.iterdir()):
            raise BackupError(f"{media_root} is not empty; restore into an empty directory.")
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
            archive.extractall(media_root, filter="data")
        restored = file_hashes(media_root)
        for name, expected in manifest["media"]["files"].items():
            if restored.get(name) != expected:
                problems["files"].append(name)
    return problems


def _restore_postgres(db: dict, source: Path) -> None:
    with _pg_connect(db) as conn:
        existing = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
    if existing:
        raise BackupError(f"Database {db['NAME']} already has tables; restore into a fresh one.")
    args, env = _pg_env(db)
    result = subprocess.run(
        [
            "pg_restore",
            *args,
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--single-transaction",
            str(source / PG_DUMP),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")


def _postgres_counts(db: dict, tables: list[str]) -> dict[str, int]:
    with _pg_connect(db) as conn:
        return _count_rows(conn.cursor(), tables)


def _restore_sqlite(db: dict, source: Path) -> dict[str, int]:
    target = Path(db["NAME"])
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} exists; restore into a fresh database file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Through the backup API rather than a file copy: the result is a consistent database even
    # if the copy is interrupted half-way.
    with (
        contextlib.closing(sqlite3.connect(str(source / SQLITE_COPY))) as src,
        contextlib.closing(sqlite3.connect(str(target))) as dst,
    ):
        src.backup(dst)
        tables = [
            row[0]
            for row in dst.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return _count_rows(dst.cursor(), tables)

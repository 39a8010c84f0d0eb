"""``make restore FROM=<backup dir>``: into a fresh database and an empty media directory, then
checked against the backup's manifest (see :mod:`balikpapan_untuk_warga.backups`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balikpapan_untuk_warga import backups


class Command(BaseCommand):
    help = (
        "Restore a backup into a fresh database (--database-url, default DATABASE_URL) and an "
        "empty media directory (--media-root, default PRIVATE_MEDIA_ROOT), and verify it."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup directory (with manifest.json).")
        parser.add_argument("--database-url", help="The fresh database to restore into.")
        parser.add_argument("--media-root", type=Path, help="The empty directory for the files.")

    def handle(self, *args, source, database_url=None, media_root=None, **options):
        try:
            problems = backups.restore(
                source=source, database_url=database_url, media_root=media_root
            )
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if problems["tables"] or problems["files"]:
            for line in problems["tables"]:
                self.stderr.write(f"table {line}")
            for name in problems["files"]:
                self.stderr.write(f"file {name}: missing or different")
            raise CommandError("The restored data does not match the backup's manifest.")
        self.stdout.write(self.style.SUCCESS(f"Restored {source} and verified it."))

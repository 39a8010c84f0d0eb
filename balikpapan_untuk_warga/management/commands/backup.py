"""``make backup``: the database and the private files into BACKUP_DIR/<timestamp>/ (see
:mod:`balikpapan_untuk_warga.backups`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balikpapan_untuk_warga import backups


class Command(BaseCommand):
    help = "Back up the database and the private files, with a manifest of row counts and hashes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Directory to write (default BACKUP_DIR/<UTC timestamp>)."
        )

    def handle(self, *args, output=None, **options):
        try:
            result = backups.backup(target=output)
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(
            f"Backup written to {result.path}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(manifest['media']['files'])} files."
        )
        if not manifest["media"]["included"]:
            self.stdout.write(
                "Private files are in object storage (STORAGE_BACKEND) and are not in this "
                "backup: back up the bucket with its own versioning/replication."
            )
        # The printed path is the only output a script needs.
        self.stdout.write(str(result.path))

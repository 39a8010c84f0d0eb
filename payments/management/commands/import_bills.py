"""Import PBB and retribusi bills from the revenue system's CSV.

Columns (header line required; order free): kind (pbb|retribusi), number (unique bill number),
nop (PBB: 18 digits, dots optional), tax_year (PBB), payer_name, payer_email (retribusi: links the
bill to the citizen with this email), description, object_address, kelurahan_name, land_area,
land_class, building_area, building_class, njop, principal (whole rupiah), due_date (YYYY-MM-DD).

Re-importing the same file changes nothing; a bad row is reported with its line number and the
good rows are kept. Exit status 1 when a row failed.
"""

from django.core.management.base import BaseCommand, CommandError

from payments.services import bills_import


class Command(BaseCommand):
    help = "Import bills from a CSV file (see the module docstring for the columns)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8-sig", newline="") as file:
                record = bills_import(actor=None, file=file, file_name=path)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        self.stdout.write(
            f"created {record.created}, updated {record.updated}, unchanged {record.unchanged}, "
            f"errors {len(record.errors)}"
        )
        for error in record.errors:
            self.stderr.write(f"line {error['line']}: {error['error']}")
        if record.errors:
            raise CommandError(f"{len(record.errors)} row(s) were not imported.")

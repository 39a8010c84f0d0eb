"""Load Balikpapan's boundary (GeoJSON) for the complaints' location check, with its source and
licence. Without a file, the bundled APPROXIMATION (tests and demo only) is loaded."""

from django.core.management.base import BaseCommand, CommandError

from complaints.seeding import APPROX_BOUNDARY, boundary_load


class Command(BaseCommand):
    help = "Load the city boundary (GeoJSON Polygon/MultiPolygon) with its source and licence."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(APPROX_BOUNDARY))
        parser.add_argument("--source", default="", help="Where the boundary comes from.")
        parser.add_argument("--licence", default="", help="Its licence.")

    def handle(self, *args, path, source, licence, **options):
        try:
            boundary = boundary_load(path=path, source=source, licence=licence)
        except (OSError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        note = " (APPROXIMATION: not for production)" if boundary.is_approximation else ""
        self.stdout.write(f"Loaded boundary {boundary.name!r}{note}; licence: {boundary.licence}.")

"""Fill PostgreSQL with a city-sized data set for performance work (issue 10).

Sizes at ``--scale 1.0``: 200,000 citizens (each with a sealed, digested NIK, a verified e-mail
address and the demo password), 250,000 tax objects with two SPPT each (2025 mostly paid, with
a paid ``Payment`` when the owner has an account; 2026 open), property links for the owners,
100,000 complaints over two years in realistic states, 1,000,000 activity items (most citizens
a few, 0.5 % of them heavy: a fifth of the rows), a week of sessions at every puskesmas plus one
open session with quota 100 for the booking burst. The reference data (regions, agencies, the
full catalog, facilities, complaint categories, holidays, demo accounts) comes first from
``seed_demo``; ``--reference-only`` runs only its reference part (for the tests: seconds, not
half a minute). Rows are loaded with ``COPY`` (``balikpapan_untuk_warga.scale``), then ANALYZE.

Options: ``--scale`` multiplies every size (0.001 for tests); ``--activity-rows N`` overrides the
activity size (10,000,000 for the 10x experiment); ``--reset`` empties the database first
(``flush``: every table, then the seeding runs again) — without it a database that already holds
seeded citizens is refused. SQLite is refused: ``COPY`` and the sizes are PostgreSQL matters.

The manifest, ``var/scale/manifest.json`` (``--manifest`` to change), is what the benchmark
reads. Its keys:

* ``password`` — the password of every seeded citizen;
* ``citizens`` — ``[{"id", "email"}]``, 20 ordinary citizens (few activity items);
* ``heavy_citizens`` — ``[{"id", "email"}]``, 5 of the heavy citizens;
* ``nops`` — ``[{"nop", "owner_id", "owner_email", "open_bill_uuid"}]``: NOPs linked to a citizen,
  with the uuid of the open 2026 bill;
* ``payments`` — ``[{"uuid", "order_id", "payer_email"}]``, paid payments;
* ``burst_session`` — ``{"id", "uuid", "quota": 100, "date", "facility", "service_point"}`` (or
  null when no puskesmas exists); ``now_serving_session_uuid`` — the same session's uuid;
* ``complaints`` — ``{"tracking_numbers": [...], "by_reporter": [{"tracking_number",
  "reporter_email"}]}`` (the newest ones);
* ``tracking_counters`` — ``{"ADU-<year>": last number}`` after the load;
* ``counts`` — rows per table loaded; ``seconds`` — seconds per table, ``total_seconds``;
* ``scale``, ``sizes``, ``database`` — what was asked for and where.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from balikpapan_untuk_warga.scale import SCALE_EMAIL_DOMAIN, ScaleLoader

DEFAULT_MANIFEST = Path(settings.BASE_DIR) / "var" / "scale" / "manifest.json"


class Command(BaseCommand):
    help = "Load a city-sized data set into PostgreSQL with COPY (performance work, issue 10)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Size multiplier (1.0).")
        parser.add_argument(
            "--activity-rows", type=int, default=None, help="Activity items (overrides scale)."
        )
        parser.add_argument("--reset", action="store_true", help="Empty the database first.")
        parser.add_argument(
            "--reference-only",
            action="store_true",
            help="Seed only regions, agencies, catalog, facilities and categories first, "
            "not all of seed_demo.",
        )
        parser.add_argument("--manifest", default=str(DEFAULT_MANIFEST))
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_scale needs PostgreSQL (it loads with COPY): set DATABASE_URL to a "
                "postgres:// database. SQLite is not supported."
            )
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        started = time.perf_counter()
        from accounts.models import User

        if options["reset"]:
            self.stdout.write("Emptying the database (flush)…")
            call_command("flush", interactive=False, verbosity=0)
        elif User.objects.filter(email__endswith=f"@{SCALE_EMAIL_DOMAIN}").exists():
            raise CommandError("This database already holds a scale data set: use --reset.")

        t0 = time.perf_counter()
        self._reference(reference_only=options["reference_only"])
        reference_seconds = time.perf_counter() - t0
        self.stdout.write(f"Reference data: {reference_seconds:.1f} s")

        loader = ScaleLoader(
            scale=options["scale"],
            activity_rows=options["activity_rows"],
            seed=options["seed"],
            out=self.stdout.write,
        )
        with transaction.atomic():
            loader.load_citizens()
            loader.load_payments()
            loader.load_complaints()
            loader.load_activity()
            loader.load_health()
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        loader.report.add("ANALYZE", 0, time.perf_counter() - t0)
        self.stdout.write(f"  {'ANALYZE':<24} {'':>16} {time.perf_counter() - t0:8.1f} s")
        total = time.perf_counter() - started

        manifest = loader.manifest | {
            "scale": options["scale"],
            "sizes": loader.sizes,
            "database": connection.settings_dict["NAME"],
            "counts": loader.report.rows,
            "seconds": {k: round(v, 2) for k, v in loader.report.seconds.items()}
            | {"reference_data": round(reference_seconds, 2)},
            "total_seconds": round(total, 2),
        }
        path = Path(options["manifest"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
        rows = sum(loader.report.rows.values())
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {rows:,} rows in {total:.1f} s; manifest: {path}")
        )

    def _reference(self, *, reference_only: bool) -> None:
        if not reference_only:
            call_command("seed_demo", stdout=self.stdout)
            return
        from balikpapan_untuk_warga.management.commands.seed_demo import Command as SeedDemo
        from complaints.seeding import seed_categories
        from health.demo import seed_health_demo
        from services.catalog.seeding import seed_catalog

        with transaction.atomic():
            demo = SeedDemo()
            demo._regions()
            demo._agencies()
            seed_catalog(stdout=None)
            seed_categories()
            seed_health_demo(None)

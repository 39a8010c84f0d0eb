"""A city-sized data set for performance work (issue 10), loaded with PostgreSQL ``COPY``.

Used by ``manage.py seed_scale``; see that command for the sizes, options and the manifest. Why
``COPY`` and not the ORM: one ``save()`` per row costs a round trip, signals and (for users) a
password hash each; 1.5 million rows that way take hours, ``COPY`` takes about a minute.

What is real and what is synthetic:

* citizens are ``accounts.User`` rows with a valid-looking NIK, sealed with the project's own
  ``identifiers.seal`` (one cached Fernet: about 7 µs per NIK, so *every* citizen gets one) and the
  keyed ``identifiers.digest``; all share one password hash computed once;
* tax objects, bills, payments, property links and complaints are complete rows of their models,
  with tracking numbers in the project's format, and the tracking counters are moved past them so
  that the next ``tracking_number_next()`` does not collide;
* activity items point at the seeded complaints and payments where those exist; the rest (the
  bulk) stand for civil-registry, health and application objects and carry object ids from
  ``SYNTHETIC_OBJECT_ID_BASE`` up, which name no row — the feed is denormalised and never loads
  the object, which is exactly what a feed benchmark needs;
* no status history, deadlines or notifications are written for the seeded objects.

Column values not given by a loader are taken from the model field's default (a per-row
``uuid4`` for ``UUIDField(default=uuid.uuid4)``, "now" for ``auto_now``/``auto_now_add``); a
required column without a default raises, so a new model field fails loudly here instead of
producing a half-filled table.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

SCALE_EMAIL_DOMAIN = "scale.balikpapan.test"
SYNTHETIC_OBJECT_ID_BASE = 1_000_000_000
PASSWORD = "WargaBalikpapan#2026"  # the demo password (seed_demo.DEMO_PASSWORD)

BASE_SIZES = {
    "citizens": 200_000,
    "tax_objects": 250_000,
    "complaints": 100_000,
    "activity": 1_000_000,
}

FIRST_NAMES = [
    *("Siti", "Budi", "Agus", "Dewi", "Rina", "Andi", "Wahyu", "Nur", "Sri", "Eko", "Yusuf"),
    *("Fitri", "Hendra", "Indah", "Rudi", "Ayu", "Bambang", "Lestari", "Joko", "Ratna"),
    *("Ahmad", "Putri", "Dimas", "Yuni", "Arif", "Maya", "Fajar", "Wulan", "Rizky", "Sari"),
]
LAST_NAMES = [
    *("Rahmawati", "Santoso", "Wijaya", "Saputra", "Hidayat", "Kurniawan", "Pratama"),
    *("Lestari", "Setiawan", "Nugroho", "Susanto", "Purnomo", "Hasanah", "Syahputra"),
    *("Gunawan", "Utami", "Firmansyah", "Maulana", "Handayani", "Ramadhan"),
]
STREETS = [
    *("Jl. Jenderal Sudirman", "Jl. MT Haryono", "Jl. Marsma R. Iswahyudi", "Jl. Ahmad Yani"),
    *("Jl. Soekarno-Hatta", "Jl. Letjen Suprapto", "Jl. Mulawarman", "Jl. Pangeran Antasari"),
]
COMPLAINT_TEXTS = (
    "Jalan berlubang cukup dalam, berbahaya bagi pengendara motor terutama malam hari.",
    "Lampu penerangan jalan mati sudah lebih dari seminggu.",
    "Sampah menumpuk di pinggir jalan dan belum diangkut.",
    "Saluran drainase tersumbat, air meluap ke jalan setiap hujan.",
    "Pohon tumbang menghalangi sebagian badan jalan.",
    "Lampu lalu lintas di persimpangan tidak menyala.",
    "Pedagang kaki lima menutup trotoar sehingga pejalan kaki turun ke jalan.",
)
# Balikpapan's built-up area, roughly (the approximate boundary's bounding box, shrunk).
LAT_RANGE = (-1.29, -1.17)
LNG_RANGE = (116.81, 116.98)


@dataclass
class Report:
    """Rows and seconds per table, in load order."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, label: str, rows: int, seconds: float) -> None:
        self.rows[label] = self.rows.get(label, 0) + rows
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds


def scaled(name: str, scale: float) -> int:
    return max(1, round(BASE_SIZES[name] * scale))


# --- COPY -----------------------------------------------------------------------------------------


def _column_plan(model: type[models.Model], given: Sequence[str]):
    """The columns of ``model`` in COPY order: ``given`` first, then constants and per-row
    generated values for the rest; raises for a required column nobody fills."""
    given_set = set(given)
    constants: list[tuple[str, object]] = []
    per_row: list[tuple[str, Callable[[], object]]] = []
    now = timezone.now()
    for f in model._meta.concrete_fields:
        if f.attname in given_set or (f.primary_key and f.attname not in given_set):
            continue
        if isinstance(f, models.UUIDField) and f.default is uuid.uuid4:
            per_row.append((f.column, uuid.uuid4))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            constants.append((f.column, now))
        elif f.has_default():
            constants.append((f.column, f.get_db_prep_save(f.get_default(), connection)))
        elif f.null or (f.blank and f.empty_strings_allowed):
            constants.append((f.column, f.get_default()))  # None or ""
        else:
            raise RuntimeError(
                f"seed_scale: {model._meta.label}.{f.name} is required and has no default: "
                "the scale loader must fill it."
            )
    columns = [model._meta.get_field(name).column for name in given]
    columns += [c for c, _v in constants] + [c for c, _f in per_row]
    return columns, tuple(v for _c, v in constants), [f for _c, f in per_row]


def copy_rows(model: type[models.Model], given: Sequence[str], rows: Iterable[Sequence]) -> int:
    """``COPY`` ``rows`` (tuples in the order of ``given`` attnames) into ``model``'s table."""
    columns, constants, generators = _column_plan(model, given)
    table = connection.ops.quote_name(model._meta.db_table)
    column_sql = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    sql = f"COPY {table} ({column_sql}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        if generators:
            for row in rows:
                write((*row, *constants, *(g() for g in generators)))
                count += 1
        else:
            for row in rows:
                write((*row, *constants))
                count += 1
    return count


def next_id(model: type[models.Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def reset_sequences(*model_list: type[models.Model]) -> None:
    """Explicit ids were copied: move the id sequences past them."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(model_list)):
            cursor.execute(sql)


# --- the loaders ------------------------------------------------------------------------------


class ScaleLoader:
    """Loads one data set; each ``load_*`` returns what later loaders and the manifest need."""

    def __init__(self, *, scale: float, activity_rows: int | None, seed: int = 2026, out=None):
        self.scale = scale
        self.sizes = {name: scaled(name, scale) for name in BASE_SIZES}
        if activity_rows is not None:
            self.sizes["activity"] = activity_rows
        self.random = random.Random(seed)  # noqa: S311 — synthetic data, reproducible
        self.report = Report()
        self.out = out or (lambda message: None)
        self.now = timezone.now()
        self.tz = ZoneInfo(settings.WORKFLOW_TIME_ZONE)
        self.manifest: dict = {"password": PASSWORD}

    def _timed(self, label: str, fn: Callable[[], int]) -> int:
        started = time.perf_counter()
        rows = fn()
        elapsed = time.perf_counter() - started
        self.report.add(label, rows, elapsed)
        self.out(f"  {label:<24} {rows:>11,} rows {elapsed:8.1f} s")
        return rows

    # citizens ---------------------------------------------------------------------------------

    def load_citizens(self) -> None:
        from allauth.account.models import EmailAddress
        from django.contrib.auth.hashers import make_password

        from accounts import identifiers
        from accounts.models import User
        from services.models import Kelurahan

        n = self.sizes["citizens"]
        password_hash = make_password(PASSWORD)  # once: hashing 200k times would take hours
        kelurahan_ids = list(Kelurahan.objects.values_list("id", flat=True)) or [None]
        first_id = next_id(User)
        rnd = self.random
        self.citizen_ids = list(range(first_id, first_id + n))
        self.citizen_names: dict[int, str] = {}
        seal, digest = identifiers.seal, identifiers.digest
        used: set[str] = set()
        epoch = self.now - dt.timedelta(days=3 * 365)

        def users():
            for i, user_id in enumerate(self.citizen_ids):
                female = rnd.random() < 0.5
                born = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randrange(20_000))
                day = born.day + (40 if female else 0)
                # 6471 (Balikpapan) + kecamatan 01–06, DDMMYY, then a serial unique per person
                nik = f"64710{1 + i % 6}{day:02d}{born.month:02d}{born.year % 100:02d}"
                serial = (i // 6) % 9999 + 1
                while f"{nik}{serial:04d}" in used:  # same place, birthday and serial: rare
                    serial = rnd.randint(1, 9999)
                nik = f"{nik}{serial:04d}"
                used.add(nik)
                name = f"{rnd.choice(FIRST_NAMES)} {rnd.choice(LAST_NAMES)}"
                self.citizen_names[user_id] = name
                yield (
                    user_id,
                    password_hash,
                    f"warga{i}@{SCALE_EMAIL_DOMAIN}",
                    name,
                    rnd.choice(kelurahan_ids),
                    seal(nik),
                    digest(nik),
                    epoch + dt.timedelta(seconds=rnd.randrange(3 * 365 * 86400)),
                )

        fields = ["id", "password", "email", "full_name", "home_kelurahan_id"]
        fields += ["nik_sealed", "nik_digest", "date_joined"]
        self._timed("accounts_user", lambda: copy_rows(User, fields, users()))
        reset_sequences(User)
        self._timed(
            "account_emailaddress",
            lambda: copy_rows(
                EmailAddress,
                ["user_id", "email", "verified", "primary"],
                (
                    (uid, f"warga{i}@{SCALE_EMAIL_DOMAIN}", True, True)
                    for i, uid in enumerate(self.citizen_ids)
                ),
            ),
        )
        # Heavy users: 0.5 % of citizens get a fifth of the activity rows (see load_activity).
        self.heavy_ids = self.citizen_ids[: max(1, n // 200)]
        self.manifest["citizens"] = [
            {"id": uid, "email": f"warga{uid - first_id}@{SCALE_EMAIL_DOMAIN}"}
            for uid in self.citizen_ids[len(self.heavy_ids) :][:20]
        ]
        self.manifest["heavy_citizens"] = [
            {"id": uid, "email": f"warga{uid - first_id}@{SCALE_EMAIL_DOMAIN}"}
            for uid in self.heavy_ids[:5]
        ]

    # tax objects, bills, payments ----------------------------------------------------------

    def load_payments(self) -> None:
        from payments.models import Bill, Payment, PropertyLink, TaxObject
        from services.models import Kelurahan

        rnd = self.random
        n = self.sizes["tax_objects"]
        kelurahan_names = list(Kelurahan.objects.values_list("name", flat=True)) or ["Klandasan"]
        first_object = next_id(TaxObject)
        objects: list[tuple] = []  # (id, nop, address, kelurahan, taxpayer_id or None, name)
        for i in range(n):
            kec, kel = 10 + (i % 6) * 10, 1 + (i // 6) % 12
            block, serial = 100 + (i // 72) % 900, (i // 64_800) + 1
            # 64.71.KKK.LLL.BBB-UUUU.0: unique per i, special code 0 (one taxpayer)
            nop = f"6471{kec:03d}{kel:03d}{block:03d}{(i % 72) * 100 + serial:04d}0"
            owner = rnd.choice(self.citizen_ids) if rnd.random() < 0.45 else None
            name = (self.citizen_names[owner] if owner else rnd.choice(LAST_NAMES)).upper()
            address = f"{rnd.choice(STREETS)} No. {rnd.randint(1, 300)} RT {rnd.randint(1, 60):02d}"
            objects.append(
                (first_object + i, nop, address, rnd.choice(kelurahan_names), owner, name)
            )
        self._timed(
            "payments_taxobject",
            lambda: copy_rows(
                TaxObject,
                [
                    *("id", "nop", "kecamatan_code", "kelurahan_code", "address"),
                    *("kelurahan_name", "taxpayer_name"),
                ],
                ((o[0], o[1], o[1][4:7], o[1][7:10], o[2], o[3], o[5]) for o in objects),
            ),
        )
        self._timed(
            "payments_propertylink",
            lambda: copy_rows(
                PropertyLink, ["user_id", "tax_object_id"], ((o[4], o[0]) for o in objects if o[4])
            ),
        )
        # Two SPPT per object: 2025 (mostly paid through the portal) and 2026 (open).
        first_bill = next_id(Bill)
        bills: list[tuple] = []
        payments: list[tuple] = []
        pay_year = 2025
        pay_counter = self._counter_start("PAY", pay_year)
        for o in objects:
            oid, nop, address, kelurahan, owner, name = o
            land, building = rnd.randint(100, 600), rnd.randint(0, 300)
            njop = (land * 1_500_000 + building * 3_000_000) // 1000 * 1000
            for year in (2025, 2026):
                principal = max(njop // 1000, 10_000)
                paid = year == 2025 and rnd.random() < 0.7
                paid_at = (
                    dt.datetime(2025, 3, 1, tzinfo=self.tz)
                    + dt.timedelta(seconds=rnd.randrange(270 * 86400))
                    if paid
                    else None
                )
                bill_id = first_bill + len(bills)
                bills.append(
                    (
                        bill_id,
                        "pbb",
                        f"SPPT-{year}-{nop}",
                        oid,
                        year,
                        name,
                        address,
                        kelurahan,
                        land,
                        "A23",
                        building,
                        "A15",
                        njop,
                        principal,
                        dt.date(year, 8, 31) if year == 2025 else dt.date(year, 12, 31),
                        paid,
                        paid_at,
                    )
                )
                if paid and owner:
                    pay_counter += 1
                    payments.append((bill_id, owner, principal, paid_at, pay_counter))
        bill_fields = ["id", "kind", "number", "tax_object_id", "tax_year", "payer_name"]
        bill_fields += ["object_address", "kelurahan_name", "land_area", "land_class"]
        bill_fields += ["building_area", "building_class", "njop", "principal", "due_date"]
        bill_fields += ["is_paid", "paid_at"]
        self._timed("payments_bill", lambda: copy_rows(Bill, bill_fields, bills))
        first_payment = next_id(Payment)
        self.payment_rows = [
            (first_payment + k, f"PAY-{pay_year}-{number:06d}", bill_id, payer, principal, paid_at)
            for k, (bill_id, payer, principal, paid_at, number) in enumerate(payments)
        ]
        self._timed(
            "payments_payment",
            lambda: copy_rows(
                Payment,
                [
                    *("id", "order_id", "bill_id", "payer_id", "state", "state_changed_at"),
                    *("principal", "penalty", "amount", "provider", "qr_string", "expires_at"),
                    *("paid_at", "created_at"),
                ],
                (
                    (
                        *(pid, order, bid, payer, "paid", paid_at, principal, 0, principal),
                        *("sandbox", "00020101021226", paid_at + dt.timedelta(minutes=15)),
                        *(paid_at, paid_at),
                    )
                    for pid, order, bid, payer, principal, paid_at in self.payment_rows
                ),
            ),
        )
        reset_sequences(TaxObject, Bill, Payment)
        self._counter_set("PAY", pay_year, pay_counter)
        # For the benchmark: NOPs whose owner has an account (2026 bill open), and payments.
        owned = [o for o in objects if o[4]][:20]
        bill_uuid = dict(
            Bill.objects.filter(tax_object_id__in=[o[0] for o in owned], tax_year=2026).values_list(
                "tax_object_id", "uuid"
            )
        )
        self.manifest["nops"] = [
            {
                "nop": o[1],
                "owner_id": o[4],
                "owner_email": self._email(o[4]),
                "open_bill_uuid": str(bill_uuid.get(o[0], "")),
            }
            for o in owned
        ]
        sample = self.payment_rows[:20]
        uuids = dict(
            Payment.objects.filter(id__in=[p[0] for p in sample]).values_list("id", "uuid")
        )
        self.manifest["payments"] = [
            {"uuid": str(uuids[p[0]]), "order_id": p[1], "payer_email": self._email(p[3])}
            for p in sample
        ]

    def _email(self, user_id: int) -> str:
        return f"warga{user_id - self.citizen_ids[0]}@{SCALE_EMAIL_DOMAIN}"

    # tracking counters ------------------------------------------------------------------------

    def _counter_start(self, prefix: str, year: int) -> int:
        from services.workflow.models import TrackingCounter

        row = TrackingCounter.objects.filter(prefix=prefix, year=year).first()
        return row.last_number if row else 0

    def _counter_set(self, prefix: str, year: int, last: int) -> None:
        from services.workflow.models import TrackingCounter

        TrackingCounter.objects.update_or_create(
            prefix=prefix, year=year, defaults={"last_number": last}
        )

    # complaints -------------------------------------------------------------------------------

    def load_complaints(self) -> None:
        from complaints.models import Category, Complaint
        from services.models import Agency, Kelurahan

        rnd = self.random
        n = self.sizes["complaints"]
        categories = list(
            Category.objects.filter(is_active=True, parent__isnull=False).values_list(
                "id", "agency_id", "response_hours", "resolution_days"
            )
        ) or list(
            Category.objects.values_list("id", "agency_id", "response_hours", "resolution_days")
        )
        fallback_agency = (
            Agency.objects.filter(code="diskominfo").values_list("id", flat=True).first()
            or Agency.objects.values_list("id", flat=True).first()
        )
        kelurahan_ids = list(Kelurahan.objects.values_list("id", flat=True)) or [None]
        # Two years of complaints, more in recent months; tracking numbers follow creation order.
        ages = sorted((rnd.random() ** 1.5 * 730 for _ in range(n)), reverse=True)
        counters: dict[int, int] = {}
        first_complaint = next_id(Complaint)
        self.complaint_rows: list[tuple] = []  # (id, tracking, reporter, state, created, category)
        rows = []
        for k, age_days in enumerate(ages):
            created = self.now - dt.timedelta(days=age_days)
            year = created.astimezone(self.tz).year
            if year not in counters:
                counters[year] = self._counter_start("ADU", year)
            counters[year] += 1
            tracking = f"ADU-{year}-{counters[year]:06d}"
            cat_id, agency_id, response_hours, resolution_days = rnd.choice(categories)
            agency_id = agency_id or fallback_agency
            state = self._complaint_state(age_days)
            responded = resolved = rating = None
            if state not in ("received", "triaged"):
                responded = created + dt.timedelta(hours=rnd.uniform(0.5, response_hours * 1.5))
            if state in ("resolved", "closed"):
                resolved = created + dt.timedelta(days=rnd.uniform(0.5, resolution_days * 1.4))
                resolved = min(resolved, self.now)
                rating = rnd.randint(1, 5) if state == "closed" and rnd.random() < 0.5 else None
            resolution_due = created + dt.timedelta(days=resolution_days * 7 / 5)
            breached = (resolved or self.now) > resolution_due and state != "rejected"
            with_account = rnd.random() < 0.8
            reporter = rnd.choice(self.citizen_ids) if with_account else None
            channel = rnd.choice(("app", "web", "app")) if with_account else "whatsapp"
            row = (
                first_complaint + k,
                tracking,
                reporter,
                "" if with_account else f"+62812{rnd.randrange(10**7):07d}",
                channel,
                rnd.choice(COMPLAINT_TEXTS),
                cat_id,
                agency_id,
                Decimal(f"{rnd.uniform(*LAT_RANGE):.6f}"),
                Decimal(f"{rnd.uniform(*LNG_RANGE):.6f}"),
                rnd.choice(kelurahan_ids),
                f"{rnd.choice(STREETS)} dekat No. {rnd.randint(1, 300)}",
                created + dt.timedelta(hours=response_hours),
                resolution_due,
                responded,
                resolved,
                breached,
                rating,
                state,
                resolved or responded or created,
                created,
                rnd.random() < 0.3,
            )
            rows.append(row)
            self.complaint_rows.append((row[0], tracking, reporter, state, created, cat_id))
        fields = ["id", "tracking_number", "reporter_id", "contact_phone", "channel", "text"]
        fields += ["category_id", "agency_id", "latitude", "longitude", "kelurahan_id", "address"]
        fields += ["response_due_at", "resolution_due_at", "responded_at", "resolved_at"]
        fields += ["is_breached", "rating", "state", "state_changed_at", "created_at"]
        fields += ["public_photos_allowed"]
        self._timed("complaints_complaint", lambda: copy_rows(Complaint, fields, rows))
        reset_sequences(Complaint)
        for year, last in counters.items():
            self._counter_set("ADU", year, last)
        self.manifest["tracking_counters"] = {f"ADU-{y}": last for y, last in counters.items()}
        newest = self.complaint_rows[-10:]
        with_reporter = [c for c in reversed(self.complaint_rows) if c[2]][:10]
        self.manifest["complaints"] = {
            "tracking_numbers": [c[1] for c in newest],
            "by_reporter": [
                {"tracking_number": c[1], "reporter_email": self._email(c[2])}
                for c in with_reporter
            ],
        }

    def _complaint_state(self, age_days: float) -> str:
        r = self.random.random()
        if age_days > 30:
            table = (("closed", 0.7), ("resolved", 0.1), ("rejected", 0.08), ("in_progress", 0.07))
            default = "assigned"
        else:
            table = (
                ("received", 0.12),
                ("triaged", 0.08),
                ("assigned", 0.25),
                ("in_progress", 0.25),
                ("needs_information", 0.05),
                ("resolved", 0.15),
            )
            default = "closed"
        for state, share in table:
            if r < share:
                return state
            r -= share
        return default

    # activity -------------------------------------------------------------------------------

    def load_activity(self) -> None:
        from complaints.models import Complaint
        from payments.models import Payment
        from services.activity.models import ActivityItem

        rnd = self.random
        total = self.sizes["activity"]
        closed = {"closed", "resolved", "rejected", "duplicate"}
        complaint_ct = ContentType.objects.get_for_model(Complaint).pk
        payment_ct = ContentType.objects.get_for_model(Payment).pk
        # Synthetic objects of the other modules (ids name no row; see the module docstring).
        synthetic = []
        for label, module, service, title, states in (
            (
                "civil_registry.request",
                "pencatatan-sipil",
                "akta-kelahiran",
                "Akta Kelahiran",
                (("submitted", "Diajukan", True), ("issued", "Terbit", False)),
            ),
            (
                "civil_registry.request",
                "pencatatan-sipil",
                "kartu-keluarga",
                "Kartu Keluarga",
                (("in_review", "Diperiksa", True), ("issued", "Terbit", False)),
            ),
            (
                "health.ticket",
                "kesehatan",
                "antrean-puskesmas",
                "Antrean Poli Umum",
                (("booked", "Dipesan", True), ("served", "Dilayani", False)),
            ),
            (
                "applications.application",
                "permohonan",
                "izin-reklame",
                "Izin Reklame",
                (("submitted", "Diajukan", True), ("approved", "Disetujui", False)),
            ),
        ):
            app_label, model_name = label.split(".")
            ct = ContentType.objects.filter(app_label=app_label, model=model_name).first()
            if ct is None:
                ct = ContentType.objects.get_for_model(ActivityItem)
            synthetic.append(
                (
                    ct.pk,
                    module,
                    service,
                    json.dumps({"id": title, "en": title}),
                    [(s, json.dumps({"id": lbl, "en": lbl}), o) for s, lbl, o in states],
                )
            )
        complaint_title = json.dumps({"id": "Pengaduan", "en": "Complaint"})
        payment_title = json.dumps({"id": "Pembayaran pajak", "en": "Tax payment"})
        paid_label = json.dumps({"id": "Lunas", "en": "Paid"})
        state_labels: dict[str, str] = {}
        ids = self.citizen_ids
        heavy = self.heavy_ids
        span = 730 * 86400

        def rows():
            made = 0
            for cid, tracking, reporter, state, created, _cat in self.complaint_rows:
                if reporter is None or made >= total:
                    continue
                label = state_labels.setdefault(state, json.dumps({"id": state, "en": state}))
                yield (
                    reporter,
                    complaint_ct,
                    str(cid),
                    "pengaduan",
                    "pengaduan",
                    tracking,
                    complaint_title,
                    state,
                    label,
                    state not in closed,
                    f"/api/v1/pengaduan/complaints/{cid}/",
                    created,
                    created,
                )
                made += 1
            for pid, order, _bill, payer, _principal, paid_at in self.payment_rows:
                if made >= total:
                    break
                yield (
                    payer,
                    payment_ct,
                    str(pid),
                    "pembayaran",
                    "pbb",
                    order,
                    payment_title,
                    "paid",
                    paid_label,
                    False,
                    f"/api/v1/pembayaran/payments/{pid}/",
                    paid_at,
                    paid_at,
                )
                made += 1
            serial = SYNTHETIC_OBJECT_ID_BASE
            while made < total:
                owner = rnd.choice(heavy) if rnd.random() < 0.2 else rnd.choice(ids)
                ct, module, service, title, states = rnd.choice(synthetic)
                state, label, is_open = states[0] if rnd.random() < 0.3 else states[1]
                changed = self.now - dt.timedelta(seconds=(rnd.random() ** 1.5) * span)
                serial += 1
                yield (
                    owner,
                    ct,
                    str(serial),
                    module,
                    service,
                    f"SYN-{serial}",
                    title,
                    state,
                    label,
                    is_open,
                    "",
                    changed,
                    changed,
                )
                made += 1

        fields = ["owner_id", "content_type_id", "object_id", "module", "service_code"]
        fields += ["tracking_number", "title", "state", "state_label", "is_open", "app_link"]
        fields += ["created_at", "last_changed_at"]
        self._timed("activity_activityitem", lambda: copy_rows(ActivityItem, fields, rows()))

    # health -------------------------------------------------------------------------------------

    def load_health(self) -> None:
        from health.models import ServicePoint, Session
        from health.services import sessions_materialise

        def week() -> int:  # seed_health_demo may have made them already: count the week
            sessions_materialise(days=7)
            today = timezone.localdate(timezone=self.tz)
            return Session.objects.filter(
                date__range=(today, today + dt.timedelta(days=6)),
                service_point__facility__kind="puskesmas",
            ).count()

        self._timed("health_session (week)", week)
        # The booking burst: an open session with quota 100 tomorrow (local time), puskesmas.
        point = (
            ServicePoint.objects.filter(facility__kind="puskesmas", is_active=True)
            .order_by("facility__code", "code")
            .first()
        )
        if point is None:
            self.manifest["burst_session"] = None
            return
        tomorrow = timezone.localdate(timezone=self.tz) + dt.timedelta(days=1)
        starts = dt.datetime.combine(tomorrow, dt.time(7, 1), tzinfo=self.tz)
        session, _ = Session.objects.get_or_create(
            service_point=point,
            starts_at=starts,
            defaults={"date": tomorrow, "ends_at": starts + dt.timedelta(hours=5), "quota": 100},
        )
        self.manifest["burst_session"] = {
            "id": session.pk,
            "uuid": str(session.uuid),
            "quota": session.quota,
            "date": tomorrow.isoformat(),
            "facility": point.facility.code,
            "service_point": point.code,
        }
        self.manifest["now_serving_session_uuid"] = str(session.uuid)

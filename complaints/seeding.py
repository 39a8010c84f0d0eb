"""Seed the categories and the (approximate) boundary; the demo complaints for ``seed_demo``."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from complaints.data.categories import CATEGORIES, SENSITIVE_CATEGORIES
from complaints.data.outside_bodies import OUTSIDE_BODIES
from complaints.models import Boundary, Category, OutsideBody
from services.models import Agency

APPROX_BOUNDARY = Path(__file__).parent / "data" / "balikpapan_boundary_approx.geojson"


def seed_outside_bodies() -> int:
    """Create the outside bodies (idempotent; e-mail addresses set by staff are kept)."""
    for code, name, short_name, description in OUTSIDE_BODIES:
        OutsideBody.objects.get_or_create(
            code=code,
            defaults={"name": name, "short_name": short_name, "description": description},
        )
    return len(OUTSIDE_BODIES)


def seed_categories() -> int:
    """Create or update the seeded categories (idempotent; staff edits to keywords are kept), and
    the outside bodies complaints can be re-routed to."""
    seed_outside_bodies()
    by_code: dict[str, Category] = {}
    for code, parent, name_id, name_en, agency, response, resolution, field, words in CATEGORIES:
        category, _created = Category.objects.get_or_create(
            code=code,
            defaults={
                "agency": Agency.objects.get(code=agency),
                "name_id": name_id,
                "name_en": name_en,
                "response_hours": response,
                "resolution_days": resolution,
                "is_field": field,
                "keywords": words,
                "is_sensitive": code in SENSITIVE_CATEGORIES,
                "parent": by_code.get(parent),
            },
        )
        by_code[code] = category
    return len(by_code)


def boundary_load(*, path: Path, source: str = "", licence: str = "", approximation=None):
    """Load a GeoJSON (Feature, FeatureCollection of one feature, or geometry) as the active
    boundary; the file's ``source``/``licence`` members are used when not given."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    geometry = data
    if data.get("type") == "FeatureCollection":
        geometry = data["features"][0]["geometry"]
    elif data.get("type") == "Feature":
        geometry = data["geometry"]
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("The boundary must be a GeoJSON Polygon or MultiPolygon.")
    source = source or data.get("source", "")
    licence = licence or data.get("licence", "")
    if not source or not licence:
        raise ValueError("Record the boundary's source and licence (--source, --licence).")
    if approximation is None:
        approximation = "APPROXIMATION" in source.upper()
    with transaction.atomic():
        Boundary.objects.filter(is_active=True).update(is_active=False)
        return Boundary.objects.create(
            name=data.get("name", "Kota Balikpapan"),
            geometry=geometry,
            source=source,
            licence=licence,
            is_approximation=approximation,
        )


def seed_approximate_boundary() -> Boundary:
    existing = Boundary.objects.filter(is_active=True).first()
    return existing or boundary_load(path=APPROX_BOUNDARY)


# (text, category or None, lat, lon, states to walk through)
DEMO_COMPLAINTS = [
    (
        "Jalan berlubang besar di depan SD, aspal rusak dan membahayakan pengendara motor.",
        "jalan_rusak",
        "-1.262100",
        "116.833000",
        ["start", "resolve"],
    ),
    (
        "Lampu jalan mati sudah dua minggu di gang ini, gelap sekali malam hari.",
        "lampu_jalan",
        "-1.245000",
        "116.910500",
        ["start"],
    ),
    (
        "Sampah menumpuk di TPS dekat pasar, bau dan dikerubungi lalat.",
        "sampah",
        "-1.236000",
        "116.861000",
        [],
    ),
    (
        "Banjir setinggi lutut setiap hujan deras, air meluap dari selokan.",
        "banjir",
        "-1.253000",
        "116.880500",
        ["start", "resolve", "close"],
    ),
    (
        "Selokan tersumbat dan saluran air mampet di depan rumah.",
        "drainase",
        "-1.241800",
        "116.838000",
        [],
    ),
    (
        "Tolong diperhatikan, sudah lama tidak ada tindak lanjut.",
        None,
        "-1.230000",
        "116.850000",
        [],
    ),
    (
        "Pedagang kaki lima liar memakai trotoar dan parkir liar menutup jalan.",
        "ketertiban_umum",
        "-1.270500",
        "116.826000",
        ["reject"],
    ),
]


def _after_photo(officer):
    """A small generated JPEG standing in for the field team's "after" photo."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    from services.uploads.services import document_upload

    buffer = BytesIO()
    Image.new("RGB", (64, 48), (110, 130, 110)).save(buffer, "JPEG")
    return document_upload(
        owner=officer,
        file=ContentFile(buffer.getvalue(), name="sesudah.jpg"),
        purpose="complaint_after_photo",
    ).uuid


def _staff(email: str, name: str, agency_code: str, role: str, password: str):
    from accounts.models import User
    from accounts.services import membership_grant

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name, is_staff=True)
        user.set_password(password)
        user.save()
    membership_grant(actor=None, user=user, agency=Agency.objects.get(code=agency_code), role=role)
    return user


DEMO_STAFF = [
    # (email, name, agency, role)
    ("pu@demo.balikpapan.test", "Andi Prasetyo", "dpu", "counter_officer"),
    ("bpbd@demo.balikpapan.test", "Rina Wulandari", "bpbd", "counter_officer"),
    ("dishub@demo.balikpapan.test", "Yusuf Hamdani", "dishub", "counter_officer"),
    ("satpolpp@demo.balikpapan.test", "Dedi Kurniawan", "satpolpp", "counter_officer"),
    ("dlh@demo.balikpapan.test", "Fitri Handayani", "dlh", "counter_officer"),
    ("dkk@demo.balikpapan.test", "Hendra Saputra", "dkk", "counter_officer"),
    ("commandcentre@demo.balikpapan.test", "Maya Lestari", "diskominfo", "command_centre"),
]


@transaction.atomic
def seed_demo_complaints(*, stdout=None, password: str = "") -> int:
    """Categories, the approximate boundary, demo staff and a few complaints of the demo citizen
    in several states (idempotent: the complaints are skipped when the citizen has any)."""
    from accounts.models import User
    from complaints import services
    from complaints.models import Complaint

    seed_categories()
    seed_approximate_boundary()
    officers = {
        agency: _staff(email, name, agency, role, password)
        for email, name, agency, role in DEMO_STAFF
    }
    reporter = User.objects.filter(email="warga@demo.balikpapan.test").first()
    if reporter is None or Complaint.objects.filter(reporter=reporter).exists():
        return 0
    created = 0
    for text, code, lat, lon, steps in DEMO_COMPLAINTS:
        category = Category.objects.filter(code=code).first() if code else None
        complaint = services.complaint_create(
            actor=reporter,
            text=text,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            category=category,
            channel="web",
        )
        officer = officers.get(complaint.agency.code)
        for step in steps:
            if step == "close":
                services.complaint_close(actor=reporter, complaint=complaint)
            elif step == "start":
                services.complaint_start(actor=officer, complaint=complaint)
            elif step == "resolve":
                services.complaint_resolve(
                    actor=officer,
                    complaint=complaint,
                    public_note="Sudah diperbaiki oleh tim.",
                    after_photo=_after_photo(officer),
                )
            elif step == "reject":
                services.complaint_reject(
                    actor=officer, complaint=complaint, note="Sudah ditertibkan sebelumnya."
                )
        created += 1
    created += _generated(officers)
    if stdout is not None:
        stdout.write(f"Complaints: {created} demo complaints; staff: {', '.join(officers)}.")
    return created


GENERATED_COUNT = 200  # "a few hundred" with the rest; each costs ~0.1 s to seed
GENERATED_TEXTS = {
    "jalan_rusak": "Jalan berlubang dan aspal rusak, berbahaya bagi pengendara",
    "drainase": "Selokan tersumbat, saluran air mampet",
    "lampu_jalan": "Lampu jalan mati, gang gelap di malam hari",
    "sampah": "Sampah menumpuk dan bau di pinggir jalan",
    "banjir": "Genangan air setiap hujan, jalan tergenang",
    "kesehatan_masyarakat": "Banyak nyamuk dan jentik, warga demam",
    "ketertiban_umum": "Parkir liar dan PKL menutup trotoar",
}


def _generated(officers) -> int:
    """A few hundred anonymous-citizen complaints spread over the categories, kelurahan and
    states, from a fixed random seed (the same data on every machine)."""
    import random

    from accounts.models import User
    from complaints import services
    from complaints.data.kelurahan_centroids import KELURAHAN_CENTROIDS

    if User.objects.filter(email="warga.demo1@demo.balikpapan.test").exists():
        return 0
    randomiser = random.Random(2026)  # noqa: S311 (reproducible demo data, not security)
    citizens = []
    for n in range(1, 6):
        user = User(email=f"warga.demo{n}@demo.balikpapan.test", full_name=f"Warga Demo {n}")
        user.set_unusable_password()
        user.save()
        citizens.append(user)
    categories = {c.code: c for c in Category.objects.filter(code__in=GENERATED_TEXTS)}
    codes = sorted(GENERATED_TEXTS)
    centroids = sorted(KELURAHAN_CENTROIDS.values())
    for _ in range(GENERATED_COUNT):
        code = randomiser.choice(codes)
        lat, lon = randomiser.choice(centroids)
        complaint = services.complaint_create(
            actor=randomiser.choice(citizens),
            text=GENERATED_TEXTS[code],
            category=categories[code],
            latitude=Decimal(f"{lat + randomiser.uniform(-0.002, 0.002):.6f}"),
            longitude=Decimal(f"{lon + randomiser.uniform(-0.002, 0.002):.6f}"),
            channel=randomiser.choice(["app", "web", "whatsapp", "mpp"]),
        )
        officer = officers.get(complaint.agency.code)
        shift = dt.timedelta(days=randomiser.randint(0, 180), hours=randomiser.randint(0, 23))
        work = dt.timedelta(hours=randomiser.uniform(2, 24 * 18))  # filing to resolution
        roll = randomiser.random()
        _walk(complaint, officer, roll, randomiser)
        _backdate(complaint, shift, work)  # spread over half a year, with realistic durations
    return GENERATED_COUNT + _without_account(officers)


WITHOUT_ACCOUNT = [
    # (text, channel, contact phone, kelurahan code, address, outside body)
    (
        "Tiang listrik miring dan kabel menjuntai di gang",
        "whatsapp",
        "+6281255500001",
        "64.71.03.1001",
        "Gang Kenari depan warung",
        "pln",
    ),
    (
        "Air PDAM mati tiga hari di RT 09",
        "mpp",
        "+6281255500002",
        "64.71.02.1002",
        "RT 09 dekat masjid",
        "pdam",
    ),
    (
        "Sampah menumpuk bau di TPS pasar",
        "whatsapp",
        "+6281255500003",
        "64.71.06.1001",
        "TPS Pasar Klandasan",
        None,
    ),
]


def _without_account(officers) -> int:
    """A few complaints filed at the MPP counter or by WhatsApp without an account (located by
    kelurahan and description), two of them handed to outside bodies."""
    from complaints import services
    from complaints.models import OutsideBody
    from services.models import Kelurahan

    made = 0
    for text, channel, phone, kelurahan, address, body in WITHOUT_ACCOUNT:
        place = Kelurahan.objects.filter(code=kelurahan).first()
        if place is None:
            continue
        complaint = services.complaint_create(
            actor=None,
            text=text,
            channel=channel,
            contact_phone=phone,
            kelurahan=place,
            address=address,
            category=Category.objects.get(code="lainnya") if body else None,
        )
        made += 1
        outside = OutsideBody.objects.filter(code=body).first() if body else None
        officer = officers.get(complaint.agency.code)
        if outside is not None and officer is not None:
            services.complaint_reroute(
                actor=officer,
                complaint=complaint,
                outside_body=outside,
                note="Bukan kewenangan Pemkot.",
            )
    return made


def _backdate(complaint, shift, work) -> None:
    """Move a generated complaint back in time: resolved ``shift`` ago, filed ``work`` before
    that (its due times move with the filing), first answered after a third of ``work``."""
    from django.db.models import F

    from complaints.models import Complaint

    complaint.refresh_from_db()
    filed = shift + work
    values = {"created_at": F("created_at") - filed}
    for field in ("response_due_at", "resolution_due_at"):
        if getattr(complaint, field) is not None:
            values[field] = F(field) - filed
    if complaint.responded_at is not None:
        values["responded_at"] = F("responded_at") - (shift + work * 2 / 3)
    if complaint.resolved_at is not None:
        values["resolved_at"] = F("resolved_at") - shift
    Complaint.objects.filter(pk=complaint.pk).update(**values)


def _walk(complaint, officer, roll, randomiser) -> None:
    """Take a generated complaint some way along its workflow, as the roll says."""
    from complaints import services

    complaint.refresh_from_db()
    if officer is None:
        return
    if roll < 0.35:
        return
    services.complaint_start(actor=officer, complaint=complaint)
    if roll < 0.6:
        return
    services.complaint_resolve(
        actor=officer,
        complaint=complaint,
        public_note="Sudah ditangani oleh tim lapangan.",
        after_photo=_after_photo(officer) if complaint.category.is_field else None,
    )
    if roll > 0.8:
        services.complaint_close(actor=complaint.reporter, complaint=complaint)
        services.complaint_rate(
            actor=complaint.reporter, complaint=complaint, rating=randomiser.randint(1, 5)
        )

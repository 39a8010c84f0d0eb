"""Demo data for the health module: the puskesmas and RSUD named in public sources, the MPP's
busiest counters, weekly schedules, today's sessions, a puskesmas officer. Idempotent.

The official list of Balikpapan's puskesmas (with kecamatan, addresses and coordinates) was not
found (``../shared/domain-facts.md`` §4.2): every facility here is seeded with
``is_confirmed=False``; the coordinates are approximate points in the named area.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

SOURCE = "domain-facts §4.2 (smartrt.news, niaga.asia, inibalikpapan.com 2025); unconfirmed"
HOURS = "Mon–Thu 07:30–14:00, Fri 07:30–11:00, Sat 07:30–12:30"

# (code, kind, name, kecamatan, address, latitude, longitude)
FACILITIES = [
    (
        "pkm-klandasan-ilir",
        "puskesmas",
        "Puskesmas Klandasan Ilir",
        "Balikpapan Kota",
        "Klandasan Ilir",
        -1.2741,
        116.8312,
    ),
    (
        "pkm-gunung-bahagia",
        "puskesmas",
        "Puskesmas Gunung Bahagia",
        "Balikpapan Selatan",
        "Gunung Bahagia",
        -1.2490,
        116.8720,
    ),
    (
        "pkm-sepinggan",
        "puskesmas",
        "Puskesmas Sepinggan",
        "Balikpapan Selatan",
        "Sepinggan",
        -1.2560,
        116.8930,
    ),
    (
        "pkm-karang-rejo",
        "puskesmas",
        "Puskesmas Karang Rejo",
        "Balikpapan Tengah",
        "Karang Rejo",
        -1.2390,
        116.8460,
    ),
    (
        "pkm-sumber-rejo",
        "puskesmas",
        "Puskesmas Sumber Rejo",
        "Balikpapan Tengah",
        "Sumber Rejo",
        -1.2430,
        116.8560,
    ),
    (
        "pkm-lamaru",
        "puskesmas",
        "Puskesmas Lamaru",
        "Balikpapan Timur",
        "Lamaru",
        -1.1890,
        116.9690,
    ),
    (
        "rsud-beriman",
        "hospital",
        "RSUD Beriman",
        "Balikpapan Tengah",
        "Jl. Mayjen Sutoyo, Gunung Sari Ulu",
        -1.2470,
        116.8400,
    ),
]
POLYCLINICS = [
    ("umum", "Poli Umum", "A"),
    ("gigi", "Poli Gigi", "B"),
    ("kia-kb", "Poli KIA/KB", "C"),
    ("lansia", "Poli Lansia", "D"),
]
MPP_COUNTERS = [
    ("disdukcapil", "Loket Disdukcapil", "K"),
    ("bpjs-kesehatan", "Loket BPJS Kesehatan", "J"),
    ("dpmptsp", "Loket DPMPTSP", "P"),
]
OFFICER_EMAIL = "puskesmas@demo.balikpapan.test"


def seed_health_demo(stdout=None) -> None:
    from accounts.models import AgencyMembership, User
    from accounts.services import membership_grant
    from health.models import (
        Doctor,
        Facility,
        Schedule,
        ServicePoint,
        Session,
        SessionChange,
        Ticket,
    )
    from health.selectors import today
    from health.services import sessions_materialise
    from services.models import Agency

    dkk = Agency.objects.get(code="dkk")
    points = []
    for code, kind, name, kecamatan, address, lat, lng in FACILITIES:
        facility, _ = Facility.objects.update_or_create(
            code=code,
            defaults={
                "kind": kind,
                "name": name,
                "agency": dkk,
                "kecamatan": kecamatan,
                "address": address,
                "latitude": lat,
                "longitude": lng,
                "opening_hours": HOURS,
                "is_confirmed": False,
                "source": SOURCE,
            },
        )
        doctor, _ = Doctor.objects.get_or_create(
            facility=facility, name=f"dr. Jaga {name.split()[-1]}"
        )
        for point_code, point_name, prefix in POLYCLINICS:
            point, _ = ServicePoint.objects.get_or_create(
                facility=facility,
                code=point_code,
                defaults={
                    "agency": dkk,
                    "kind": "polyclinic",
                    "name": point_name,
                    "ticket_prefix": prefix,
                },
            )
            points.append(point)
            for weekday in range(6):
                Schedule.objects.get_or_create(
                    service_point=point,
                    weekday=weekday,
                    starts_at=dt.time(8),
                    defaults={
                        "ends_at": dt.time(12),
                        "quota": 30,
                        "doctor": doctor if point_code == "umum" else None,
                    },
                )
    mpp, _ = Facility.objects.update_or_create(
        code="mpp-balikpapan",
        defaults={
            "kind": "mpp",
            "name": "Mal Pelayanan Publik Balikpapan",
            "agency": Agency.objects.get(code="dpmptsp"),
            "kecamatan": "Balikpapan Kota",
            "address": "Gedung DPMPTSP",
            "latitude": -1.2680,
            "longitude": 116.8290,
            "opening_hours": "Mon–Fri 08:00–15:00",
            "is_confirmed": False,
            "source": "domain-facts §4.3",
        },
    )
    counters = {}
    for agency_code, name, prefix in MPP_COUNTERS:
        agency = Agency.objects.filter(code=agency_code).first()
        if agency is None:
            continue
        point, _ = ServicePoint.objects.get_or_create(
            facility=mpp,
            code=agency_code,
            defaults={"agency": agency, "kind": "counter", "name": name, "ticket_prefix": prefix},
        )
        # hourly slots, so that one household visit gets consecutive times across counters
        for weekday in range(5):
            for hour in range(8, 15):
                Schedule.objects.update_or_create(
                    service_point=point,
                    weekday=weekday,
                    starts_at=dt.time(hour),
                    defaults={"ends_at": dt.time(hour + 1), "quota": 6},
                )
        counters[agency_code] = point
    # what depends on what in one visit: BPJS and licensing need the family card (KK) first
    if "disdukcapil" in counters:
        for code in ("bpjs-kesehatan", "dpmptsp"):
            if code in counters:
                counters[code].prerequisites.add(counters["disdukcapil"])
    created = sessions_materialise()

    # Demo sessions: one that has not started yet today (whatever the hour), and a served
    # session yesterday so that waiting estimates come from "real" durations.
    now = timezone.now()
    demo_point = ServicePoint.objects.get(facility__code="pkm-klandasan-ilir", code="umum")
    if not Session.objects.filter(
        service_point=demo_point, date=today(), starts_at__gt=now
    ).exists():
        starts_at = (now + dt.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
        session = Session.objects.create(
            service_point=demo_point,
            date=timezone.localdate(starts_at),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=3),
            quota=30,
        )
        SessionChange.objects.create(
            session=session, field="created", to_value="30", reason="demo session", at=now
        )
    if not Ticket.objects.filter(session__service_point=demo_point, state="served").exists():
        past_start = now - dt.timedelta(days=1)
        past = Session.objects.create(
            service_point=demo_point,
            date=timezone.localdate(past_start),
            starts_at=past_start,
            ends_at=past_start + dt.timedelta(hours=3),
            quota=30,
            state="closed",
            last_number=6,
            taken_count=6,
        )
        for number, minutes in enumerate((6, 8, 7, 12, 9, 10), start=1):
            called = past_start + dt.timedelta(minutes=10 * number)
            Ticket.objects.create(
                session=past,
                number=number,
                code=f"DEMO-{past.pk}-{number}",
                patient_name="Pasien demo",
                patient_key=f"w:demo-{number}",
                payer="bpjs",
                is_walk_in=True,
                state="served",
                booked_at=called,
                checked_in_at=called,
                called_at=called,
                served_at=called + dt.timedelta(minutes=minutes),
            )
    officer = User.objects.filter(email=OFFICER_EMAIL).first()
    if officer is None:
        from balikpapan_untuk_warga.management.commands.seed_demo import DEMO_PASSWORD

        officer = User(email=OFFICER_EMAIL, full_name="Dewi Lestari", is_staff=True)
        officer.set_password(DEMO_PASSWORD)
        officer.save()
    membership_grant(
        actor=None, user=officer, agency=dkk, role=AgencyMembership.Role.COUNTER_OFFICER
    )
    if stdout is not None:
        stdout.write(
            f"Health: {Facility.objects.count()} facilities, {created} new sessions; "
            f"puskesmas officer {OFFICER_EMAIL}."
        )

"""Reads, scoped to who asks.

* a citizen sees the complaints they reported (private parts included);
* staff see their agencies' complaints; the command centre sees all (it triages and re-routes);
* anyone sees the public, anonymised view (``public_*``), which never carries personal data.
"""

from __future__ import annotations

import functools
import re
import secrets
import statistics
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from accounts.models import AgencyMembership
from complaints import geo
from complaints.models import Category, Complaint
from complaints.workflow import OPEN_STATES, State

_NIK = re.compile(r"\b\d{16}\b")
_PHONE = re.compile(r"(?:\+62|\b62|\b0)8[\d\s\-]{7,13}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _base():
    return Complaint.objects.select_related(
        "category", "agency", "kelurahan", "reporter", "outside_body"
    )


def complaint_list_for(*, user):
    """One query (plus one for staff memberships, inside it as a subquery)."""
    queryset = _base()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_staff:
        memberships = AgencyMembership.objects.filter(user=user)
        if memberships.filter(role=AgencyMembership.Role.COMMAND_CENTRE).exists():
            return queryset
        return queryset.filter(agency__in=memberships.values("agency"))
    return queryset.filter(reporter=user)


def complaint_get_for(*, user, uuid):
    return complaint_list_for(user=user).filter(uuid=uuid).first()


def triage_queue_for(*, user):
    """Complaints waiting for the command centre (no confident category)."""
    return complaint_list_for(user=user).filter(state=State.RECEIVED)


def overdue_for(*, user, now=None):
    """Open complaints of the user's agencies past their resolution time, most overdue first."""
    from django.utils import timezone

    return (
        complaint_list_for(user=user)
        .filter(state__in=OPEN_STATES, resolution_due_at__lt=now or timezone.now())
        .order_by("resolution_due_at", "id")
    )


def kelurahan_get(*, code: str):
    from services.models import Kelurahan

    return Kelurahan.objects.filter(code=code).first()


def outside_body_list():
    from complaints.models import OutsideBody

    return OutsideBody.objects.filter(is_active=True)


def outside_body_get(*, code: str):
    return outside_body_list().filter(code=code).first()


def internal_notes_for(*, complaint: Complaint):
    """Staff notes of ``complaint``, oldest first (the caller checked the viewer handles it)."""
    return complaint.internal_notes.select_related("author", "agency").order_by("created_at", "id")


def category_list():
    return Category.objects.filter(is_active=True).select_related("parent", "agency")


def category_get(*, code: str) -> Category | None:
    return Category.objects.filter(code=code, is_active=True).select_related("agency").first()


def nearby_open(*, latitude, longitude, category=None, radius_m=None, exclude_pk=None):
    """Open complaints (of ``category`` when given) within ``radius_m`` (default
    ``COMPLAINT_DUPLICATE_RADIUS_M``): one query on a bounding box, then exact distances."""
    radius = float(radius_m or getattr(settings, "COMPLAINT_DUPLICATE_RADIUS_M", 50))
    lat, lon = float(latitude), float(longitude)
    min_lat, max_lat, min_lon, max_lon = geo.bbox_around(lat, lon, radius)
    queryset = (
        _base()
        .prefetch_related("public_photos")
        .filter(
            state__in=OPEN_STATES,
            latitude__gte=Decimal(str(round(min_lat, 6))),
            latitude__lte=Decimal(str(round(max_lat, 6))),
            longitude__gte=Decimal(str(round(min_lon, 6))),
            longitude__lte=Decimal(str(round(max_lon, 6))),
        )
    )
    if category is not None:
        queryset = queryset.filter(category=category)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    found = []
    for complaint in queryset:
        distance = geo.distance_m(lat, lon, float(complaint.latitude), float(complaint.longitude))
        if distance <= radius:
            complaint.distance_m = round(distance)
            found.append(complaint)
    return sorted(found, key=lambda c: c.distance_m)


# --- public, anonymised --------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern:
    """A name as a compiled, case-blind pattern (lists clean a thousand texts with a few hundred
    names; ``re``'s own cache holds only 512 patterns)."""
    return re.compile(re.escape(name), re.IGNORECASE)


def public_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    """``text`` without NIK-like numbers, phone numbers, e-mail addresses and the given names."""
    if not text:
        return ""
    text = _NIK.sub("[NIK]", text)
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[telepon]", text)
    for name in names:
        if name and len(name) > 2:
            text = _name_pattern(name).sub("[nama]", text)
    return text


def public_history(*, complaint: Complaint) -> list[dict]:
    """The public steps of a complaint: each state it reached, when, and which agency had it. No
    notes (they may name people) and no actors."""
    from django.contrib.contenttypes.models import ContentType

    from services.workflow.models import StatusHistory

    rows = (
        StatusHistory.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint), object_id=complaint.pk
        )
        .select_related("agency")
        .order_by("at", "id")
    )
    return [
        {
            "at": row.at,
            "state_label": complaint.workflow.label(row.to_state),
            "agency": row.agency.short_name if row.agency_id else "",
        }
        for row in rows
    ]


def public_photo_get(*, uuid):
    """A blurred public photo, while its complaint allows public photos and is not a duplicate."""
    from complaints.models import PublicPhoto

    return (
        PublicPhoto.objects.filter(uuid=uuid, complaint__public_photos_allowed=True)
        .exclude(complaint__state=State.DUPLICATE)
        .first()
    )


def public_coordinate(complaint: Complaint, value) -> float | None:
    """A coordinate as public output shows it: 3 decimals (about 100 m: a street, not a house),
    2 (about 1 km) for a sensitive category, ``None`` for a complaint located by kelurahan only."""
    if value is None:
        return None
    sensitive = complaint.category_id is not None and complaint.category.is_sensitive
    return round(float(value), 2 if sensitive else 3)


def public_complaint_get(*, tracking_number: str) -> Complaint | None:
    """Any complaint by its ticket number (the public view shows only anonymised fields)."""
    return _base().prefetch_related("public_photos").filter(tracking_number=tracking_number).first()


def public_list(*, category=None, kelurahan=None, state=None, since=None, until=None):
    """The anonymised public list, newest first (duplicates are shown through their original)."""
    queryset = _base().prefetch_related("public_photos").exclude(state=State.DUPLICATE)
    if category:
        queryset = queryset.filter(Q(category__code=category) | Q(category__parent__code=category))
    if kelurahan:
        queryset = queryset.filter(kelurahan__code=kelurahan)
    if state:
        queryset = queryset.filter(state=state)
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    if until:
        queryset = queryset.filter(created_at__date__lte=until)
    return queryset.order_by("-created_at", "-id")


HOTSPOT_CATEGORIES = ("banjir", "drainase")


def hotspots(*, grid_m: int = 500, since=None) -> dict:
    """Flooding and standing-water (and drainage) reports counted by kelurahan, by month, and by
    a grid of ``grid_m`` metres with the number of distinct months each cell had reports in (a
    cell that floods every rainy month matters more than one bad day). One query."""
    from django.utils import timezone

    queryset = Complaint.objects.filter(category__code__in=HOTSPOT_CATEGORIES).exclude(
        state=State.DUPLICATE
    )
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    rows = list(
        queryset.values_list(
            "kelurahan__code", "kelurahan__name", "latitude", "longitude", "created_at"
        )
    )
    by_kelurahan: dict = {}
    by_month: dict[str, int] = {}
    cells: dict = {}
    step = grid_m / 111_320  # degrees of latitude (and, near the equator, of longitude)
    for code, name, lat, lon, created in rows:
        entry = by_kelurahan.setdefault(
            code or "", {"code": code or "", "name": name or "", "count": 0}
        )
        entry["count"] += 1
        month = f"{timezone.localtime(created):%Y-%m}"
        by_month[month] = by_month.get(month, 0) + 1
        if lat is None or lon is None:  # located by kelurahan only: counted there, not on the grid
            continue
        key = (int(float(lat) // step), int(float(lon) // step))
        cell = cells.setdefault(key, {"count": 0, "months": set()})
        cell["count"] += 1
        cell["months"].add(month)
    grid = [
        {
            "latitude": round((row + 0.5) * step, 5),
            "longitude": round((col + 0.5) * step, 5),
            "count": cell["count"],
            "months": len(cell["months"]),
        }
        for (row, col), cell in cells.items()
    ]
    return {
        "grid_m": grid_m,
        "by_kelurahan": sorted(by_kelurahan.values(), key=lambda e: (-e["count"], e["code"])),
        "by_month": [{"month": m, "count": by_month[m]} for m in sorted(by_month)],
        "grid": sorted(
            grid, key=lambda c: (-c["months"], -c["count"], c["latitude"], c["longitude"])
        ),
    }


def _median_hours(durations) -> float | None:
    values = [d.total_seconds() / 3600 for d in durations if d is not None]
    return round(statistics.median(values), 1) if values else None


def _figures(rows: list[dict]) -> dict:
    """Counts, median response and resolution time, SLA compliance and average rating of
    ``rows`` (complaints as dicts)."""
    resolved = [r for r in rows if r["resolved_at"] is not None]
    with_due = [r for r in resolved if r["resolution_due_at"] is not None]
    ratings = [r["rating"] for r in rows if r["rating"] is not None]
    return {
        "count": len(rows),
        "resolved": len(resolved),
        "median_response_hours": _median_hours(
            r["responded_at"] - r["created_at"] for r in rows if r["responded_at"] is not None
        ),
        "median_resolution_hours": _median_hours(
            r["resolved_at"] - r["created_at"] for r in resolved
        ),
        "sla_compliance": (
            round(
                sum(r["resolved_at"] <= r["resolution_due_at"] for r in with_due) / len(with_due), 3
            )
            if with_due
            else None
        ),
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
    }


def _months(rows: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["month"]] = counts.get(row["month"], 0) + 1
    return [{"month": m, "count": counts[m]} for m in sorted(counts)]


def _dashboard_rows() -> list[dict]:
    """One row per complaint (duplicates left out): the columns of the complaint only, no joins —
    the names of the few categories, kelurahan and agencies are looked up here, and the local
    month is computed once per row (at 100,000 complaints the joins and four ``localtime`` per row
    made a cold dashboard take about ten seconds; docs/performance-explain.md)."""
    from django.utils import timezone

    from services.models import Agency, Kelurahan

    categories = {
        pk: (code, name) for pk, code, name in Category.objects.values_list("pk", "code", "name_id")
    }
    kelurahan = {
        pk: (code, name) for pk, code, name in Kelurahan.objects.values_list("pk", "code", "name")
    }
    agencies = {
        pk: (code, name)
        for pk, code, name in Agency.objects.values_list("pk", "code", "short_name")
    }
    none = (None, None)
    tz = timezone.get_current_timezone()
    rows = []
    for values in Complaint.objects.exclude(state=State.DUPLICATE).values_list(
        "category_id",
        "kelurahan_id",
        "agency_id",
        "state",
        "created_at",
        "responded_at",
        "resolved_at",
        "resolution_due_at",
        "rating",
    ):
        category, village, agency = (
            categories.get(values[0], none),
            kelurahan.get(values[1], none),
            agencies.get(values[2], none),
        )
        created = values[4].astimezone(tz)
        rows.append(
            {
                "category__code": category[0],
                "category__name_id": category[1],
                "kelurahan__code": village[0],
                "kelurahan__name": village[1],
                "agency__code": agency[0],
                "agency__short_name": agency[1],
                "state": values[3],
                "created_at": values[4],
                "responded_at": values[5],
                "resolved_at": values[6],
                "resolution_due_at": values[7],
                "rating": values[8],
                "month": f"{created.year}-{created.month:02d}",
            }
        )
    return rows


DASHBOARD_CACHE_KEY = "complaints:dashboard"
DASHBOARD_GENERATION_KEY = "complaints:dashboard:generation"


def public_dashboard() -> dict:
    """The public dashboard, as last computed. The beat task ``complaints.refresh_dashboard``
    recomputes it every ``COMPLAINT_DASHBOARD_CACHE_SECONDS`` and keeps it cached for three times
    that, so a request never pays the cold computation (seconds over 100,000 complaints) unless
    the cache was emptied and the task has not run since."""
    cached = cache.get(DASHBOARD_CACHE_KEY)
    if cached is not None:
        return cached
    return refresh_public_dashboard()


def refresh_public_dashboard() -> dict:
    """Compute and cache the public dashboard: counts, median response and resolution time, SLA
    compliance, average rating and the trend by month — for the city and per agency, category and
    kelurahan. One query set (a row of timestamps per complaint, duplicates left out) aggregated
    here (medians are not portable SQL). No personal data."""
    rows = _dashboard_rows()

    def group(key, label):
        groups: dict[str, list] = {}
        names: dict[str, str] = {}
        for row in rows:
            code = row[key] or ""
            groups.setdefault(code, []).append(row)
            names[code] = row[label] or ""
        entries = [
            {"code": code, "name": names[code], **_figures(members), "by_month": _months(members)}
            for code, members in groups.items()
        ]
        return sorted(entries, key=lambda e: (-e["count"], e["code"]))

    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row["state"]] = by_state.get(row["state"], 0) + 1
    overall = _figures(rows)
    data = {
        "total": overall.pop("count"),
        **overall,
        "by_month": _months(rows),
        "by_state": [{"state": s, "count": by_state[s]} for s in sorted(by_state)],
        "by_category": group("category__code", "category__name_id"),
        "by_kelurahan": group("kelurahan__code", "kelurahan__name"),
        "by_agency": group("agency__code", "agency__short_name"),
    }
    lifetime = 3 * getattr(settings, "COMPLAINT_DASHBOARD_CACHE_SECONDS", 300)
    cache.set_many(
        {DASHBOARD_CACHE_KEY: data, DASHBOARD_GENERATION_KEY: secrets.token_hex(8)}, lifetime
    )
    return data


def public_dashboard_generation() -> str | None:
    """A token that changes with every computation of the dashboard: what the API keys its
    rendered answer by, so that a poll reads a few bytes to know the answer it holds is current
    rather than unpickling and serialising the whole dashboard again."""
    return cache.get(DASHBOARD_GENERATION_KEY)


def staff_may_see_identity(*, complaint: Complaint) -> bool:
    return complaint.identity_visible_to_agency and not complaint.is_anonymous

"""Reads, scoped to who asks.

* a citizen sees the complaints they reported (private parts included);
* staff see their agencies' complaints; the command centre sees all (it triages and re-routes);
* anyone sees the public, anonymised view (``public_*``), which never carries personal data.
"""

from __future__ import annotations

import re
import statistics
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from accounts.models import AgencyMembership
from complaints import geo
from complaints.models import Category, Complaint
from complaints.workflow import OPEN_STATES, State

_NIK = re.compile(r"\b\d{16}\b")
_PHONE = re.compile(r"(?:\+62|\b62|\b0)8[\d\s\-]{7,13}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _base():
    return Complaint.objects.select_related("category", "agency", "kelurahan", "reporter")


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
    queryset = _base().filter(
        state__in=OPEN_STATES,
        latitude__gte=Decimal(str(round(min_lat, 6))),
        latitude__lte=Decimal(str(round(max_lat, 6))),
        longitude__gte=Decimal(str(round(min_lon, 6))),
        longitude__lte=Decimal(str(round(max_lon, 6))),
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


def public_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    """``text`` without NIK-like numbers, phone numbers, e-mail addresses and the given names."""
    text = _NIK.sub("[NIK]", text or "")
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[telepon]", text)
    for name in names:
        if name and len(name) > 2:
            text = re.sub(re.escape(name), "[nama]", text, flags=re.IGNORECASE)
    return text


def public_complaint_get(*, tracking_number: str) -> Complaint | None:
    """Any complaint by its ticket number (the public view shows only anonymised fields)."""
    return _base().select_related("reporter").filter(tracking_number=tracking_number).first()


def public_list(*, category=None, kelurahan=None, state=None, since=None, until=None):
    """The anonymised public list, newest first (duplicates are shown through their original)."""
    queryset = _base().exclude(state=State.DUPLICATE)
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
    """Flooding and standing-water (and drainage) reports counted by kelurahan and by a grid of
    ``grid_m`` metres, so drainage work goes where reports recur. One query."""
    queryset = Complaint.objects.filter(category__code__in=HOTSPOT_CATEGORIES).exclude(
        state=State.DUPLICATE
    )
    if since:
        queryset = queryset.filter(created_at__date__gte=since)
    rows = list(queryset.values_list("kelurahan__code", "kelurahan__name", "latitude", "longitude"))
    by_kelurahan: dict = {}
    cells: dict = {}
    step = grid_m / 111_320  # degrees of latitude (and, near the equator, of longitude)
    for code, name, lat, lon in rows:
        entry = by_kelurahan.setdefault(
            code or "", {"code": code or "", "name": name or "", "count": 0}
        )
        entry["count"] += 1
        key = (int(float(lat) // step), int(float(lon) // step))
        cells[key] = cells.get(key, 0) + 1
    grid = [
        {
            "latitude": round((row + 0.5) * step, 5),
            "longitude": round((col + 0.5) * step, 5),
            "count": count,
        }
        for (row, col), count in cells.items()
    ]
    return {
        "grid_m": grid_m,
        "by_kelurahan": sorted(by_kelurahan.values(), key=lambda e: (-e["count"], e["code"])),
        "grid": sorted(grid, key=lambda c: (-c["count"], c["latitude"], c["longitude"])),
    }


def _median_hours(durations) -> float | None:
    values = [d.total_seconds() / 3600 for d in durations if d is not None]
    return round(statistics.median(values), 1) if values else None


def public_dashboard() -> dict:
    """Counts by category, kelurahan, agency and state, SLA compliance and median resolution time.
    Three queries (the grouped counts, the months, the resolved rows), cached for
    ``COMPLAINT_DASHBOARD_CACHE_SECONDS``. No personal data."""
    cached = cache.get("complaints:dashboard")
    if cached is not None:
        return cached
    rows = list(
        Complaint.objects.exclude(state=State.DUPLICATE)
        .values(
            "category__code",
            "category__name_id",
            "kelurahan__code",
            "kelurahan__name",
            "agency__code",
            "agency__short_name",
            "state",
        )
        .annotate(count=Count("id"))
        .order_by()
    )

    def group(key, label):
        totals: dict = {}
        for row in rows:
            code = row[key] or ""
            entry = totals.setdefault(code, {"code": code, "name": row[label] or "", "count": 0})
            entry["count"] += row["count"]
        return sorted(totals.values(), key=lambda e: (-e["count"], e["code"]))

    resolved = list(
        Complaint.objects.filter(resolved_at__isnull=False)
        .exclude(state=State.DUPLICATE)
        .values_list("created_at", "resolved_at", "resolution_due_at", "rating")
    )
    within = sum(1 for _c, r, due, _ in resolved if due is not None and r <= due)
    with_due = sum(1 for _c, _r, due, _ in resolved if due is not None)
    ratings = [rating for *_rest, rating in resolved if rating is not None]
    by_state: dict[str, int] = {}
    for row in rows:
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["count"]
    months = list(
        Complaint.objects.exclude(state=State.DUPLICATE)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
        .order_by("month")
    )
    data = {
        "total": sum(row["count"] for row in rows),
        "by_month": [{"month": f"{m['month']:%Y-%m}", "count": m["count"]} for m in months],
        "by_state": [{"state": s, "count": by_state[s]} for s in sorted(by_state)],
        "by_category": group("category__code", "category__name_id"),
        "by_kelurahan": group("kelurahan__code", "kelurahan__name"),
        "by_agency": group("agency__code", "agency__short_name"),
        "resolved": len(resolved),
        "sla_compliance": round(within / with_due, 3) if with_due else None,
        "median_resolution_hours": _median_hours(r - c for c, r, _d, _ in resolved),
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
    }
    cache.set(
        "complaints:dashboard", data, getattr(settings, "COMPLAINT_DASHBOARD_CACHE_SECONDS", 300)
    )
    return data


def staff_may_see_identity(*, complaint: Complaint) -> bool:
    return complaint.identity_visible_to_agency and not complaint.is_anonymous

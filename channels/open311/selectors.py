"""Open311 reads: the services (complaint categories) and the public, anonymised requests.

Nothing personal is ever in a GET answer: no reporter, no contact fields, the description and
address cleaned by ``complaints.selectors.public_text``, the point rounded to about 100 m (about
a kilometre for a sensitive category, as in all public output).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from accounts.models import User
from channels.models import Partner, ServiceAttribute, ServiceRequest, hash_api_key
from complaints import selectors as complaint_selectors
from complaints.models import Category, Complaint
from complaints.workflow import OPEN_STATES

MAX_REQUESTS = 1000


def service_list():
    """Active categories, each with ``has_attributes`` (one query)."""
    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(has_attributes=Exists(ServiceAttribute.objects.filter(category=OuterRef("pk"))))
        .order_by("code")
    )


def service_get(*, code: str) -> Category | None:
    return (
        Category.objects.filter(is_active=True, code=code)
        .prefetch_related(
            Prefetch(
                "open311_attributes", queryset=ServiceAttribute.objects.order_by("order", "id")
            )
        )
        .first()
    )


def partner_for_key(*, api_key: str) -> Partner | None:
    if not api_key:
        return None
    return Partner.objects.filter(key_hash=hash_api_key(api_key), is_active=True).first()


#: The columns an answer is built from: the complaint's public fields and the Open311 poster's
#: names its text is cleaned of (used, never shown). Plain values, not models: at 1,000 rows the
#: model instances, ``select_related`` of whole rows and the photo prefetch of ``public_list``
#: (unused here) were most of the time of an answer (issue 10).
_FIELDS = (
    "tracking_number",
    "state",
    "public_note",
    "text",
    "address",
    "created_at",
    "resolution_due_at",
    "latitude",
    "longitude",
    "reporter_id",
    "category__code",
    "category__name_id",
    "category__name_en",
    "category__is_sensitive",
    "agency__name",
    "kelurahan__name",
    "kelurahan__postal_code",
    "open311_request__first_name",
    "open311_request__last_name",
    "open311_request__zipcode",
    "open311_request__address_id",
    "open311_request__media_url",
)

#: The complaint's own fields among them (and the state's time): saving any of these changes an
#: answer, so it renews the cached lists (``channels.signals``).
PUBLIC_COMPLAINT_FIELDS = frozenset(
    {name.split("__")[0].removesuffix("_id") for name in _FIELDS if "open311_request" not in name}
    | {"state_changed_at"}
)


def _rows(queryset) -> list[dict]:
    """``queryset`` as dicts of :data:`_FIELDS`, ``updated_at`` and ``reporter_name``.

    ``updated_at`` is the time of the last state change, which
    ``services.workflow.transition_perform`` keeps on the complaint (``state_changed_at``, the
    time of the newest status history row), else the creation time: a column of the row, not a
    subquery per row over the status history.

    The reporters' names (to clean the texts of) come by a second query on the reporters of these
    rows only: joined into the first, PostgreSQL hashed the whole user table for every answer."""
    rows = list(queryset.values(*_FIELDS, updated_at=Coalesce("state_changed_at", "created_at")))
    reporters = {row["reporter_id"] for row in rows if row["reporter_id"]}
    names = (
        dict(User.objects.filter(pk__in=reporters).values_list("pk", "full_name"))
        if reporters
        else {}
    )
    for row in rows:
        row["reporter_name"] = names.get(row["reporter_id"], "")
    return rows


def request_list(
    *,
    ids: list[str] | None = None,
    service_code: str | None = None,
    statuses: set[str] | None = None,
    start=None,
    end=None,
) -> list[dict]:
    """Public requests as rows for :func:`requests_data`, newest first, at most 1000 (two
    queries: the rows, their reporters' names). ``ids`` overrides every other filter; without ids
    the period is ``start``–``end`` (the caller enforces the 90 days; no ``end``: up to now)."""
    # public_list says what is public; its photo prefetch is for the public API, not Open311.
    queryset = complaint_selectors.public_list().prefetch_related(None)
    if ids:
        return _rows(queryset.filter(tracking_number__in=ids)[:MAX_REQUESTS])
    if service_code:
        queryset = queryset.filter(category__code=service_code)
    if statuses == {"open"}:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif statuses == {"closed"}:
        queryset = queryset.exclude(state__in=OPEN_STATES)
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lte=end)
    return _rows(queryset.order_by("-created_at", "-id")[:MAX_REQUESTS])


def request_get(*, service_request_id: str) -> dict | None:
    """One request as a row for :func:`requests_data` (any complaint, as the public detail
    shows it), or ``None``."""
    rows = _rows(Complaint.objects.filter(tracking_number=service_request_id)[:1])
    return rows[0] if rows else None


def token_get(*, token) -> ServiceRequest | None:
    return ServiceRequest.objects.select_related("complaint").filter(token=token).first()


def status_of(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def requests_data(rows: list[dict]) -> list[dict]:
    """The requests in the spec's fields (``request.json`` of open311/schema-validation), from
    rows of :func:`request_list` or :func:`request_get`. The text fields are cleaned of NIK-like
    numbers, phone numbers, e-mail addresses and the reporter's and poster's names; the point is
    rounded as all public output rounds it (3 decimals, 2 for a sensitive category)."""
    public_text = complaint_selectors.public_text
    zone = timezone.get_current_timezone()
    name_field = (
        "category__name_en"
        if (translation.get_language() or "").startswith("en")
        else "category__name_id"
    )

    def iso(moment) -> str | None:
        return moment.astimezone(zone).isoformat(timespec="seconds") if moment else None

    data = []
    for row in rows:
        names = tuple(
            n
            for n in (
                row["reporter_name"],
                row["open311_request__first_name"],
                row["open311_request__last_name"],
            )
            if n
        )
        code = row["category__code"]
        address = public_text(row["address"], names=names)
        address_parts = (address, row["kelurahan__name"], "Balikpapan")
        places = 2 if row["category__is_sensitive"] else 3
        latitude, longitude = row["latitude"], row["longitude"]
        data.append(
            {
                "service_request_id": row["tracking_number"],
                "status": status_of(row["state"]),
                "status_notes": public_text(row["public_note"], names=names) or None,
                "service_name": row[name_field] if code else None,
                "service_code": code or "",
                "description": public_text(row["text"], names=names)[:4000],
                "agency_responsible": row["agency__name"],
                "service_notice": None,
                "requested_datetime": iso(row["created_at"]),
                "updated_datetime": iso(row["updated_at"]),
                "expected_datetime": iso(row["resolution_due_at"]),
                "address": ", ".join(p for p in address_parts if p),
                "address_id": row["open311_request__address_id"] or None,
                "zipcode": row["open311_request__zipcode"] or row["kelurahan__postal_code"] or None,
                "lat": round(float(latitude), places) if latitude is not None else None,
                "long": round(float(longitude), places) if longitude is not None else None,
                "media_url": row["open311_request__media_url"] or None,
            }
        )
    return data

"""Open311 reads: the services (complaint categories) and the public, anonymised requests.

Nothing personal is ever in a GET answer: no reporter, no contact fields, the description and
address cleaned by ``complaints.selectors.public_text``, the point rounded to about 100 m.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Max, OuterRef, Prefetch, Subquery
from django.utils import timezone

from channels.models import Partner, ServiceAttribute, ServiceRequest, hash_api_key
from complaints import selectors as complaint_selectors
from complaints.models import Category, Complaint
from complaints.workflow import OPEN_STATES
from services.workflow.models import StatusHistory

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


def _updated_at():
    return Subquery(
        StatusHistory.objects.filter(
            content_type=ContentType.objects.get_for_model(Complaint), object_id=OuterRef("pk")
        )
        .values("object_id")
        .annotate(last=Max("at"))
        .values("last")[:1]
    )


def _public(queryset):
    return queryset.select_related("open311_request").annotate(updated_at=_updated_at())


def request_list(
    *,
    ids: list[str] | None = None,
    service_code: str | None = None,
    statuses: set[str] | None = None,
    start=None,
    end=None,
):
    """Public requests, newest first, at most 1000 (one query). ``ids`` overrides every other
    filter; without ids the period is ``start``–``end`` (the caller enforces the 90 days)."""
    queryset = _public(complaint_selectors.public_list())
    if ids:
        return queryset.filter(tracking_number__in=ids)[:MAX_REQUESTS]
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
    return queryset.order_by("-created_at", "-id")[:MAX_REQUESTS]


def request_get(*, service_request_id: str) -> Complaint | None:
    complaint = complaint_selectors.public_complaint_get(tracking_number=service_request_id)
    if complaint is None:
        return None
    return _public(
        Complaint.objects.select_related("category", "agency", "kelurahan", "reporter")
    ).get(pk=complaint.pk)


def token_get(*, token) -> ServiceRequest | None:
    return ServiceRequest.objects.select_related("complaint").filter(token=token).first()


def status_of(complaint: Complaint) -> str:
    return "open" if complaint.state in OPEN_STATES else "closed"


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def request_data(complaint: Complaint) -> dict:
    """One request in the spec's fields (``request.json`` of open311/schema-validation)."""
    posted = getattr(complaint, "open311_request", None)
    names = []
    if complaint.reporter_id and complaint.reporter:
        names.append(complaint.reporter.full_name)
    if posted is not None:
        names += [posted.first_name, posted.last_name]
    names = tuple(n for n in names if n)
    category = complaint.category
    kelurahan = complaint.kelurahan
    address_parts = [
        complaint_selectors.public_text(complaint.address, names=names),
        kelurahan.name if kelurahan else "",
        "Balikpapan",
    ]
    zipcode = (posted.zipcode if posted and posted.zipcode else "") or (
        kelurahan.postal_code if kelurahan else ""
    )
    return {
        "service_request_id": complaint.tracking_number,
        "status": status_of(complaint),
        "status_notes": complaint_selectors.public_text(complaint.public_note, names=names) or None,
        "service_name": category.name if category else None,
        "service_code": category.code if category else "",
        "description": complaint_selectors.public_text(complaint.text, names=names)[:4000],
        "agency_responsible": complaint.agency.name if complaint.agency_id else None,
        "service_notice": None,
        "requested_datetime": _iso(complaint.created_at),
        "updated_datetime": _iso(getattr(complaint, "updated_at", None) or complaint.created_at),
        "expected_datetime": _iso(complaint.resolution_due_at),
        "address": ", ".join(p for p in address_parts if p),
        "address_id": (posted.address_id or None) if posted else None,
        "zipcode": zipcode or None,
        "lat": round(float(complaint.latitude), 3) if complaint.latitude is not None else None,
        "long": round(float(complaint.longitude), 3) if complaint.longitude is not None else None,
        "media_url": (posted.media_url or None) if posted else None,
    }

"""Open311 GeoReport v2 endpoints (``/open311/v2/…``), in JSON and XML.

Plain Django views, not DRF: the answers follow the GeoReport spec (its element names, its
error format ``[{"code", "description"}]`` and status codes 400/403/404), not this API's shared
error shape, and the spec is its own documentation (not part of ``/api/schema/``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import compress_string
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import AnonRateThrottle

from balikpapan_untuk_warga.cache import hit
from channels.open311 import caching, selectors, services
from channels.open311.formats import (
    Open311Error,
    encode,
    render,
    render_errors,
    respond,
    respond_packed,
)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-25T00:00:00+08:00"
MAX_DAYS = 90


def _count(key: str, limit: int, seconds: int) -> bool:
    """Count one call under ``key``; False when ``limit`` calls were already made."""
    return hit(key, seconds) <= limit


def _guarded(view):
    """Limits reads per client address, checks ``jurisdiction_id`` and turns
    :class:`Open311Error` into the spec's errors."""

    def wrapper(request, *args, fmt, **kwargs):
        try:
            if request.method == "GET":
                ident = AnonRateThrottle().get_ident(request)
                key = f"channels:open311:reads:{ident}:{timezone.now():%Y%m%d%H%M}"
                if not _count(key, settings.OPEN311_READS_PER_MINUTE, 60):
                    raise Open311Error(429, _("Too many requests; try again in a minute."))
            jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
            if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION_ID:
                raise Open311Error(
                    404, _("jurisdiction_id %(id)s not found") % {"id": jurisdiction[:100]}
                )
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return render_errors([exc], fmt=fmt)
        except services.ErrorList as exc:
            return render_errors(exc.errors, fmt=fmt)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@require_http_methods(["GET"])
@_guarded
def discovery(request, fmt):
    base = request.build_absolute_uri("/open311/v2").rstrip("/")
    data = {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT,
        "key_service": settings.OPEN311_KEY_SERVICE,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt=fmt, root="discovery", item=None)


@require_http_methods(["GET"])
@_guarded
def service_list(request, fmt):
    data = [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": category.name,
            "metadata": bool(category.has_attributes),
            "type": "realtime",
            "keywords": ", ".join(category.keywords or []),
            "group": category.parent.code if category.parent_id else category.code,
        }
        for category in selectors.service_list()
    ]
    return render(data, fmt=fmt, root="services", item="service")


@require_http_methods(["GET"])
@_guarded
def service_definition(request, code, fmt):
    category = selectors.service_get(code=code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s not found") % {"code": code[:64]})
    data = {
        "service_code": category.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description or None,
                "order": a.order,
                "description": a.description,
                "values": [{"key": str(v["key"]), "name": str(v["name"])} for v in a.values or []],
            }
            for a in category.open311_attributes.all()
        ],
    }
    return render(data, fmt=fmt, root="service_definition", item=None)


def _date(value: str | None, name: str):
    if not value:
        return None
    moment = parse_datetime(value.replace(" ", "+"))  # a "+" in a query string arrives as " "
    if moment is None:
        raise Open311Error(400, _("%(name)s is not an ISO 8601 date and time") % {"name": name})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_guarded
def requests(request, fmt):
    if request.method == "POST":
        return _request_post(request, fmt)
    query = request.GET
    ids = [i.strip() for i in (query.get("service_request_id") or "").split(",") if i.strip()]
    statuses = None
    if query.get("status"):
        statuses = {s.strip() for s in query["status"].split(",") if s.strip()}
        if not statuses <= {"open", "closed"}:
            raise Open311Error(400, _("status must be open, closed or both"))
    start, end = (
        _date(query.get("start_date"), "start_date"),
        _date(query.get("end_date"), "end_date"),
    )
    if not ids:
        if start and end and end < start:
            raise Open311Error(400, _("end_date is before start_date"))
        if start and end and end - start > dt.timedelta(days=MAX_DAYS):
            raise Open311Error(400, _("start_date and end_date may be at most 90 days apart"))
        if start and end is None:
            end = start + dt.timedelta(days=MAX_DAYS)
        if start is None:
            # without end_date: the last 90 days up to now (no end), "now" rounded for the cache
            start = (
                end - dt.timedelta(days=MAX_DAYS) if end else caching.default_start(days=MAX_DAYS)
            )
    service_code = (query.get("service_code") or "").strip() or None
    entry = caching.key(
        fmt=fmt, ids=ids, service_code=service_code, statuses=statuses, start=start, end=end
    )
    packed = caching.get(entry)
    if packed is None:
        rows = selectors.request_list(
            ids=ids, service_code=service_code, statuses=statuses, start=start, end=end
        )
        body = encode(
            selectors.requests_data(rows), fmt=fmt, root="service_requests", item="request"
        )
        if not caching.seconds():
            return respond(body, fmt=fmt)
        packed = compress_string(body)  # gzip, level 6, mtime 0: Django's own
        caching.put(entry, packed)
    return respond_packed(request, packed, fmt=fmt)


def _request_post(request, fmt):
    partner = selectors.partner_for_key(api_key=request.POST.get("api_key", ""))
    if partner is None:
        raise Open311Error(403, _("Invalid api_key received -- can't proceed with create_request."))
    key = f"channels:open311:posts:{partner.pk}:{timezone.now():%Y%m%d%H}"
    if not _count(key, settings.OPEN311_POSTS_PER_HOUR, 3600):
        raise Open311Error(429, _("Too many requests from this api_key; try again later."))
    posted = services.request_create(partner=partner, data=request.POST)
    complaint = posted.complaint
    notice = None
    if complaint.category_id and complaint.state != "received":
        notice = _("Forwarded to %(agency)s; target resolution within %(days)d working days.") % {
            "agency": complaint.agency.name,
            "days": complaint.category.resolution_days,
        }
    entry = {"service_notice": notice, "account_id": posted.account_id or None}
    if partner.answers_with_token:
        entry = {"token": str(posted.token), **entry}
    else:
        entry = {"service_request_id": complaint.tracking_number, **entry}
    return render([entry], fmt=fmt, root="service_requests", item="request", status=201)


@require_http_methods(["GET"])
@_guarded
def request_detail(request, service_request_id, fmt):
    row = selectors.request_get(service_request_id=service_request_id)
    if row is None:
        raise Open311Error(404, _("service_request_id not found"))
    return render(selectors.requests_data([row]), fmt=fmt, root="service_requests", item="request")


@require_http_methods(["GET"])
@_guarded
def token_detail(request, token, fmt):
    try:
        token = uuid.UUID(token)
    except ValueError:
        raise Open311Error(404, _("token not found")) from None
    posted = selectors.token_get(token=token)
    if posted is None:
        raise Open311Error(404, _("token not found"))
    data = [{"service_request_id": posted.complaint.tracking_number, "token": str(posted.token)}]
    return render(data, fmt=fmt, root="service_requests", item="request")

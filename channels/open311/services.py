"""Open311 writes: a partner's POSTed service request becomes a complaint (channel Open311)
through ``complaints.services.complaint_create`` — the same routing and SLA as every channel —
and partner keys are issued here."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from balikpapan_untuk_warga.api.errors import ApplicationError
from channels.models import Partner, ServiceRequest, hash_api_key
from channels.open311.formats import Open311Error
from complaints.models import Category, Channel

ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")


def partner_key_issue(*, partner: Partner) -> str:
    """A new key for ``partner`` (the old one stops working); returned once, stored hashed."""
    key = secrets.token_urlsafe(24)
    partner.key_hash = hash_api_key(key)
    partner.key_prefix = key[:8]
    partner.save(update_fields=["key_hash", "key_prefix"])
    return key


def partner_create(
    *, name: str, contact_email: str, answers_with_token=False
) -> tuple[Partner, str]:
    key = secrets.token_urlsafe(24)
    partner = Partner(
        name=name,
        contact_email=contact_email,
        key_hash=hash_api_key(key),
        key_prefix=key[:8],
        answers_with_token=answers_with_token,
    )
    partner.full_clean()
    partner.save(force_insert=True)
    return partner, key


@dataclass
class PostedRequest:
    category: Category
    latitude: Decimal | None
    longitude: Decimal | None
    kelurahan: object | None
    address: str
    description: str
    attributes: dict
    contact_phone: str
    fields: dict


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def _location(data) -> tuple[Decimal | None, Decimal | None, object | None, str]:
    from channels.whatsapp.conversation import kelurahan_in

    lat, lng = (data.get("lat") or "").strip(), (data.get("long") or "").strip()
    address = strip_tags(data.get("address_string") or "").strip()[:300]
    message = _(
        "A full location parameter must be submitted: lat & long, address_string or address_id"
    )
    if lat or lng:
        if not (lat and lng):
            raise _bad(message)
        try:
            latitude, longitude = Decimal(lat), Decimal(lng)
        except InvalidOperation:
            raise _bad(_("lat and long must be decimal numbers (WGS84)")) from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise _bad(_("lat and long must be decimal numbers (WGS84)"))
        return (
            latitude.quantize(Decimal("0.000001")),
            longitude.quantize(Decimal("0.000001")),
            None,
            address,
        )
    if address:
        kelurahan = kelurahan_in(address)
        if kelurahan is None:
            raise _bad(_("address_string must name a kelurahan of Balikpapan"))
        return None, None, kelurahan, address
    if (data.get("address_id") or "").strip():
        raise _bad(_("address_id is not supported here: send lat & long or address_string"))
    raise _bad(message)


def _attributes(data, category: Category) -> tuple[dict, list[str]]:
    """Values of the category's attributes, checked; returns (values, readable lines)."""
    given: dict[str, list[str]] = {}
    for key in data:
        match = ATTRIBUTE.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(v for v in data.getlist(key) if v != "")
    values, lines, errors = {}, [], []
    for attribute in category.open311_attributes.all():
        if not attribute.variable:
            continue
        raw = given.get(attribute.code, [])
        if not raw:
            if attribute.required:
                errors.append(_bad(_("attribute[%(code)s] is required") % {"code": attribute.code}))
            continue
        kind = attribute.datatype
        chosen = raw if kind == "multivaluelist" else raw[:1]
        if kind in ("singlevaluelist", "multivaluelist"):
            keys = attribute.value_keys
            unknown = [v for v in chosen if v not in keys]
            if unknown:
                errors.append(
                    _bad(
                        _("attribute[%(code)s] has an invalid value: %(value)s")
                        % {"code": attribute.code, "value": unknown[0][:50]}
                    )
                )
                continue
            shown = ", ".join(keys[v] for v in chosen)
        elif kind == "number":
            try:
                Decimal(chosen[0])
            except InvalidOperation:
                errors.append(
                    _bad(_("attribute[%(code)s] must be a number") % {"code": attribute.code})
                )
                continue
            shown = chosen[0]
        elif kind == "datetime":
            if parse_datetime(chosen[0]) is None:
                errors.append(
                    _bad(
                        _("attribute[%(code)s] must be an ISO 8601 date and time")
                        % {"code": attribute.code}
                    )
                )
                continue
            shown = chosen[0]
        else:
            shown = strip_tags(chosen[0])[:1000]
            chosen = [shown]
        values[attribute.code] = chosen if kind == "multivaluelist" else chosen[0]
        lines.append(f"{attribute.description}: {shown}")
    if errors:
        raise ErrorList(errors)
    return values, lines


class ErrorList(Exception):
    def __init__(self, errors: list[Open311Error]):
        super().__init__(errors[0].description)
        self.errors = errors


def request_check(*, data) -> PostedRequest:
    """Every check of the POST that does not need the database to write: raises ErrorList."""
    from accounts.identifiers import normalize_phone
    from channels.open311 import selectors

    errors: list[Open311Error] = []
    code = (data.get("service_code") or "").strip()
    if not code:
        raise ErrorList([_bad(_("service_code is required"))])
    category = selectors.service_get(code=code)
    if category is None:
        raise ErrorList(
            [Open311Error(404, _("service_code %(code)s not found") % {"code": code[:64]})]
        )
    try:
        latitude, longitude, kelurahan, address = _location(data)
    except Open311Error as exc:
        errors.append(exc)
        latitude = longitude = kelurahan = None
        address = ""
    description = data.get("description") or ""
    if len(description) > 4000:
        errors.append(_bad(_("description is longer than 4000 characters")))
    description = strip_tags(description).strip()
    fields = {}
    media_url = (data.get("media_url") or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
            fields["media_url"] = media_url
        except ValidationError:
            errors.append(_bad(_("media_url is not a valid http(s) URL")))
    email = (data.get("email") or "").strip()
    if email:
        try:
            EmailValidator()(email)
            fields["email"] = email[:254]
        except ValidationError:
            errors.append(_bad(_("email is not a valid address")))
    phone = (data.get("phone") or "").strip()
    contact_phone = ""
    if phone:  # optional in GeoReport v2: the partner application answers for its reports
        try:
            contact_phone = normalize_phone(phone)
        except ValidationError:
            errors.append(_bad(_("phone is not a valid phone number")))
    for name, limit in (
        ("first_name", 100),
        ("last_name", 100),
        ("device_id", 100),
        ("account_id", 100),
        ("address_id", 100),
    ):
        value = strip_tags(data.get(name) or "").strip()
        if value:
            fields[name] = value[:limit]
    zipcode = (data.get("zipcode") or "").strip()
    if zipcode:
        fields["zipcode"] = zipcode[:10]
    try:
        attributes, lines = _attributes(data, category)
    except ErrorList as exc:
        errors += exc.errors
        attributes, lines = {}, []
    if errors:
        raise ErrorList(errors)
    text = description or category.name
    if lines:
        text = f"{text}\n\n" + "\n".join(lines)
    return PostedRequest(
        category=category,
        latitude=latitude,
        longitude=longitude,
        kelurahan=kelurahan,
        address=address,
        description=text[:4000],
        attributes=attributes,
        contact_phone=contact_phone,
        fields=fields,
    )


def request_create(*, partner: Partner, data) -> ServiceRequest:
    """File the POSTed request as a complaint; nothing is written when anything is refused."""
    from complaints.services import complaint_create

    posted = request_check(data=data)
    location = (
        {"latitude": posted.latitude, "longitude": posted.longitude}
        if posted.latitude is not None
        else {"kelurahan": posted.kelurahan}
    )
    try:
        with transaction.atomic():
            complaint = complaint_create(
                actor=None,
                text=posted.description,
                category=posted.category,
                channel=Channel.OPEN311,
                address=posted.address,
                contact_phone=posted.contact_phone,
                **location,
            )
            request = ServiceRequest(
                complaint=complaint, partner=partner, attributes=posted.attributes, **posted.fields
            )
            request.full_clean(exclude=["complaint", "partner"])
            request.save(force_insert=True)
    except ApplicationError as exc:
        raise ErrorList([_bad(str(exc.detail))]) from None
    except ValidationError as exc:
        raise ErrorList([_bad("; ".join(exc.messages))]) from None
    return request

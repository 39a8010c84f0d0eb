"""Plain functions that turn catalog records into what the API and the portal show.

A *record* is a language-neutral dict of one service (both languages, its category and agency
nested); the snapshot cached by :mod:`services.catalog.selectors` is made of them, and the list
endpoint builds them from its page of rows, so that every interface renders a service the same
way. Plain functions rather than serializers: the home screen renders a hundred of them and
``ModelSerializer`` costs ~8× more per object (shared/testing-notes.md).
"""

from __future__ import annotations

from django.urls import reverse

from services.catalog.models import Service, channels_of
from services.catalog.texts import fee_text, localized, sla_text
from services.models import Agency

SERVICE_FIELDS = (
    "id",
    "code",
    "slug",
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "fee",
    "fee_note_id",
    "fee_note_en",
    "sla_amount",
    "sla_unit",
    "module_slug",
    "at_mpp",
    "at_office",
    "popularity",
    "keywords",
)


def module_url(module_slug: str) -> str | None:
    """Where a service module mounts its portal pages (``/layanan/<slug>/``)."""
    return f"/layanan/{module_slug}/" if module_slug else None


def agency_record(agency: Agency) -> dict:
    return {"code": agency.code, "short_name": agency.short_name, "name": agency.name}


def service_record(service: Service) -> dict:
    """The language-neutral record of a service whose agency and category are loaded."""
    record = {name: getattr(service, name) for name in SERVICE_FIELDS}
    category = service.category
    record["category"] = {
        "slug": category.slug,
        "name_id": category.name_id,
        "name_en": category.name_en,
    }
    record["agency"] = agency_record(service.agency)
    # For the search index: what else a citizen may type to find it.
    record["category_text"] = f"{category.name_id} {category.name_en}"
    record["agency_text"] = f"{service.agency.short_name} {service.agency.name}"
    return record


def render_sla(record: dict, language: str) -> dict | None:
    if record["sla_amount"] is None or not record["sla_unit"]:
        return None
    return {
        "amount": record["sla_amount"],
        "unit": record["sla_unit"],
        "text": sla_text(record, language),
    }


def render_service_summary(
    record: dict, language: str, disabled: frozenset[str] = frozenset()
) -> dict:
    """``disabled``: module slugs staff switched off; their services show no online channel
    until the module is back (its pages answer 503 meanwhile)."""
    module_slug = record["module_slug"] if record["module_slug"] not in disabled else ""
    return {
        "code": record["code"],
        "slug": record["slug"],
        "name": localized(record, "name", language),
        "description": localized(record, "description", language),
        "category": {
            "slug": record["category"]["slug"],
            "name": localized(record["category"], "name", language),
        },
        "agency": dict(record["agency"]),
        "fee": record["fee"],
        "fee_text": fee_text(record, language),
        "sla": render_sla(record, language),
        "channels": channels_of(module_slug, record["at_mpp"], record["at_office"]),
        "module_slug": module_slug or None,
        "online_url": module_url(module_slug),
        "page_url": reverse("portal:catalog-service", args=[record["slug"]]),
    }


def render_service_detail(
    service: Service, language: str, disabled: frozenset[str] = frozenset()
) -> dict:
    """A service with its requirements (prefetched) and the texts only its own page shows."""
    data = render_service_summary(service_record(service), language, disabled)
    data["requirements"] = [
        {"text": localized(requirement, "text", language), "is_optional": requirement.is_optional}
        for requirement in service.requirements.all()
    ]
    data["how_to"] = localized(service, "how_to", language)
    data["legal_basis"] = service.legal_basis
    data["contact"] = service.contact
    return data


def render_category(category: dict, language: str, service_count: int) -> dict:
    return {
        "slug": category["slug"],
        "name": localized(category, "name", language),
        "icon": category.get("icon", ""),
        "service_count": service_count,
    }


def render_life_event(
    event: dict, language: str, *, with_steps: bool, disabled: frozenset[str] = frozenset()
) -> dict:
    """A life event from :func:`services.catalog.selectors.life_event_list_for`: ``done_count``
    and each step's ``is_done`` are ``None``/``False`` for an anonymous visitor."""
    data = {
        "slug": event["slug"],
        "name": localized(event, "name", language),
        "description": localized(event, "description", language),
        "icon": event["icon"],
        "step_count": len(event["steps"]),
        "done_count": event.get("done_count"),
        "page_url": reverse("portal:catalog-life-event", args=[event["slug"]]),
    }
    if with_steps:
        data["steps"] = [
            {
                "position": step["position"],
                "note": localized(step, "note", language),
                "is_optional": step["is_optional"],
                "is_done": step.get("is_done", False),
                "service": render_service_summary(step["service"], language, disabled),
            }
            for step in event["steps"]
        ]
    return data

"""Load the demo catalog (``services/data/catalog.py``). Idempotent: rows are found by their slug
or code and brought in line with the data; requirements and steps are replaced. Agencies must be
loaded first (``seed_demo`` does)."""

from __future__ import annotations

from django.db import transaction

from services.catalog.cache import catalog_changed
from services.catalog.models import Category, LifeEvent, LifeEventStep, Service
from services.catalog.services import service_save, service_set_requirements
from services.data.catalog import CATEGORIES, LIFE_EVENTS, SERVICES
from services.models import Agency

_SERVICE_FIELDS = (
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
    "legal_basis",
    "keywords",
    "popularity",
    "how_to_id",
    "how_to_en",
    "contact",
)


@transaction.atomic
def seed_catalog(*, stdout=None) -> dict[str, int]:
    """Create or update the categories, services and life events; return what was loaded."""
    categories = {}
    for position, (slug, name_id, name_en, icon) in enumerate(CATEGORIES, start=1):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug,
            defaults={"name_id": name_id, "name_en": name_en, "icon": icon, "position": position},
        )
    agencies = Agency.objects.in_bulk([row["agency"] for row in SERVICES], field_name="code")
    services = {}
    for row in SERVICES:
        service = Service.objects.filter(code=row["code"]).first() or Service(code=row["code"])
        service.agency = agencies[row["agency"]]
        service.category = categories[row["category"]]
        service.slug = service.slug or row["code"].replace("_", "-")
        for name in _SERVICE_FIELDS:
            setattr(service, name, row[name])
        service_save(actor=None, service=service)
        service_set_requirements(actor=None, service=service, requirements=row["requirements"])
        services[row["code"]] = service
    for position, (slug, name, description, icon, steps) in enumerate(LIFE_EVENTS, start=1):
        event, _ = LifeEvent.objects.update_or_create(
            slug=slug,
            defaults={
                "name_id": name[0],
                "name_en": name[1],
                "description_id": description[0],
                "description_en": description[1],
                "icon": icon,
                "position": position,
            },
        )
        event.steps.all().delete()
        LifeEventStep.objects.bulk_create(
            LifeEventStep(
                life_event=event,
                position=number,
                service=services[code],
                note_id=note[0],
                note_en=note[1],
                is_optional=optional,
            )
            for number, (code, note, optional) in enumerate(steps, start=1)
        )
    catalog_changed()
    counts = {
        "categories": len(categories),
        "services": len(services),
        "agencies": len({row["agency"] for row in SERVICES}),
        "online": sum(1 for row in SERVICES if row["module_slug"]),
        "life_events": len(LIFE_EVENTS),
    }
    if stdout is not None:
        stdout.write(
            "Catalog: {services} services of {agencies} agencies ({online} online), "
            "{categories} categories, {life_events} life events.".format(**counts)
        )
    return counts

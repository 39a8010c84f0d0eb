"""Load the demo application forms (``applications/data/demo_forms.json``) — data, not code: each
form is a catalog service's fields, documents, service-level time and output, exactly what an
agency admin would enter in the admin. Idempotent: a form is published again only when its
definition changed. Agencies and the catalog must be loaded first (``seed_demo`` does)."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

from applications import services
from applications.models import MODULE_SLUG, AgencyPrefix, ApplicationForm
from services.catalog.models import Category, Service
from services.catalog.services import service_create, service_set_requirements, service_update
from services.models import Agency

DATA = Path(__file__).resolve().parent / "data" / "demo_forms.json"
FORM_VALUES = (
    "intro_id",
    "intro_en",
    "working_days",
    "output_kind",
    "output_name_id",
    "output_name_en",
    "letter_template",
)


def load_data(path: Path = DATA) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def seed_demo_forms(*, stdout=None, path: Path = DATA) -> list[str]:
    """Create or update the demo forms; return the codes of the services offered this way."""
    data = load_data(path)
    agencies = Agency.objects.in_bulk(list(data["prefixes"]), field_name="code")
    for code, prefix in data["prefixes"].items():
        if code in agencies:
            AgencyPrefix.objects.update_or_create(
                agency=agencies[code], defaults={"prefix": prefix}
            )
    for row in data["catalog_services"]:
        if Service.objects.filter(code=row["code"]).exists():
            continue
        values = {k: v for k, v in row.items() if k not in ("agency", "category", "requirements")}
        service = service_create(
            actor=None,
            agency=Agency.objects.get(code=row["agency"]),
            category=Category.objects.get(slug=row["category"]),
            module_slug=MODULE_SLUG,
            **values,
        )
        service_set_requirements(
            actor=None, service=service, requirements=[tuple(r) for r in row["requirements"]]
        )
    offered = []
    for row in data["forms"]:
        service = Service.objects.get(code=row["service"])
        if service.module_slug != MODULE_SLUG:
            service_update(actor=None, service=service, module_slug=MODULE_SLUG)
        values = {name: row[name] for name in FORM_VALUES}
        form = ApplicationForm.objects.filter(service=service).first()
        if form is None:
            form = services.form_create(actor=None, service=service, **values)
        else:
            for name, value in values.items():
                setattr(form, name, value)
            form.save(update_fields=[*FORM_VALUES, "updated_at"])
        services.form_set_definition(
            actor=None, form=form, fields=row["fields"], requirements=row["requirements"]
        )
        current = form.current_version
        if current is None or current.spec != services.form_spec(form):
            services.form_publish(actor=None, form=form)
        offered.append(service.code)
    if stdout is not None:
        stdout.write(f"Online application forms: {len(offered)} ({', '.join(offered)}).")
    return offered

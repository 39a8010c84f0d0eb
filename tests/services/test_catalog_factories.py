"""Factories and helpers shared by the catalog's tests (``tests/services/test_catalog_*.py``).

Kept beside those tests rather than in ``tests/factories.py`` while the catalog is built; they
hold no tests of their own.
"""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from accounts.roles import ROLE_PERMISSIONS, Role
from services.catalog.models import Category, LifeEvent, LifeEventStep, Service, ServiceRequirement
from services.data.agencies import AGENCIES
from services.models import Agency
from tests.factories import AgencyFactory

# What an agency admin needs to maintain their agency's services (accounts/roles.py).
AGENCY_ADMIN_CATALOG_PERMISSIONS = frozenset(
    {"catalog.view_service", "catalog.add_service", "catalog.change_service"}
)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "kependudukan"
    name_id = "Kependudukan"
    name_en = "Population"
    icon = "id-card"


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service

    code = factory.Sequence(lambda n: f"layanan_uji_{n}")
    slug = factory.LazyAttribute(lambda o: o.code.replace("_", "-"))
    agency = factory.SubFactory(AgencyFactory)
    category = factory.SubFactory(CategoryFactory)
    name_id = factory.Sequence(lambda n: f"Layanan Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test service {n}")
    description_id = "Layanan untuk pengujian."
    description_en = "A service for testing."
    fee = 0
    at_mpp = True
    at_office = True


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = ServiceRequirement

    service = factory.SubFactory(ServiceFactory)
    position = factory.Sequence(lambda n: n)
    text_id = "KTP-el asli"
    text_en = "Original e-KTP"


class LifeEventFactory(DjangoModelFactory):
    class Meta:
        model = LifeEvent

    slug = factory.Sequence(lambda n: f"peristiwa-{n}")
    name_id = factory.Sequence(lambda n: f"Peristiwa {n}")
    name_en = factory.Sequence(lambda n: f"Event {n}")
    description_id = "Langkah demi langkah."
    description_en = "Step by step."


class LifeEventStepFactory(DjangoModelFactory):
    class Meta:
        model = LifeEventStep

    life_event = factory.SubFactory(LifeEventFactory)
    position = factory.Sequence(lambda n: n + 1)
    service = factory.SubFactory(ServiceFactory)


def seed_agencies() -> None:
    for code, name, short_name, kind, _confirmed in AGENCIES:
        Agency.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "kind": kind}
        )


def seed_everything() -> dict[str, int]:
    """The demo agencies and the whole demo catalog."""
    from services.catalog.seeding import seed_catalog

    seed_agencies()
    return seed_catalog()


def grant_agency_admin_catalog_permissions(monkeypatch) -> None:
    """Give agency admins the catalog permissions if accounts/roles.py does not yet."""
    granted = ROLE_PERMISSIONS[Role.AGENCY_ADMIN] | AGENCY_ADMIN_CATALOG_PERMISSIONS
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.AGENCY_ADMIN, granted)

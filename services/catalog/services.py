"""Writes on the catalog. The admin, the seed command and any future API call these.

Only superusers and the agency's own admins (``AgencyMembership.Role.AGENCY_ADMIN``) may change a
service, and nobody may move a service to an agency they do not administer. ``actor=None`` is the
system itself (management commands). Every write replaces the cached catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from services.catalog.cache import catalog_changed
from services.catalog.exceptions import CatalogNotAllowed, ServiceInvalid
from services.catalog.models import Service, ServiceRequirement
from services.catalog.selectors import may_manage_agency

if TYPE_CHECKING:
    from accounts.models import User

# What service_update() may change; ``code`` is stable once created (modules and the activity
# feed refer to it), so only a superuser may change it, through service_save().
UPDATABLE_FIELDS = frozenset(
    f.name
    for f in Service._meta.concrete_fields
    if f.name not in {"id", "uuid", "code", "created_at", "updated_at"}
) | {"agency_id", "category_id"}


def _check_may_manage(actor: User | None, agency_id: int | None) -> None:
    if actor is None:
        return
    if not may_manage_agency(actor=actor, agency_id=agency_id):
        raise CatalogNotAllowed(_("You may only maintain the services of your own agency."))


def _validate(service: Service) -> None:
    if not service.slug and service.code:
        service.slug = service.code.replace("_", "-")
    try:
        service.full_clean()
    except ValidationError as exc:
        raise ServiceInvalid(exc.message_dict) from exc


@transaction.atomic
def service_save(
    *, actor: User | None, service: Service, fields: Iterable[str] | None = None
) -> Service:
    """Insert ``service`` (unsaved) or save the ``fields`` changed on it, after checking that the
    actor administers its agency — on an update, also the agency it belonged to."""
    if service.pk is not None:
        original = Service.objects.select_for_update().only("agency_id", "code").get(pk=service.pk)
        _check_may_manage(actor, original.agency_id)
        if service.code != original.code and actor is not None and not actor.is_superuser:
            raise CatalogNotAllowed(_("Only a superuser may change a service's code."))
    _check_may_manage(actor, service.agency_id)
    _validate(service)
    if service.pk is None:
        service.save(force_insert=True)
    else:
        names = set(fields) if fields is not None else None
        if names is not None:
            names = {"slug", "updated_at"} | {_concrete(name) for name in names}
        service.save(update_fields=names)
    catalog_changed()
    return service


def _concrete(name: str) -> str:
    """``agency_id`` → ``agency``: update_fields wants the relation's name (``name_id`` is a
    text field, not a relation, and stays as it is)."""
    return {"agency_id": "agency", "category_id": "category"}.get(name, name)


def service_create(*, actor: User | None, **fields) -> Service:
    """Create a service from its field values (``agency`` and ``category`` as instances)."""
    return service_save(actor=actor, service=Service(**fields))


def service_update(*, actor: User | None, service: Service, **fields) -> Service:
    """Change the given fields of a service (not its ``code``)."""
    unknown = set(fields) - UPDATABLE_FIELDS - {"agency", "category"}
    if unknown:
        raise ValueError(f"service_update() got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(service, name, value)
    return service_save(actor=actor, service=service, fields=fields)


def service_set_active(*, actor: User | None, service: Service, is_active: bool) -> Service:
    """Show (``True``) or withdraw (``False``) a service from the public catalog."""
    if service.is_active == is_active:
        _check_may_manage(actor, service.agency_id)
        return service
    return service_update(actor=actor, service=service, is_active=is_active)


@transaction.atomic
def service_set_requirements(
    *,
    actor: User | None,
    service: Service,
    requirements: Sequence[tuple[str, str] | tuple[str, str, bool]],
) -> list[ServiceRequirement]:
    """Replace the service's requirements with ``(text_id, text_en[, is_optional])`` in order."""
    _check_may_manage(actor, service.agency_id)
    rows = []
    for position, requirement in enumerate(requirements, start=1):
        text_id, text_en, *rest = requirement
        row = ServiceRequirement(
            service=service,
            position=position,
            text_id=text_id,
            text_en=text_en,
            is_optional=bool(rest and rest[0]),
        )
        try:
            row.full_clean(exclude=["service"])
        except ValidationError as exc:
            raise ServiceInvalid(exc.message_dict) from exc
        rows.append(row)
    service.requirements.all().delete()
    created = ServiceRequirement.objects.bulk_create(rows)
    catalog_changed()
    return created

"""The service-module registry: every domain app and agency package declares itself here.

A module is a Django app whose ``AppConfig.ready()`` calls :func:`register` with a
:class:`ServiceModule`. The project mounts the module's API at ``/api/v1/<slug>/`` and lists it at
``/api/v1/``. Registering two modules with one slug, or one service code twice, stops start-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


@dataclass(frozen=True)
class ServiceModule:
    slug: str
    name: str
    agency_code: str
    service_codes: tuple[str, ...] = ()
    api_urlconf: str | None = None
    portal_urlconf: str | None = None
    description: str = ""
    hooks: dict = field(default_factory=dict)


_modules: dict[str, ServiceModule] = {}


def register(module: ServiceModule) -> ServiceModule:
    if not isinstance(module, ServiceModule):
        raise ImproperlyConfigured(
            f"register() expects a ServiceModule, got {type(module).__name__}."
        )
    if not _SLUG.match(module.slug):
        raise ImproperlyConfigured(
            f"Service module slug {module.slug!r} must be 2–40 lowercase letters, digits or '-'."
        )
    if module.slug in _modules:
        raise ImproperlyConfigured(
            f"Two service modules are registered with the slug {module.slug!r}."
        )
    for other in _modules.values():
        shared = set(module.service_codes) & set(other.service_codes)
        if shared:
            raise ImproperlyConfigured(
                f"Service code(s) {sorted(shared)} are claimed by both {other.slug!r} and "
                f"{module.slug!r}."
            )
    _modules[module.slug] = module
    return module


def unregister(slug: str) -> None:
    _modules.pop(slug, None)


def modules() -> list[ServiceModule]:
    return sorted(_modules.values(), key=lambda m: m.slug)


def get(slug: str) -> ServiceModule | None:
    return _modules.get(slug)

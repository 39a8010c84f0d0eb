"""The service-module registry: every domain app and agency package declares itself here.

A module is a Django app whose ``AppConfig.ready()`` calls :func:`register` with a
:class:`ServiceModule`. The project mounts the module's API at ``/api/v1/<slug>/`` (tagged
``<slug>`` in the OpenAPI schema) and its portal pages at ``/layanan/<slug>/``, lists it at
``/api/v1/``, and lets staff switch it off in the admin. Registering two modules with one slug, or
one service code twice, stops start-up with a message naming both.

An agency package that lives outside this repository is installed by listing its app in the
``SERVICE_MODULE_APPS`` environment variable; no core file changes.

The interface is versioned by :data:`INTERFACE_VERSION`; new capabilities arrive as optional
fields with defaults, so a module written for an older version keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

INTERFACE_VERSION = 1

_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_SERVICE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
# Path segments the project itself uses under /layanan/ and /api/v1/.
RESERVED_SLUGS = frozenset(
    {
        "katalog",
        "me",
        "activity",
        "notifications",
        "devices",
        "documents",
        "receipts",
        "catalog",
        "consent-texts",
    }
)


@dataclass(frozen=True)
class ServiceModule:
    """What a module tells the platform about itself.

    ``check_config`` returns a list of human-readable problems (empty when healthy), e.g. a missing
    gateway key. ``conformance_object`` creates one citizen-owned object through the module's own
    services and returns the API URL of its detail; the conformance kit uses it to prove scoping
    and activity items.
    """

    slug: str
    name: str
    agency_code: str
    service_codes: tuple[str, ...] = ()
    api_urlconf: str | None = None
    portal_urlconf: str | None = None
    description: str = ""
    version: str = "1"
    app_label: str = ""
    check_config: Callable[[], list[str]] | None = None
    conformance_object: Callable[..., str] | None = None


_modules: dict[str, ServiceModule] = {}


def register(module: ServiceModule) -> ServiceModule:
    if not isinstance(module, ServiceModule):
        raise ImproperlyConfigured(
            f"register() expects a ServiceModule, got {type(module).__name__}."
        )
    if not _SLUG.match(module.slug) or module.slug in RESERVED_SLUGS:
        raise ImproperlyConfigured(
            f"Service module slug {module.slug!r} must be 2–40 lowercase letters, digits or '-', "
            f"and not one of {sorted(RESERVED_SLUGS)}."
        )
    if module.slug in _modules:
        raise ImproperlyConfigured(
            f"Two service modules are registered with the slug {module.slug!r}."
        )
    bad_codes = [code for code in module.service_codes if not _SERVICE_CODE.match(code)]
    if bad_codes:
        raise ImproperlyConfigured(
            f"Module {module.slug!r}: service codes {bad_codes} must be lowercase letters, digits "
            "or '_'."
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


def module_for_service_code(code: str) -> ServiceModule | None:
    for module in _modules.values():
        if code in module.service_codes:
            return module
    return None

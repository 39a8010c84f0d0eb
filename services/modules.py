"""Switching service modules on and off, their configuration health and conformance results.

Every interface (admin, the conformance command, the middleware) goes through these functions.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError
from balikpapan_untuk_warga.cache import MISSING, LocalCopies
from services import registry
from services.models import ModuleState

_DISABLED_CACHE_KEY = "services:disabled-modules"

# This process's copy of the switched-off slugs: every request to a module's path asks (the
# middleware), and a round trip to the shared cache was about a sixth of a cached "now serving"
# poll; a switch is rare and may take SERVICE_MODULES_LOCAL_SECONDS to reach the other processes.
_local = LocalCopies("SERVICE_MODULES_LOCAL_SECONDS", max_entries=1)


def forget_local() -> None:
    """Drop this process's copy (a switch made here is seen here at once)."""
    _local.forget()


def _forget_everywhere() -> None:
    cache.delete(_DISABLED_CACHE_KEY)
    forget_local()


def disabled_slugs() -> frozenset[str]:
    """The slugs switched off by staff: this process's copy (``SERVICE_MODULES_LOCAL_SECONDS``),
    else the shared cache, else the database (every switch clears the shared cache and this
    process's copy)."""
    slugs = _local.get(_DISABLED_CACHE_KEY)
    if slugs is not MISSING:
        return slugs
    slugs = cache.get(_DISABLED_CACHE_KEY)
    if slugs is None:
        slugs = frozenset(
            ModuleState.objects.filter(is_enabled=False).values_list("slug", flat=True)
        )
        cache.set(_DISABLED_CACHE_KEY, slugs, timeout=300)
    _local.put(_DISABLED_CACHE_KEY, slugs)
    return slugs


def module_is_enabled(slug: str) -> bool:
    return slug not in disabled_slugs()


def module_config_problems(module: registry.ServiceModule) -> list[str]:
    """What the module says is wrong with its configuration (a crash counts as a problem)."""
    if module.check_config is None:
        return []
    try:
        return [str(problem) for problem in module.check_config()]
    except Exception as exc:  # a broken check must not break the admin page
        return [_("The configuration check failed: %(error)s") % {"error": type(exc).__name__}]


def module_states_sync() -> dict[str, ModuleState]:
    """One state row per registered module (created on first sight)."""
    states = {state.slug: state for state in ModuleState.objects.all()}
    for module in registry.modules():
        if module.slug not in states:
            states[module.slug], _created = ModuleState.objects.get_or_create(slug=module.slug)
    return states


def _module_or_error(slug: str) -> registry.ServiceModule:
    module = registry.get(slug)
    if module is None:
        raise ApplicationError(_("No service module has this name."), code="module_unknown")
    return module


@transaction.atomic
def module_enable(*, actor, slug: str) -> ModuleState:
    """Switch a module on: only when it passed the conformance kit at its current version and
    its configuration check reports nothing."""
    module = _module_or_error(slug)
    state, _created = ModuleState.objects.select_for_update().get_or_create(slug=slug)
    if not (state.conformance_passed and state.conformance_version == module.version):
        raise ConflictError(
            _(
                "This module has not passed the conformance kit at version %(version)s. "
                "Run: manage.py check_service_module %(slug)s"
            )
            % {"version": module.version, "slug": slug},
            code="module_not_conformant",
        )
    problems = module_config_problems(module)
    if problems:
        raise ConflictError(
            _("The module's configuration has problems: %(problems)s")
            % {"problems": "; ".join(problems)},
            code="module_misconfigured",
        )
    if not state.is_enabled:
        state.is_enabled = True
        state.save(update_fields=["is_enabled", "changed_at"])
    transaction.on_commit(_forget_everywhere)
    return state


@transaction.atomic
def module_disable(*, actor, slug: str) -> ModuleState:
    _module_or_error(slug)
    state, _created = ModuleState.objects.select_for_update().get_or_create(slug=slug)
    if state.is_enabled:
        state.is_enabled = False
        state.save(update_fields=["is_enabled", "changed_at"])
    transaction.on_commit(_forget_everywhere)
    return state


def module_record_conformance(
    *, slug: str, version: str, passed: bool, report: list
) -> ModuleState:
    state, _created = ModuleState.objects.get_or_create(slug=slug)
    state.conformance_version = version if passed else ""
    state.conformance_passed = passed
    state.conformance_report = report
    state.conformance_checked_at = timezone.now()
    state.save(
        update_fields=[
            "conformance_version",
            "conformance_passed",
            "conformance_report",
            "conformance_checked_at",
            "changed_at",
        ]
    )
    return state

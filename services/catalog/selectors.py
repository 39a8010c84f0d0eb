"""Reads on the catalog, scoped to who is asking.

The public catalog is the same for everyone (active services of active agencies); staff see in
the admin only the services of the agencies they administer; a signed-in citizen's life-event
journeys show which steps they have done, from the activity feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import AgencyMembership
from services.catalog import cache
from services.catalog.models import Category, LifeEvent, LifeEventStep, Service
from services.catalog.presenters import (
    render_category,
    render_life_event,
    render_service_summary,
    service_record,
)
from services.catalog.search import SearchIndex, build_index
from services.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

FEATURED_COUNT = 8

_PUBLIC = Q(is_active=True, agency__is_active=True)


# --- Services ---------------------------------------------------------------------------------


def service_list_for(*, actor: User | AnonymousUser | None) -> QuerySet[Service]:
    """What the public catalog lists: the same for everyone, most used first."""
    return (
        Service.objects.filter(_PUBLIC)
        .select_related("agency", "category")
        .order_by("-popularity", "name_id", "id")
    )


def service_get_for(*, actor: User | AnonymousUser | None, slug: str) -> Service:
    """One public service with its requirements; ``Service.DoesNotExist`` when it is not public."""
    return service_list_for(actor=actor).prefetch_related("requirements").get(slug=slug)


def agencies_managed_by(*, actor: User) -> QuerySet[Agency]:
    """The agencies whose catalog entries ``actor`` maintains: all for a superuser, those where
    they are agency admin otherwise."""
    if actor.is_superuser:
        return Agency.objects.all()
    if not (actor.is_active and actor.is_staff):
        return Agency.objects.none()
    return Agency.objects.filter(
        memberships__user=actor, memberships__role=AgencyMembership.Role.AGENCY_ADMIN
    ).distinct()


def may_manage_agency(*, actor: User, agency_id: int | None) -> bool:
    if agency_id is None:
        return False
    if actor.is_superuser:
        return True
    return agencies_managed_by(actor=actor).filter(pk=agency_id).exists()


def service_admin_list_for(*, actor: User) -> QuerySet[Service]:
    """The services ``actor`` may see and edit in the admin, active or not."""
    services = Service.objects.select_related("agency", "category")
    if actor.is_superuser:
        return services
    return services.filter(agency__in=agencies_managed_by(actor=actor))


def category_list_for(*, actor: User | AnonymousUser | None) -> QuerySet[Category]:
    """Every category with the number of public services in it."""
    return Category.objects.annotate(
        service_count=Count(
            "services",
            filter=Q(services__is_active=True, services__agency__is_active=True),
        )
    ).order_by("position", "slug")


# --- The cached snapshot, search and the home screen ----------------------------------------------


def _build_snapshot() -> dict:
    """Four queries: services (with agency and category), categories, life events with their
    steps (two). Everything language-neutral, in plain dicts that pickle small."""
    services = [service_record(s) for s in service_list_for(actor=None)]
    by_id = {record["id"]: record for record in services}
    categories = [
        {
            "slug": c.slug,
            "name_id": c.name_id,
            "name_en": c.name_en,
            "icon": c.icon,
            "position": c.position,
        }
        for c in Category.objects.order_by("position", "slug")
    ]
    steps = LifeEventStep.objects.order_by("position")
    events = []
    for event in LifeEvent.objects.filter(is_active=True).prefetch_related(
        Prefetch("steps", queryset=steps)
    ):
        events.append(
            {
                "slug": event.slug,
                "name_id": event.name_id,
                "name_en": event.name_en,
                "description_id": event.description_id,
                "description_en": event.description_en,
                "icon": event.icon,
                # A step whose service is not public any more is left out of the journey.
                "steps": [
                    {
                        "position": step.position,
                        "note_id": step.note_id,
                        "note_en": step.note_en,
                        "is_optional": step.is_optional,
                        "service_id": step.service_id,
                    }
                    for step in event.steps.all()
                    if step.service_id in by_id
                ],
            }
        )
    return {"services": services, "categories": categories, "life_events": events}


def catalog_snapshot() -> dict:
    """The active catalog as plain dicts, from the cache (built on a miss with four queries)."""
    return cache.cached("snapshot", _build_snapshot)


_index_memo: dict[str, tuple[str, SearchIndex]] = {}


def _search_index() -> SearchIndex:
    version = cache.current_version()
    memo = _index_memo.get("index")
    if memo is None or memo[0] != version:
        snapshot = cache.cached("snapshot", _build_snapshot, version=version)
        memo = (version, build_index(snapshot["services"]))
        _index_memo["index"] = memo
    return memo[1]


def catalog_search(*, query: str) -> list[int]:
    """Ids of the public services matching ``query``, best first (see services.catalog.search)."""
    return _search_index().search(query)


def modules_switched_off() -> frozenset[str]:
    """Module slugs staff switched off (cached by services.modules)."""
    from services.modules import disabled_slugs

    return disabled_slugs()


def _build_home(language: str, disabled: frozenset[str]) -> dict:
    snapshot = catalog_snapshot()
    services = snapshot["services"]
    per_category: dict[str, int] = {}
    per_agency: dict[str, int] = {}
    agencies: dict[str, dict] = {}
    for record in services:
        per_category[record["category"]["slug"]] = (
            per_category.get(record["category"]["slug"], 0) + 1
        )
        code = record["agency"]["code"]
        per_agency[code] = per_agency.get(code, 0) + 1
        agencies[code] = record["agency"]
    featured = [r for r in services if r["popularity"] > 0][:FEATURED_COUNT]
    return {
        "categories": [
            render_category(category, language, per_category[category["slug"]])
            for category in snapshot["categories"]
            if category["slug"] in per_category
        ],
        "featured": [render_service_summary(record, language, disabled) for record in featured],
        "life_events": [
            render_life_event(event, language, with_steps=False, disabled=disabled)
            for event in life_event_list_for(actor=None)
        ],
        "agencies": [
            {**agencies[code], "service_count": per_agency[code]}
            for code in sorted(agencies, key=lambda c: agencies[c]["short_name"].lower())
        ],
        "service_count": len(services),
    }


def catalog_home(*, language: str) -> dict:
    """Everything the app's home screen shows, rendered in ``language``, from the cache (one
    entry per language and set of switched-off modules)."""
    disabled = modules_switched_off()
    key = f"home:{language}:{','.join(sorted(disabled))}"
    return cache.cached(key, lambda: _build_home(language, disabled))


# --- Life events ----------------------------------------------------------------------------------


def _done_codes_for(user: User | AnonymousUser | None) -> set[str] | None:
    """Codes of the services the person has completed (their activity feed); ``None`` when
    nobody is signed in."""
    if user is None or not user.is_authenticated:
        return None
    from services.activity.selectors import activity_done_service_codes_for

    return activity_done_service_codes_for(user=user)


def _with_progress(event: dict, services: dict[int, dict], done: set[str] | None) -> dict:
    steps = []
    for step in event["steps"]:
        service = services[step["service_id"]]
        steps.append(
            {**step, "service": service, "is_done": done is not None and service["code"] in done}
        )
    return {
        **event,
        "steps": steps,
        "done_count": None if done is None else sum(step["is_done"] for step in steps),
    }


def life_event_list_for(*, actor: User | AnonymousUser | None) -> list[dict]:
    """The active life events with their steps; for a signed-in citizen each step says whether
    they have done it. No query for the public part (cached); one for the citizen's progress."""
    snapshot = catalog_snapshot()
    services = {record["id"]: record for record in snapshot["services"]}
    done = _done_codes_for(actor)
    return [_with_progress(event, services, done) for event in snapshot["life_events"]]


def life_event_get_for(*, actor: User | AnonymousUser | None, slug: str) -> dict | None:
    snapshot = catalog_snapshot()
    event = next((e for e in snapshot["life_events"] if e["slug"] == slug), None)
    if event is None:
        return None
    services = {record["id"]: record for record in snapshot["services"]}
    return _with_progress(event, services, _done_codes_for(actor))

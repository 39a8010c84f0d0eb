"""Reads on the activity feed, scoped to who is asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q, QuerySet

from services import registry
from services.activity.models import ActivityItem

if TYPE_CHECKING:
    from accounts.models import User


def activity_list_for(*, user: User) -> QuerySet[ActivityItem]:
    """The person's own items and the items they acted on for someone else, newest change first."""
    return (
        ActivityItem.objects.filter(Q(owner=user) | Q(acted_by=user))
        .select_related("owner", "acted_by")
        .order_by("-last_changed_at", "-id")
    )


def activity_done_service_codes_for(*, user: User) -> set[str]:
    """Codes of the services the person has finished: their own closed items, leaving out those
    that ended without the service (``ACTIVITY_UNSUCCESSFUL_STATES``: rejected, cancelled, …)."""
    return set(
        ActivityItem.objects.filter(owner=user, is_open=False)
        .exclude(service_code="")
        .exclude(state__in=settings.ACTIVITY_UNSUCCESSFUL_STATES)
        .values_list("service_code", flat=True)
        .distinct()
    )


def activity_list_for_staff(*, user: User) -> QuerySet[ActivityItem]:
    """What the staff admin lists: everything for a superuser, else the items of the modules run
    by the staff member's agencies (a module belongs to the agency named in its registration)."""
    items = ActivityItem.objects.select_related("owner", "acted_by", "content_type")
    if user.is_superuser:
        return items
    if not (user.is_active and user.is_staff):
        return items.none()
    agency_codes = set(user.memberships.values_list("agency__code", flat=True))
    slugs = [module.slug for module in registry.modules() if module.agency_code in agency_codes]
    return items.filter(module__in=slugs)

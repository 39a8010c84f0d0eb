"""Reads on the activity feed, scoped to who is asking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, QuerySet, Subquery

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


# What one row of the API feed needs: the columns it shows, and for an item done on someone's
# behalf the name of the other person (``on_behalf_name``, annotated by ``activity_feed_for``).
FEED_FIELDS = (
    "uuid",
    "module",
    "service_code",
    "tracking_number",
    "title",
    "state",
    "state_label",
    "is_open",
    "due_at",
    "app_link",
    "portal_link",
    "acted_by_id",
    "on_behalf_name",
    "created_at",
    "last_changed_at",
)


def activity_feed_for(*, user: User) -> tuple[QuerySet[dict], QuerySet[dict]]:
    """The API feed as two branches of plain rows (``FEED_FIELDS`` and ``id``, the cursor's tie
    breaker): the person's own items, and the items they acted on for someone else. The view
    pages their merge (``balikpapan_untuk_warga.api.pagination.MergedBranches``): each branch is
    read in its index's order and stops at the page's end, whereas ``owner = X OR acted_by = X``
    made PostgreSQL read every row of the person before sorting (2 ms for the 2,000 items of a
    heavy citizen at ten times the data; 0.04 ms this way).

    The other person's name (``on_behalf_name``) is a scalar subquery by primary key, not a
    join: PostgreSQL evaluates it for the page's rows only, whereas joining the users table
    twice made it hash-join the whole table (40 ms instead of 0.6 ms at city scale). In the own
    branch the other person is whoever acted for the owner; in the other branch, the owner."""
    users = get_user_model().objects

    def rows(queryset, other: str):
        name = users.filter(pk=OuterRef(other)).values("full_name")[:1]
        return queryset.annotate(on_behalf_name=Subquery(name)).values("id", *FEED_FIELDS)

    own = ActivityItem.objects.filter(owner=user)
    for_others = ActivityItem.objects.filter(acted_by=user).exclude(owner=user)
    return rows(own, "acted_by_id"), rows(for_others, "owner_id")


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

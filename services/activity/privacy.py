"""``services.activity``: the person's activity feed is rebuilt from the modules' objects, so it
is not exported separately; on erasure it goes (items they acted on for others lose the link)."""

from privacy import registry
from services.activity.models import ActivityItem


def erase(user) -> dict[str, int]:
    unlinked = ActivityItem.objects.filter(acted_by=user).exclude(owner=user).update(acted_by=None)
    return {"items": ActivityItem.objects.filter(owner=user).delete()[0], "unlinked": unlinked}


registry.register("activity", erase=erase, order=800)

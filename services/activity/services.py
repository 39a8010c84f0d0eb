"""Writes on the activity feed. Modules call :func:`activity_record` (through the workflow or
directly); nothing else writes :class:`~services.activity.models.ActivityItem`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from services.activity.models import ActivityItem
from services.activity.texts import in_all_languages

if TYPE_CHECKING:
    from accounts.models import User

# The fields activity_record() keeps up to date; a call that changes none of them writes nothing.
_TRACKED_FIELDS = (
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
    "acted_by",
)


# Related rows the caller hands over as saved objects: validating them would only cost an
# existence query each (two per write, four writes when a complaint is filed and routed).
_IN_HAND = ["owner", "acted_by", "content_type"]


def activity_record(
    *,
    owner: User,
    obj,
    module: str,
    tracking_number: str,
    title,
    state: str,
    state_label,
    is_open: bool,
    due_at=None,
    service_code: str = "",
    app_link: str = "",
    portal_link: str = "",
    acted_by: User | None = None,
) -> ActivityItem:
    """Create or update the activity row of (obj, owner). title/state_label may be lazy translations:
    store both Indonesian and English renderings (translation.override). acted_by: who acted on the
    owner's behalf (shown in the owner's feed, and the item also appears in acted_by's feed).

    ``acted_by=None`` on an update keeps whoever acted before (a later staff decision does not
    erase that a relative submitted the request); ``acted_by=owner`` means nobody else.
    ``last_changed_at`` moves only when something shown changed, so that ``?since=`` stays cheap.
    """
    if obj.pk is None:
        raise ValueError("activity_record() needs a saved object.")
    if acted_by is not None and acted_by.pk == owner.pk:
        acted_by = None
    content_type = ContentType.objects.get_for_model(obj)  # cached after the first call
    object_id = str(obj.pk)
    values = {
        "module": module,
        "service_code": service_code,
        "tracking_number": tracking_number,
        "title": in_all_languages(title),
        "state": state,
        "state_label": in_all_languages(state_label),
        "is_open": is_open,
        "due_at": due_at,
        "app_link": app_link,
        "portal_link": portal_link,
    }
    key = {"content_type": content_type, "object_id": object_id, "owner": owner}

    with transaction.atomic():
        item = ActivityItem.objects.select_for_update().filter(**key).first()
        if item is None:
            now = timezone.now()
            item = ActivityItem(
                **key, **values, acted_by=acted_by, created_at=now, last_changed_at=now
            )
            item.full_clean(exclude=_IN_HAND, validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():  # a concurrent first call may win the insert
                    item.save(force_insert=True)
                return item
            except IntegrityError:
                item = ActivityItem.objects.select_for_update().get(**key)
        return _update(item, values, acted_by)


def _update(item: ActivityItem, values: dict, acted_by: User | None) -> ActivityItem:
    if acted_by is not None:
        values = {**values, "acted_by": acted_by}
    changed = [
        name
        for name in _TRACKED_FIELDS
        if name in values and _current(item, name) != _wanted(values[name], name)
    ]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, values[name])
    item.last_changed_at = timezone.now()
    item.full_clean(exclude=_IN_HAND, validate_unique=False, validate_constraints=False)
    item.save(update_fields=[*changed, "last_changed_at"])
    return item


def _current(item: ActivityItem, name: str):
    return item.acted_by_id if name == "acted_by" else getattr(item, name)


def _wanted(value, name: str):
    return value.pk if name == "acted_by" else value

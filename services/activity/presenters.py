"""The API feed's rows (``activity_feed_for``) as the JSON the app reads.

A plain function rather than a serializer: a page of 20 rows through ``ModelSerializer`` cost more
than everything else in the request (issue 10); :class:`ActivityItemSerializer` still describes the
shape for the OpenAPI schema, and the tests compare the two.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from services.activity.texts import in_language


def _iso(value: dt.datetime | None, zone) -> str | None:
    """What DRF's ``DateTimeField`` answers (ISO 8601 in the current time zone, ``Z`` for UTC,
    as on every other endpoint), with the zone looked up once per page rather than per value."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def render_feed_item(row: dict, *, language: str, viewer_id: int, zone=None) -> dict:
    """``viewer_id``: who asks; an item they handled for someone else names the owner
    (``by_me``), one someone handled for them names that person (``for_me``): the selector's
    ``on_behalf_name`` is already the right one of the two."""
    zone = zone or timezone.get_current_timezone()
    if row["acted_by_id"] is None:
        on_behalf = None
    else:
        direction = "by_me" if row["acted_by_id"] == viewer_id else "for_me"
        on_behalf = {"direction": direction, "name": row["on_behalf_name"]}
    return {
        "uuid": str(row["uuid"]),
        "module": row["module"],
        "service_code": row["service_code"],
        "tracking_number": row["tracking_number"],
        "title": in_language(row["title"], language),
        "state": row["state"],
        "state_label": in_language(row["state_label"], language),
        "is_open": row["is_open"],
        "due_at": _iso(row["due_at"], zone),
        "app_link": row["app_link"],
        "portal_link": row["portal_link"],
        "on_behalf": on_behalf,
        "created_at": _iso(row["created_at"], zone),
        "last_changed_at": _iso(row["last_changed_at"], zone),
    }

"""Notifications: the in-app inbox always; email, SMS, WhatsApp and push through pluggable
backends run by Celery, per the recipient's choice of channel and topic.

Modules call::

    from services.notifications import notify

    notify(recipient=request.applicant, event="status_changed",
           key=f"civil_registry:{request.uuid}:history:{history.id}",
           context={"title": ..., "tracking_number": ..., "state_label": ...}, obj=request)

Staff screens show what became of it with ``deliveries_for_object(obj)`` (each delivery has a
``summary``: "Delivered by WhatsApp at 09:12, 3 Mar 2026"). The names are imported lazily
(PEP 562) so that importing this package does not load models before the app registry is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["deliveries_for_object", "notify"]

if TYPE_CHECKING:
    from services.notifications.selectors import deliveries_for_object
    from services.notifications.services import notify


def __getattr__(name: str):
    if name == "notify":
        from services.notifications.services import notify

        return notify
    if name == "deliveries_for_object":
        from services.notifications.selectors import deliveries_for_object

        return deliveries_for_object
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

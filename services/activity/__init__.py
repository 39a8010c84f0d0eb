"""The activity feed: everything a citizen has going on, across modules, in one indexed list.

Modules call::

    from services.activity import activity_record

    activity_record(owner=request.applicant, obj=request, module="civil-registry",
                    tracking_number=request.tracking_number, title=_("KTP-el replacement"),
                    state=request.status, state_label=request.get_status_display(),
                    is_open=True, service_code="ktp-el", app_link=..., portal_link=...)

and read with :func:`activity_list_for` and :func:`activity_done_service_codes_for`. The names are
imported lazily (PEP 562) so that importing this package does not load models before Django's app
registry is ready.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["activity_done_service_codes_for", "activity_list_for", "activity_record"]

if TYPE_CHECKING:
    from services.activity.selectors import activity_done_service_codes_for, activity_list_for
    from services.activity.services import activity_record


def __getattr__(name: str):
    if name == "activity_record":
        from services.activity.services import activity_record

        return activity_record
    if name in ("activity_list_for", "activity_done_service_codes_for"):
        from services.activity import selectors

        return getattr(selectors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

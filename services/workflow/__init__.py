"""services.workflow — the kit for stateful objects: transition tables, status history, deadlines
on the working calendar, and tracking numbers.

A module declares its states and transitions in its ``workflow.py`` (:class:`Transition`,
:class:`Workflow`), lets its model inherit :class:`WorkflowModel`, and changes state only with
:func:`transition_perform`. Names are imported lazily (PEP 562) so that importing this package
does not load models before Django's app registry is ready.

Writes: ``transition_perform``, ``workflow_start``, ``deadline_start``, ``deadline_pause``,
``deadline_resume``, ``deadline_stop``, ``deadlines_reschedule``, ``tracking_number_next``.
Reads: ``history_for``, ``allowed_transitions_for``, ``overdue_for_agency``, ``deadline_for``.
Calendar: ``add_working_time``, ``working_time_between``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from services.workflow.definitions import (
    ACTORS,
    AGENCY_STAFF,
    OWNER,
    SYSTEM,
    Transition,
    Workflow,
)

_LAZY = {
    "WorkflowModel": "services.workflow.models",
    "StatusHistory": "services.workflow.models",
    "Deadline": "services.workflow.models",
    "DueDateChange": "services.workflow.models",
    "Holiday": "services.workflow.models",
    "transition_perform": "services.workflow.services",
    "workflow_start": "services.workflow.services",
    "activity_sync": "services.workflow.services",
    "history_for": "services.workflow.selectors",
    "allowed_transitions_for": "services.workflow.selectors",
    "actor_standing_for": "services.workflow.selectors",
    "deadline_start": "services.workflow.deadlines",
    "deadline_pause": "services.workflow.deadlines",
    "deadline_resume": "services.workflow.deadlines",
    "deadline_stop": "services.workflow.deadlines",
    "deadlines_reschedule": "services.workflow.deadlines",
    "deadline_for": "services.workflow.deadlines",
    "deadline_due_at": "services.workflow.deadlines",
    "overdue_for_agency": "services.workflow.deadlines",
    "add_working_time": "services.workflow.calendar",
    "working_time_between": "services.workflow.calendar",
    "tracking_number_next": "services.workflow.tracking",
}

__all__ = [
    "ACTORS",
    "AGENCY_STAFF",
    "OWNER",
    "SYSTEM",
    "Deadline",
    "DueDateChange",
    "Holiday",
    "StatusHistory",
    "Transition",
    "Workflow",
    "WorkflowModel",
    "activity_sync",
    "actor_standing_for",
    "add_working_time",
    "allowed_transitions_for",
    "deadline_due_at",
    "deadline_for",
    "deadline_pause",
    "deadline_resume",
    "deadline_start",
    "deadline_stop",
    "deadlines_reschedule",
    "history_for",
    "overdue_for_agency",
    "tracking_number_next",
    "transition_perform",
    "workflow_start",
    "working_time_between",
]

if TYPE_CHECKING:
    from services.workflow.calendar import add_working_time, working_time_between
    from services.workflow.deadlines import (
        deadline_due_at,
        deadline_for,
        deadline_pause,
        deadline_resume,
        deadline_start,
        deadline_stop,
        deadlines_reschedule,
        overdue_for_agency,
    )
    from services.workflow.models import (
        Deadline,
        DueDateChange,
        Holiday,
        StatusHistory,
        WorkflowModel,
    )
    from services.workflow.selectors import (
        actor_standing_for,
        allowed_transitions_for,
        history_for,
    )
    from services.workflow.services import activity_sync, transition_perform, workflow_start
    from services.workflow.tracking import tracking_number_next


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)

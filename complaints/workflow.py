"""States and transitions of a complaint (after Amsterdam/signals' explicit transition table).

received ─triage→ triaged ─assign→ assigned ─start→ in_progress ─resolve→ resolved ─close→ closed
                                    ↑  └──reroute─┘      │ ask_information ⇄ provide_information
                                    └────────── reopen (reporter, within the window) ─┘
Any open state → rejected (staff, with a reason) or duplicate (staff merge into another complaint).

``triage``/``assign`` are done by the command centre (staff of the handling agency while the
complaint waits in its queue, the handling agency then being Diskominfo) or by the system when the
category is given or suggested with enough confidence. ``reroute`` is done by staff of the handling
agency ("not ours": they must name the right agency) or by the system on behalf of the command
centre, which is not staff of every agency (see ``services.complaint_reroute``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow import AGENCY_STAFF, OWNER, SYSTEM, Transition, Workflow


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Assigned to an agency")
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_INFORMATION = "needs_information", _("Needs information")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


OPEN_STATES = (
    State.RECEIVED,
    State.TRIAGED,
    State.ASSIGNED,
    State.IN_PROGRESS,
    State.NEEDS_INFORMATION,
)
STAFF = frozenset({AGENCY_STAFF})
STAFF_OR_SYSTEM = frozenset({AGENCY_STAFF, SYSTEM})

WORKFLOW = Workflow(
    states=State,
    initial=State.RECEIVED,
    closed_states=(State.CLOSED, State.REJECTED, State.DUPLICATE),
    transitions=(
        # Always followed by "assign" in the same transaction (``services._route``): the reporter
        # is told once, by "assign", not twice in the same second.
        Transition(
            "triage",
            (State.RECEIVED,),
            State.TRIAGED,
            STAFF_OR_SYSTEM,
            label=_("Triage"),
            notifies_owner=False,
        ),
        Transition(
            "assign",
            (State.TRIAGED,),
            State.ASSIGNED,
            STAFF_OR_SYSTEM,
            label=_("Assign to an agency"),
        ),
        Transition(
            "reroute",
            (State.ASSIGNED, State.IN_PROGRESS),
            State.ASSIGNED,
            STAFF_OR_SYSTEM,
            label=_("Not ours: route to another agency"),
        ),
        Transition("start", (State.ASSIGNED,), State.IN_PROGRESS, STAFF, label=_("Start work")),
        Transition(
            "ask_information",
            (State.ASSIGNED, State.IN_PROGRESS),
            State.NEEDS_INFORMATION,
            STAFF,
            pauses_clock=True,
            label=_("Ask the reporter for information"),
        ),
        Transition(
            "provide_information",
            (State.NEEDS_INFORMATION,),
            State.IN_PROGRESS,
            frozenset({OWNER}),
            resumes_clock=True,
            label=_("Send the information"),
        ),
        Transition(
            "resolve",
            (State.ASSIGNED, State.IN_PROGRESS),
            State.RESOLVED,
            STAFF,
            label=_("Resolve"),
        ),
        Transition(
            "reopen",
            (State.RESOLVED,),
            State.ASSIGNED,
            frozenset({OWNER, SYSTEM}),  # SYSTEM: on behalf of a supporter (services)
            label=_("Not fixed: reopen"),
        ),
        Transition(
            "close",
            (State.RESOLVED,),
            State.CLOSED,
            frozenset({OWNER, SYSTEM}),
            label=_("Confirm and close"),
        ),
        Transition(
            "reject",
            (*OPEN_STATES,),
            State.REJECTED,
            STAFF,
            label=_("Reject"),
        ),
        Transition(
            "mark_duplicate",
            (*OPEN_STATES,),
            State.DUPLICATE,
            STAFF_OR_SYSTEM,
            label=_("Merge into another complaint"),
        ),
    ),
)

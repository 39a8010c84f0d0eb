"""The ticket's states and who may move them (the transition table).

booked → checked_in → called → served; booked/checked_in → cancelled (by the citizen, until the
session starts); booked/called → no_show (the "call next" sweep after the grace period);
called → called (recall). Staff of the service point's agency act at the counter.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow import AGENCY_STAFF, OWNER, SYSTEM, Transition, Workflow


class TicketState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    CALLED = "called", _("Called")
    SERVED = "served", _("Served")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


#: States in which a ticket holds a place in the queue (and counts against the quota).
ACTIVE_STATES = (TicketState.BOOKED, TicketState.CHECKED_IN, TicketState.CALLED)
#: States in which a ticket is still waiting to be called.
WAITING_STATES = (TicketState.BOOKED, TicketState.CHECKED_IN)

TICKET_WORKFLOW = Workflow(
    states=TicketState,
    initial=TicketState.BOOKED,
    closed_states=(TicketState.SERVED, TicketState.CANCELLED, TicketState.NO_SHOW),
    transitions=(
        Transition(
            "check_in",
            (TicketState.BOOKED,),
            TicketState.CHECKED_IN,
            frozenset({AGENCY_STAFF}),
            label=_("Check in"),
            notifies_owner=False,
        ),
        Transition(
            "call",
            (TicketState.CHECKED_IN,),
            TicketState.CALLED,
            frozenset({AGENCY_STAFF}),
            label=_("Call"),
        ),
        Transition(
            "serve",
            (TicketState.CALLED,),
            TicketState.SERVED,
            frozenset({AGENCY_STAFF}),
            label=_("Mark served"),
            notifies_owner=False,
        ),
        Transition(
            "cancel",
            (TicketState.BOOKED, TicketState.CHECKED_IN),
            TicketState.CANCELLED,
            frozenset({OWNER, AGENCY_STAFF, SYSTEM}),
            label=_("Cancel"),
        ),
        Transition(
            "mark_no_show",
            (TicketState.BOOKED, TicketState.CALLED),
            TicketState.NO_SHOW,
            frozenset({AGENCY_STAFF, SYSTEM}),
            label=_("Mark as no-show"),
        ),
    ),
)

"""States of a civil-registry request and who may move them (the transition table).

Service-level clock (see ``services.request_submit``): it starts on the first submission, with
the type's working days on Disdukcapil's calendar. While staff wait for the citizen's revision the
clock is paused (``ask_revision``) and it resumes with the time that was left when the citizen
resubmits (``resubmit``): the citizen's time does not count against the office, and the office does
not get a fresh full period for a request it already started. Issuing stops the clock.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow import AGENCY_STAFF, OWNER, SYSTEM, Transition, Workflow


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    APPROVED = "approved", _("Approved")
    ISSUED = "issued", _("Issued")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


STAFF = frozenset({AGENCY_STAFF})
CITIZEN = frozenset({OWNER})

WORKFLOW = Workflow(
    states=State,
    initial=State.DRAFT,
    closed_states=(State.COMPLETED, State.REJECTED, State.CANCELLED),
    transitions=(
        Transition("submit", (State.DRAFT,), State.SUBMITTED, CITIZEN, label=_("Submit")),
        Transition(
            "cancel",
            (State.DRAFT, State.SUBMITTED, State.NEEDS_REVISION),
            State.CANCELLED,
            CITIZEN,
            label=_("Cancel"),
        ),
        Transition(
            "start_review", (State.SUBMITTED,), State.IN_REVIEW, STAFF, label=_("Start review")
        ),
        Transition(
            "ask_revision",
            (State.IN_REVIEW,),
            State.NEEDS_REVISION,
            STAFF,
            pauses_clock=True,
            label=_("Ask for a revision"),
        ),
        Transition(
            "resubmit",
            (State.NEEDS_REVISION,),
            State.SUBMITTED,
            CITIZEN,
            resumes_clock=True,
            label=_("Send the revision"),
        ),
        Transition("approve", (State.IN_REVIEW,), State.APPROVED, STAFF, label=_("Approve")),
        Transition("reject", (State.IN_REVIEW,), State.REJECTED, STAFF, label=_("Reject")),
        Transition("issue", (State.APPROVED,), State.ISSUED, STAFF | {SYSTEM}, label=_("Issue")),
        Transition("complete", (State.ISSUED,), State.COMPLETED, STAFF, label=_("Complete")),
    ),
)

"""States of an online application and who may move them (the transition table).

submitted → in review → needs revision → (resubmit) submitted; in review → approved / rejected;
approved → completed (the output is attached or the decision letter generated). The citizen may
cancel before review starts. The service-level clock starts on the first submission with the
definition's working days, pauses while staff wait for a revision and resumes on resubmission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.workflow import AGENCY_STAFF, OWNER, Transition, Workflow


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")
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
            "cancel", (State.DRAFT, State.SUBMITTED), State.CANCELLED, CITIZEN, label=_("Cancel")
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
        Transition("complete", (State.APPROVED,), State.COMPLETED, STAFF, label=_("Complete")),
    ),
)

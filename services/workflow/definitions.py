"""The declarations a module writes in its ``workflow.py``: states, transitions, who may act.

No model is imported here, so a module's ``workflow.py`` can be imported by its ``models.py``::

    from django.db import models
    from django.utils.translation import gettext_lazy as _
    from services.workflow import AGENCY_STAFF, OWNER, SYSTEM, Transition, Workflow

    class RequestState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_REVISION = "needs_revision", _("Needs revision")
        DONE = "done", _("Done")

    REQUEST_WORKFLOW = Workflow(
        states=RequestState,
        initial=RequestState.DRAFT,
        closed_states=(RequestState.DONE,),
        transitions=(
            Transition("submit", (RequestState.DRAFT,), RequestState.SUBMITTED,
                       frozenset({OWNER}), label=_("Submit")),
            Transition("ask_revision", (RequestState.SUBMITTED,), RequestState.NEEDS_REVISION,
                       frozenset({AGENCY_STAFF}), pauses_clock=True, label=_("Ask for revision")),
            ...
        ),
    )

The labels are English source strings through ``gettext_lazy`` (Indonesian comes from the catalog).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

OWNER = "owner"
"""The citizen who owns the object (``obj.get_owner()``)."""
AGENCY_STAFF = "agency_staff"
"""Active staff with an ``AgencyMembership`` in the object's handling agency."""
SYSTEM = "system"
"""The platform itself (``actor=None``): a Celery task, a payment webhook, a timer."""
ACTORS = frozenset({OWNER, AGENCY_STAFF, SYSTEM})


@dataclass(frozen=True)
class Transition:
    """One edge of the table: from any of ``sources`` to ``target``, by one of ``actors``.

    ``staff_roles`` narrows ``agency_staff`` to some ``AgencyMembership.Role`` values (``None``:
    any role in the agency). ``pauses_clock``/``resumes_clock`` stop and restart the object's
    deadline (the clock does not run while the object waits for the citizen). ``notifies_owner``
    sends the owner a ``status_changed`` notification after commit.
    """

    name: str
    sources: tuple[str, ...]
    target: str
    actors: frozenset[str]
    pauses_clock: bool = False
    resumes_clock: bool = False
    label: str = ""
    staff_roles: frozenset[str] | None = None
    notifies_owner: bool = True

    def __post_init__(self):
        if not self.name.isidentifier():
            raise ValueError(f"Transition name {self.name!r} must be an identifier.")
        if not self.sources:
            raise ValueError(f"Transition {self.name!r} has no source state.")
        if not self.actors or not set(self.actors) <= ACTORS:
            raise ValueError(
                f"Transition {self.name!r}: actors must be a non-empty subset of {sorted(ACTORS)}."
            )
        if self.pauses_clock and self.resumes_clock:
            raise ValueError(f"Transition {self.name!r} cannot both pause and resume the clock.")
        if self.staff_roles is not None and AGENCY_STAFF not in self.actors:
            raise ValueError(f"Transition {self.name!r}: staff_roles without agency_staff.")
        # Plain strings, so that a TextChoices member and its value compare and hash alike.
        object.__setattr__(self, "sources", tuple(str(s) for s in self.sources))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "actors", frozenset(self.actors))


@dataclass(frozen=True)
class Workflow:
    """The states (``TextChoices`` with translated labels) and the transition table of a model."""

    states: type[models.TextChoices]
    transitions: tuple[Transition, ...]
    initial: str
    closed_states: tuple[str, ...] = ()
    _by_name: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        values = set(self.states.values)
        object.__setattr__(self, "initial", str(self.initial))
        object.__setattr__(self, "closed_states", tuple(str(s) for s in self.closed_states))
        object.__setattr__(self, "transitions", tuple(self.transitions))
        by_name: dict[str, Transition] = {}
        for transition in self.transitions:
            if transition.name in by_name:
                raise ValueError(f"Two transitions are named {transition.name!r}.")
            unknown = {*transition.sources, transition.target} - values
            if unknown:
                raise ValueError(
                    f"Transition {transition.name!r} uses unknown states {sorted(unknown)}."
                )
            by_name[transition.name] = transition
        if self.initial not in values:
            raise ValueError(f"The initial state {self.initial!r} is not a state.")
        if set(self.closed_states) - values:
            raise ValueError(f"Unknown closed states {sorted(set(self.closed_states) - values)}.")
        object.__setattr__(self, "_by_name", by_name)

    def get(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def label(self, state: str):
        """The (lazy) translated label of ``state``; the raw value if it is not a state."""
        try:
            return self.states(state).label
        except ValueError:
            return state

    def is_open(self, state: str) -> bool:
        return state not in self.closed_states

    def from_state(self, state: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if state in t.sources)

"""Reads of services.workflow, scoped to the person asking.

Who someone is *for an object* is decided here, once, for the transition service, the history
and any UI that offers actions:

* ``owner`` — the object's ``get_owner()``;
* ``agency_staff`` — an active staff account with a membership in ``get_handling_agency()``; the
  owner is never also staff for their own object (nobody decides their own application);
* ``system`` — no person (``actor=None``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import AgencyMembership
from services.workflow.definitions import AGENCY_STAFF, OWNER, SYSTEM, Transition
from services.workflow.models import StatusHistory, WorkflowModel


@dataclass(frozen=True)
class ActorStanding:
    """What ``actor`` is for one object: its roles and, for staff, their membership roles."""

    roles: frozenset[str]
    staff_roles: frozenset[str] = frozenset()

    def may(self, transition: Transition) -> bool:
        allowed = self.roles & transition.actors
        if allowed - {AGENCY_STAFF}:
            return True
        if AGENCY_STAFF in allowed:
            return transition.staff_roles is None or bool(self.staff_roles & transition.staff_roles)
        return False


def actor_standing_for(*, obj: WorkflowModel, actor) -> ActorStanding:
    """Queries: none for the system or the owner, one (memberships) for anyone else."""
    if actor is None:
        return ActorStanding(frozenset({SYSTEM}))
    if not actor.is_active:
        return ActorStanding(frozenset())
    owner = obj.get_owner()
    if owner is not None and owner.pk == actor.pk:
        return ActorStanding(frozenset({OWNER}))
    agency = obj.get_handling_agency()
    if not actor.is_staff or agency is None:
        return ActorStanding(frozenset())
    roles = frozenset(
        AgencyMembership.objects.filter(user=actor, agency=agency).values_list("role", flat=True)
    )
    if not roles:
        return ActorStanding(frozenset())
    return ActorStanding(frozenset({AGENCY_STAFF}), roles)


def allowed_transitions_for(*, obj: WorkflowModel, actor) -> list[Transition]:
    """The transitions ``actor`` may perform on ``obj`` in its current state, in table order."""
    candidates = obj.workflow.from_state(obj.state)
    if not candidates:
        return []
    standing = actor_standing_for(obj=obj, actor=actor)
    return [transition for transition in candidates if standing.may(transition)]


def history_for(*, obj: WorkflowModel, viewer) -> QuerySet[StatusHistory]:
    """The status history of ``obj``, oldest first, as ``viewer`` may see it: staff of the
    handling agency see everything, the owner sees all but internal notes, anyone else nothing."""
    content_type = ContentType.objects.get_for_model(obj)
    rows = (
        StatusHistory.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("actor", "agency")
        .order_by("at", "id")
    )
    standing = actor_standing_for(obj=obj, actor=viewer)
    if AGENCY_STAFF in standing.roles or SYSTEM in standing.roles:
        return rows
    if OWNER in standing.roles:
        return rows.filter(is_internal=False)
    return rows.none()

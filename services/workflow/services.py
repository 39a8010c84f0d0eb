"""Writes of services.workflow: the one way a stateful object changes state.

:func:`transition_perform`, in one transaction:

1. re-reads the object with ``SELECT … FOR UPDATE`` (a concurrent transition waits here, then sees
   the state the first one committed);
2. checks the actor may perform the transition (else 403 ``transition_not_allowed``) and that the
   object is in one of its source states (else 409 ``invalid_transition``) — a refusal changes
   nothing and queues nothing;
3. saves the new state (``update_fields``), appends a :class:`StatusHistory` row, pauses, resumes
   or stops the deadline as the transition says, and updates the owner's activity item;
4. after commit, notifies the owner (``status_changed``).
"""

from __future__ import annotations

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from services.activity import activity_record
from services.notifications import notify
from services.workflow.deadlines import (
    deadline_due_at,
    deadline_pause,
    deadline_resume,
    deadline_stop,
)
from services.workflow.definitions import AGENCY_STAFF, OWNER, SYSTEM
from services.workflow.exceptions import (
    InternalNoteNotAllowed,
    InvalidTransition,
    TransitionNotAllowed,
    UnknownTransition,
)
from services.workflow.models import StatusHistory, WorkflowModel
from services.workflow.selectors import actor_standing_for

NOTE_MAX_LENGTH = 4000


def activity_sync(*, obj: WorkflowModel, due_at=None) -> None:
    """Bring the owner's activity item in line with ``obj`` (its state, label, due time). An
    object without an owner (e.g. a complaint filed without an account) has no feed."""
    owner = obj.get_owner()
    if owner is None:
        return
    app_link, portal_link = obj.get_links()
    activity_record(
        owner=owner,
        obj=obj,
        module=obj.module_slug,
        tracking_number=obj.get_tracking_number(),
        title=obj.get_activity_title(),
        state=obj.state,
        state_label=obj.get_state_label(),
        is_open=obj.workflow.is_open(obj.state),
        due_at=due_at,
        service_code=obj.service_code,
        app_link=app_link,
        portal_link=portal_link,
    )


def _reuse_loaded_relations(*, source, target) -> None:
    """Give the freshly locked row the related objects (owner, agency …) the caller's instance
    already holds, where it points at the same rows: each would otherwise be read again."""
    for field in type(target)._meta.concrete_fields:
        if (
            field.many_to_one
            and field.is_cached(source)
            and getattr(source, field.attname) == getattr(target, field.attname)
        ):
            field.set_cached_value(target, field.get_cached_value(source))


def _role_of(standing, transition) -> str:
    for role in (OWNER, AGENCY_STAFF, SYSTEM):
        if role in standing.roles and role in transition.actors:
            return role
    raise AssertionError("the actor was checked before")  # pragma: no cover


def transition_perform(
    *, obj: WorkflowModel, name: str, actor, note: str = "", is_internal: bool = False
) -> StatusHistory:
    """Perform the transition ``name`` on ``obj`` as ``actor`` (``None``: the system).

    Returns the history row. ``obj`` is updated in place with the new state. Raises
    ``UnknownTransition`` (400), ``InternalNoteNotAllowed`` (400), ``TransitionNotAllowed`` (403)
    or ``InvalidTransition`` (409); see :mod:`services.workflow.exceptions`.
    """
    model = type(obj)
    workflow = model.workflow
    transition = workflow.get(name)
    if transition is None:
        raise UnknownTransition()
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValueError(f"A note is at most {NOTE_MAX_LENGTH} characters (validate it first).")

    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        _reuse_loaded_relations(source=obj, target=locked)
        standing = actor_standing_for(obj=locked, actor=actor)
        if not standing.may(transition):
            raise TransitionNotAllowed()
        role = _role_of(standing, transition)
        if is_internal and role != AGENCY_STAFF:
            raise InternalNoteNotAllowed()
        if locked.state not in transition.sources:
            raise InvalidTransition()

        now = timezone.now()
        from_state = locked.state
        locked.state = transition.target
        locked.state_changed_at = now
        locked.save(update_fields=["state", "state_changed_at"])
        history = StatusHistory.objects.create(
            content_type=ContentType.objects.get_for_model(locked),
            object_id=locked.pk,
            transition=transition.name,
            from_state=from_state,
            to_state=transition.target,
            actor=actor,
            actor_role=role,
            agency=locked.get_handling_agency(),
            note=note,
            is_internal=is_internal,
            at=now,
        )
        if not workflow.is_open(transition.target):
            deadline_stop(obj=locked, now=now)
            due_at = None
        elif transition.pauses_clock:
            deadline_pause(obj=locked, now=now)
            due_at = None
        elif transition.resumes_clock:
            deadline = deadline_resume(obj=locked, now=now)
            due_at = deadline.due_at if deadline is not None else None
        else:
            due_at = deadline_due_at(obj=locked)
        activity_sync(obj=locked, due_at=due_at)
        if transition.notifies_owner and locked.get_owner() is not None:
            # robust: a failing notification is logged; it must not turn a done transition into a
            # 500 that the client would retry into a 409.
            transaction.on_commit(partial(_notify_owner, locked, history), robust=True)

    obj.state = locked.state
    obj.state_changed_at = locked.state_changed_at
    return history


def workflow_start(*, obj: WorkflowModel, actor, note: str = "") -> StatusHistory:
    """Record the creation of ``obj`` in its initial state: the first history row (from ``""``)
    and the owner's activity item. The module calls it in the transaction that creates ``obj``."""
    if obj.state != obj.workflow.initial:
        raise ValueError(f"{obj!r} is not in its workflow's initial state.")
    standing = actor_standing_for(obj=obj, actor=actor)
    role = next((r for r in (OWNER, AGENCY_STAFF, SYSTEM) if r in standing.roles), None)
    if role is None:
        raise TransitionNotAllowed()
    with transaction.atomic():
        history = StatusHistory.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            transition="create",
            from_state="",
            to_state=obj.state,
            actor=actor,
            actor_role=role,
            agency=obj.get_handling_agency(),
            note=(note or "").strip(),
            at=timezone.now(),
        )
        # A module may have started the deadline before this first row: keep its due time.
        from services.workflow.deadlines import deadline_due_at

        activity_sync(obj=obj, due_at=deadline_due_at(obj=obj))
    return history


def _notify_owner(obj: WorkflowModel, history: StatusHistory) -> None:
    """After commit: tell the owner what the new state is. Labels stay lazy translations: the
    notification's templates render them in each language."""
    workflow = obj.workflow
    app_link, portal_link = obj.get_links()
    context = {
        "tracking_number": obj.get_tracking_number(),
        "title": obj.get_activity_title(),
        "state": history.to_state,
        "state_label": workflow.label(history.to_state),
        "from_state": history.from_state,
        "from_state_label": workflow.label(history.from_state),
        # The owner is not quoted their own note; nobody outside the agency sees an internal one.
        "note": "" if history.is_internal or history.actor_role == OWNER else history.note,
        "app_link": app_link,
        "portal_link": portal_link,
    }
    notify(
        recipient=obj.get_owner(),
        event="status_changed",
        key=f"{obj.module_slug}:{obj.uuid}:history:{history.id}",
        context=context,
        obj=obj,
        topic="status",
    )

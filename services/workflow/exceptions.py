"""Error codes of services.workflow (raised as ``ApplicationError`` subclasses; the API's exception
handler renders them in the shared error shape).

| code | status | raised when |
| --- | --- | --- |
| ``unknown_transition`` | 400 | the object's workflow has no transition of that name |
| ``internal_note_not_allowed`` | 400 | someone other than the agency's staff marks a note internal |
| ``transition_not_allowed`` | 403 | the actor may not perform this transition on this object (not its owner, not staff of its handling agency, not in a staff role the transition names, or a person where only the system may act) |
| ``invalid_transition`` | 409 | the object is not in a state the transition starts from — usually because someone else changed it first; nothing was changed |

The actor is checked before the state, so that someone who may not act on an object learns
nothing about its state from the answer.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError


class UnknownTransition(ApplicationError):
    default_detail = _("This action does not exist.")
    default_code = "unknown_transition"


class InternalNoteNotAllowed(ApplicationError):
    default_detail = _("Only staff of the handling agency can write internal notes.")
    default_code = "internal_note_not_allowed"


class TransitionNotAllowed(ApplicationError):
    status_code = status.HTTP_403_FORBIDDEN
    default_detail = _("You are not allowed to perform this action.")
    default_code = "transition_not_allowed"


class InvalidTransition(ConflictError):
    default_detail = _("This action is not possible in the current state.")
    default_code = "invalid_transition"

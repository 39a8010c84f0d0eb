"""Checks a module's services run before a workflow transition.

* :func:`transition_ensure_allowed` refuses (403/409, nothing written) before any other work
  when the actor may not perform the transition now, so that a wrong state or actor is told
  before, say, a list of missing fields.
* :func:`note_clean` trims a note or reason typed by the citizen or staff and refuses one that
  is too long with a 400 on ``note``.
* :class:`NoteRequired` and :class:`ReasonRequired`: the 400s for a revision request without a
  note and a rejection without a reason.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from balikpapan_untuk_warga.api.errors import ApplicationError
from services.workflow import allowed_transitions_for, transition_perform

NOTE_MAX_LENGTH = 2000  # what the modules' APIs and admin forms accept


class NoteRequired(ApplicationError):
    default_detail = gettext_lazy("Write a note that tells the citizen what to fix.")
    default_code = "note_required"


class ReasonRequired(ApplicationError):
    default_detail = gettext_lazy("Give the reason for the rejection.")
    default_code = "reason_required"


def transition_ensure_allowed(*, obj, name: str, actor) -> None:
    """Raise what :func:`transition_perform` would raise when ``actor`` may not do ``name``."""
    if name not in {t.name for t in allowed_transitions_for(obj=obj, actor=actor)}:
        transition_perform(obj=obj, name=name, actor=actor)  # raises; nothing is changed


def note_clean(note: str | None, *, max_length: int = NOTE_MAX_LENGTH) -> str:
    """The note without surrounding white space ('' for none); a 400 on ``note`` if too long."""
    note = (note or "").strip()
    if len(note) > max_length:
        raise serializers.ValidationError(
            {"note": [_("At most %(n)d characters.") % {"n": max_length}]}, code="max_length"
        )
    return note

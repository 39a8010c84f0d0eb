"""The sentences that explain a due-time change to the citizen.

They are rendered when read, in the active language, from the change's reason code and details
(the holidays it names keep both their Indonesian and English names), so a corrected translation
applies to past changes too. Dates read like "Tuesday 14 April, 16:00" (WITA).
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

DUE_FORMAT = "l j F, H:i"


def format_due(value: dt.datetime | str) -> str:
    from services.workflow.calendar import time_zone

    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return date_format(value.astimezone(time_zone()), DUE_FORMAT)


def holiday_names(holidays: list[dict]) -> str:
    """ "Cuti bersama Idul Fitri and Idul Fitri 1447 H" in the active language (each name once)."""
    english = translation.get_language() == "en"
    names: list[str] = []
    for holiday in holidays:
        name = holiday["name_en"] if english else holiday["name_id"]
        if name not in names:
            names.append(name)
    return str(get_text_list(names, _("and")))


def due_change_text(change) -> str:
    reason = change.reason_code
    details = change.details or {}
    holidays = details.get("holidays") or []
    moved_from = details.get("moved_from")
    if reason == "paused":
        return _("Paused while waiting for you: the time left counts again when you answer.")
    due = format_due(change.new_due_at) if change.new_due_at else ""
    if reason == "calendar_changed":
        old = format_due(change.old_due_at) if change.old_due_at else ""
        if holidays and change.new_due_at and change.old_due_at < change.new_due_at:
            return _("Due %(due)s — moved from %(old)s because of %(holidays)s.") % {
                "due": due,
                "old": old,
                "holidays": holiday_names(holidays),
            }
        return _("Due %(due)s — moved from %(old)s because the working calendar changed.") % {
            "due": due,
            "old": old,
        }
    if reason == "resumed":
        if moved_from and holidays:
            return _(
                "You answered; the clock runs again. Due %(due)s — moved from %(moved_from)s "
                "because of %(holidays)s."
            ) % {
                "due": due,
                "moved_from": format_due(moved_from),
                "holidays": holiday_names(holidays),
            }
        return _("You answered; the clock runs again. Due %(due)s.") % {"due": due}
    if moved_from and holidays:
        return _("Due %(due)s — moved from %(moved_from)s because of %(holidays)s.") % {
            "due": due,
            "moved_from": format_due(moved_from),
            "holidays": holiday_names(holidays),
        }
    return _("Due %(due)s.") % {"due": due}

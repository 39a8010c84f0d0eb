"""Texts of the catalog in the reader's language: stored pairs (``name_id``/``name_en``), the fee
and the service-level time.

Every function here works on model instances and on the plain dicts of the cached snapshot alike
(both have the same field names), so that the API, the portal and the cached home screen say the
same thing.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext

LANGUAGES = ("id", "en")


def current_language() -> str:
    """``id`` or ``en``: the active language reduced to one the catalog stores."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return language if language in LANGUAGES else "id"


def _get(obj, name: str):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name)


def localized(obj, field: str, language: str | None = None) -> str:
    """``obj.<field>_<language>``, falling back to Indonesian when the English text is empty."""
    language = language or current_language()
    return _get(obj, f"{field}_{language}") or _get(obj, f"{field}_id") or ""


def format_rupiah(amount: int) -> str:
    """``Rp 10.000`` — the Indonesian way (dots between thousands), in both languages."""
    return "Rp " + f"{amount:,}".replace(",", ".")


def fee_text(obj, language: str | None = None) -> str:
    """What the service costs, in words: "Gratis" for 0, the amount, or the note when it varies."""
    language = language or current_language()
    fee = _get(obj, "fee")
    note = localized(obj, "fee_note", language)
    with translation.override(language):
        if fee is None:
            return note or gettext("Varies")
        amount = gettext("Free") if fee == 0 else format_rupiah(fee)
    return f"{amount} ({note})" if note else amount


def sla_text(obj, language: str | None = None) -> str:
    """``14 hari kerja`` / ``14 working days``; empty when the service has no set time."""
    amount, unit = _get(obj, "sla_amount"), _get(obj, "sla_unit")
    if amount is None or not unit:
        return ""
    with translation.override(language or current_language()):
        if unit == "minutes":
            return ngettext("%(count)d minute", "%(count)d minutes", amount) % {"count": amount}
        if unit == "hours":
            return ngettext("%(count)d hour", "%(count)d hours", amount) % {"count": amount}
        if unit == "working_days":
            return ngettext("%(count)d working day", "%(count)d working days", amount) % {
                "count": amount
            }
        return ngettext("%(count)d day", "%(count)d days", amount) % {"count": amount}


def channel_label(channel: str, language: str | None = None) -> str:
    with translation.override(language or current_language()):
        return {
            "online": gettext("Online in the app"),
            "mpp": gettext("At the MPP Balikpapan counter"),
            "office": gettext("At the agency's office"),
        }[channel]

"""Texts kept in every language of the site: a lazy translation is rendered once per language when
it is stored, and the reader gets the rendering of its own language."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def in_all_languages(value) -> dict[str, str]:
    """``{"id": "…", "en": "…"}``: ``value`` (a string or a lazy translation) rendered in each
    language of the site. A plain string is the same in all of them."""
    rendered = {}
    for code in language_codes():
        with translation.override(code):
            rendered[code] = str(value)
    return rendered


def in_language(texts: dict[str, str], language: str | None = None) -> str:
    """The rendering of ``texts`` for ``language`` (the active one by default), falling back to the
    site's default language, then to any rendering there is."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if not texts:
        return ""
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()))

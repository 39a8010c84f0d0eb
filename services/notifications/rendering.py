"""Message texts from templates, per event and language.

An event ``status_changed`` has six templates, found like any Django template (the project's
``templates/`` or an app's ``templates/``)::

    notifications/status_changed/subject.id.txt   subject.en.txt   the title (one line)
    notifications/status_changed/body.id.txt      body.en.txt      the inbox and email text
    notifications/status_changed/sms.id.txt       sms.en.txt       SMS, WhatsApp and push

They are plain text (no HTML escaping) and rendered with the active language set to theirs, so
lazy translations in the context come out in that language. A missing template is a programming
error: :class:`UnknownNotificationEvent`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation

from services.activity.texts import language_codes

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
PARTS = ("subject", "body", "sms")


class UnknownNotificationEvent(LookupError):
    """notify() was called with an event that has no (complete) set of templates."""


@dataclass(frozen=True)
class RenderedTexts:
    title: dict[str, str]
    body: dict[str, str]
    short_body: dict[str, str]


def check_event_name(event: str) -> None:
    if not isinstance(event, str) or not EVENT_NAME.match(event):
        raise UnknownNotificationEvent(
            f"{event!r} is not an event name (lowercase letters, digits and '_')."
        )


def template_name(event: str, part: str, language: str) -> str:
    return f"notifications/{event}/{part}.{language}.txt"


def render(event: str, part: str, language: str, context: dict) -> str:
    name = template_name(event, part, language)
    try:
        template = get_template(name).template  # the engine's Template, to render unescaped
    except TemplateDoesNotExist:
        raise UnknownNotificationEvent(
            f"Notification event {event!r} has no template {name!r}."
        ) from None
    with translation.override(language):
        text = template.render(Context(context, autoescape=False))
    return text.strip()


def render_event(event: str, context: dict) -> RenderedTexts:
    """Every part of ``event`` in every language of the site."""
    check_event_name(event)
    texts: dict[str, dict[str, str]] = {part: {} for part in PARTS}
    for language in language_codes():
        for part in PARTS:
            texts[part][language] = render(event, part, language, context)
        texts["subject"][language] = " ".join(texts["subject"][language].split())
    return RenderedTexts(title=texts["subject"], body=texts["body"], short_body=texts["sms"])

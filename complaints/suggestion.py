"""Suggest a category from Indonesian free text (WhatsApp, the MPP counter, a citizen who skipped
the category), with a confidence.

Keyword rules, not a trained model: the seeded categories carry short Indonesian stems (see
``complaints/data/categories.py``) that staff can read and edit in the admin, and whose effect is
predictable. A stem counts once when a word of the text starts with it (``lubang`` matches
``lubangnya``), so Indonesian suffixes are covered; prefixes (``ber-``, ``ter-``) are listed as
their own stems where they matter (``berlubang``, ``tergenang``).

Confidence is ``best / (sum of all scores + 1)``: the ``+ 1`` is a prior for "none of these", so
one matched word alone gives 0.5 (a single word such as "rusak" is ambiguous), two matched words of
one category give 0.67, and competing categories lower it. Below
``COMPLAINT_SUGGESTION_THRESHOLD`` (default 0.6) the complaint goes to the command centre's
triage queue instead of straight to an agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Suggestion:
    category_code: str | None
    confidence: float


def threshold() -> float:
    return float(getattr(settings, "COMPLAINT_SUGGESTION_THRESHOLD", 0.6))


def suggest(text: str, keywords_by_code: dict[str, list[str]]) -> Suggestion:
    words = _WORD.findall((text or "").lower())
    scores: dict[str, int] = {}
    for code, stems in keywords_by_code.items():
        score = sum(1 for stem in stems if any(word.startswith(stem) for word in words))
        if score:
            scores[code] = score
    if not scores:
        return Suggestion(None, 0.0)
    best = max(sorted(scores), key=lambda code: scores[code])
    confidence = scores[best] / (sum(scores.values()) + 1)
    return Suggestion(best, round(confidence, 2))

"""At most ``SMS_CODES_PER_PHONE_PER_HOUR`` paid code messages per phone number in any hour.

Every message allauth sends to a phone (a sign-in or verification code, and the "no account uses
this number" / "this number already has an account" notices that stand in for a code) goes
through :meth:`accounts.adapter.AccountAdapter._send_code_sms`, which asks :func:`reserve` first.
Beyond the cap nothing is sent (no provider call) and the request answers 429 with
``Retry-After``: the seconds until the oldest message of the last hour leaves the window.

The window slides: the send times of the last hour are kept in the cache under a hash of the
number (never the number itself), and the read-check-write runs under a short cache lock so that
parallel requests cannot both take the last place.
"""

from __future__ import annotations

import hashlib
import math
import time

from allauth.core.exceptions import ImmediateHttpResponse
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

WINDOW_SECONDS = 3600
LOCK_SECONDS = 5
LOCK_TRIES = 100


def _key(phone: str) -> str:
    return "sms-codes:" + hashlib.sha256(phone.encode()).hexdigest()


def _acquire(lock: str) -> bool:
    for _try in range(LOCK_TRIES):
        if cache.add(lock, 1, LOCK_SECONDS):
            return True
        time.sleep(0.01)
    return False


def reserve(phone: str) -> int | None:
    """Take a place for one message to ``phone``: ``None`` when it may be sent, else the seconds
    to wait. A lock that cannot be had counts as "wait" (never an unbounded send)."""
    key = _key(phone)
    lock = key + ":lock"
    if not _acquire(lock):
        return 1
    try:
        now = time.time()
        sent = [t for t in cache.get(key, []) if t > now - WINDOW_SECONDS]
        if len(sent) >= settings.SMS_CODES_PER_PHONE_PER_HOUR:
            return max(1, math.ceil(min(sent) + WINDOW_SECONDS - now))
        sent.append(now)
        cache.set(key, sent, WINDOW_SECONDS)
        return None
    finally:
        cache.delete(lock)


def too_many(request, wait: int) -> ImmediateHttpResponse:
    """The 429 to raise: allauth headless' error shape under ``/_allauth/``, the API's shape
    under ``/api/``, a plain message elsewhere; ``Retry-After`` on each."""
    message = _("Too many codes were sent to this number. Please try again later.")
    path = getattr(request, "path", "") or ""
    if path.startswith("/_allauth/"):
        response = JsonResponse(
            {"status": 429, "errors": [{"message": message, "code": "too_many_requests"}]},
            status=429,
        )
    elif path.startswith("/api/"):
        response = JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "throttled", "detail": message, "attr": None}],
            },
            status=429,
        )
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(wait)
    return ImmediateHttpResponse(response)

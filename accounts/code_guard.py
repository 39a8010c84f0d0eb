"""One budget of failed code attempts per account and per IP, across every code flow.

allauth counts wrong codes per code (``*_MAX_ATTEMPTS``) but a new code starts a new count, so an
attacker could keep asking for codes and guessing. Every wrong code (login by code, phone
verification, password reset by code, email verification by code) also consumes the
``code_failed`` rate limit, keyed by the account (user, else the email or phone the code went to)
and by IP. Once that budget is spent, a pending code flow is refused with 429, even with the right
code, until the window passes.
"""

from __future__ import annotations

from allauth.account.internal.flows.code_verification import AbstractCodeVerificationProcess
from allauth.core import context, ratelimit

ACTION = "code_failed"


def _key(process: AbstractCodeVerificationProcess) -> str:
    state = process.state
    return str(state.get("user_id") or state.get("email") or state.get("phone") or "").lower()


def _within_budget(process: AbstractCodeVerificationProcess, *, consume: bool) -> bool:
    request = context.request
    if request is None:
        return True
    return ratelimit.consume(request, action=ACTION, key=_key(process), dry_run=not consume)


def install() -> None:
    """Wrap allauth's code verification process once (called from ``AccountsConfig.ready``)."""
    cls = AbstractCodeVerificationProcess
    if getattr(cls, "_buw_code_guard", False):
        return
    original_record = cls.record_invalid_attempt
    original_is_valid = cls.is_valid

    def record_invalid_attempt(self) -> bool:
        _within_budget(self, consume=True)
        return original_record(self)

    def is_valid(self) -> bool:
        if not _within_budget(self, consume=False):
            if context.request.method in ("GET", "HEAD"):
                return False  # listing flows (GET /auth/session): the locked flow is dropped
            raise ratelimit.RateLimited  # a code submitted while locked: 429
        return original_is_valid(self)

    cls.record_invalid_attempt = record_invalid_attempt
    cls.is_valid = is_valid
    cls._buw_code_guard = True

"""Throttles per IP and per user, plus tighter scopes (``auth``, ``lookup``) for sensitive views."""

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class AnonBurstThrottle(AnonRateThrottle):
    scope = "anon"


class UserBurstThrottle(UserRateThrottle):
    scope = "user"


class ScopedThrottle(ScopedRateThrottle):
    """Uses the view's ``throttle_scope`` keyed by user or, for anonymous callers, by IP."""

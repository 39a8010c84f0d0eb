"""Throttles per IP and per user, plus tighter scopes (``auth``, ``lookup``) for sensitive views.

Rates are read from settings at request time (DRF binds them at import), so a deployment or a test
can change them without a restart of the class machinery.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _LiveRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonBurstThrottle(_LiveRates, AnonRateThrottle):
    scope = "anon"


class UserBurstThrottle(_LiveRates, UserRateThrottle):
    scope = "user"


class ScopedThrottle(_LiveRates, ScopedRateThrottle):
    """Uses the view's ``throttle_scope`` keyed by user or, for anonymous callers, by IP."""

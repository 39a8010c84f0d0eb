"""Throttles per IP and per user, plus tighter scopes (``auth``, ``lookup``) for sensitive views.

Rates are read from settings at request time (DRF binds them at import), so a deployment or a test
can change them without a restart of the class machinery.

Counting: a window opens at a client's first request and lasts the rate's period; the requests in
it are counted atomically in the shared cache (``balikpapan_untuk_warga.cache.hit``: one Redis
round trip). DRF's own throttles keep each client's list of request times, read and written back
whole on every request (two round trips, a list as long as the rate, and two workers can both
read the same list and lose a request between them). A refused client is told how long its window
still lasts (``Retry-After``).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from balikpapan_untuk_warga.cache import hit, seconds_left


class _LiveRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        return hit(self.key, self.duration, cache=self.cache) <= self.num_requests

    def wait(self):
        return seconds_left(self.key, self.duration, cache=self.cache)


class AnonBurstThrottle(_LiveRates, AnonRateThrottle):
    scope = "anon"


class UserBurstThrottle(_LiveRates, UserRateThrottle):
    """Signed-in callers only: an anonymous caller is already counted by ``AnonBurstThrottle``
    under the same address (DRF's ``UserRateThrottle`` would count it a second time)."""

    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ScopedThrottle(_LiveRates, ScopedRateThrottle):
    """Uses the view's ``throttle_scope`` keyed by user or, for anonymous callers, by IP."""

    def allow_request(self, request, view):
        # DRF's ScopedRateThrottle learns its scope, and so its rate, from the view only here.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

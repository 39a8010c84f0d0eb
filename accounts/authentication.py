"""DRF authentication with the allauth session token of the `app` client."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from allauth.headless.internal import sessionkit
from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """``X-Session-Token`` from allauth headless; its challenge makes DRF answer 401, not 403."""

    def authenticate_header(self, request) -> str:
        return 'X-Session-Token realm="api"'


class OneReadSessionTokenStrategy(SessionTokenStrategy):
    """allauth's session-token strategy, looking a token up with one read of the session store
    instead of an ``exists`` followed by a load (two database queries, or two Redis round trips
    on ``cached_db``). allauth ships that one-read look-up as ``sessionkit.lookup_session``; a
    missing or expired session comes back as ``None`` in both."""

    def lookup_session(self, session_token: str):
        return sessionkit.lookup_session(session_token)

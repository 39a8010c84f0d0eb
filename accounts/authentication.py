"""DRF authentication with the allauth session token of the `app` client."""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication


class SessionTokenAuthentication(XSessionTokenAuthentication):
    """``X-Session-Token`` from allauth headless; its challenge makes DRF answer 401, not 403."""

    def authenticate_header(self, request) -> str:
        return 'X-Session-Token realm="api"'

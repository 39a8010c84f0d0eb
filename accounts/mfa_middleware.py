"""The Django admin refuses staff whose session is not MFA-satisfied (``accounts.mfa``).

A middleware rather than ``AdminSite.has_permission``: a refused ``has_permission`` sends the
user to the admin's login form, which cannot fix it; this sends them, with an Indonesian
message, to allauth's page that can — activating the authenticator app, or entering its code —
and back to the admin page afterwards. The admin's login and logout stay reachable.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import mfa


@functools.lru_cache(maxsize=32)
def _admin_paths(urlconf, language) -> tuple[str, str, str] | None:
    """The admin's root, login and logout paths, reversed once per URL configuration and
    language rather than three times in every request (a profile of the booking burst put
    this middleware at a tenth of a rejected request's time)."""
    try:
        return reverse("admin:index"), reverse("admin:login"), reverse("admin:logout")
    except NoReverseMatch:
        return None


class StaffAdminMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        paths = _admin_paths(urlconf, translation.get_language())
        if paths is None:  # a URL configuration without the admin (some tests')
            return self.get_response(request)
        admin_root, login, logout = paths
        if request.path.startswith(admin_root) and request.path not in (login, logout):
            step = mfa.missing_step(getattr(request, "user", None), request.session)
            if step:
                return self._redirect(request, step)
        return self.get_response(request)

    @staticmethod
    def _redirect(request: HttpRequest, step: str) -> HttpResponse:
        if step == "setup":
            messages.warning(
                request,
                _(
                    "Staff accounts must use two-factor authentication. Activate an "
                    "authenticator app to open the administration."
                ),
            )
            url = reverse(mfa.SETUP_URL_NAME)
        else:
            messages.warning(
                request,
                _("Enter the code from your authenticator app to open the administration."),
            )
            url = reverse(mfa.VERIFY_URL_NAME)
        next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")

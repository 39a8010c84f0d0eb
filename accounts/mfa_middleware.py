"""The Django admin refuses staff whose session is not MFA-satisfied (``accounts.mfa``).

A middleware rather than ``AdminSite.has_permission``: a refused ``has_permission`` sends the
user to the admin's login form, which cannot fix it; this sends them, with an Indonesian
message, to allauth's page that can — activating the authenticator app, or entering its code —
and back to the admin page afterwards. The admin's login and logout stay reachable.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from accounts import mfa


class StaffAdminMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            admin_root = reverse("admin:index")
        except NoReverseMatch:  # a URL configuration without the admin (some tests')
            return self.get_response(request)
        if request.path.startswith(admin_root) and request.path not in (
            reverse("admin:login"),
            reverse("admin:logout"),
        ):
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

"""Requests to a module that staff switched off get a 503 (API: the shared error shape)."""

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from services import registry
from services.modules import disabled_slugs

_MODULE_PATH = re.compile(r"^/(?:api/v1|layanan)/(?P<slug>[a-z][a-z0-9-]{1,39})/")


class DisabledModuleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = _MODULE_PATH.match(request.path)
        # Only registered modules' paths cost a look-up (cached); /api/v1/me/ and the like do not.
        if match and registry.get(match["slug"]) and match["slug"] in disabled_slugs():
            message = _("This service is switched off for now. Please try again later.")
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "server_error",
                        "errors": [{"code": "module_disabled", "detail": message, "attr": None}],
                    },
                    status=503,
                )
            return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

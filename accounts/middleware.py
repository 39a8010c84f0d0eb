"""Turn allauth's ``RateLimited`` into a 429 wherever a view lets it escape.

allauth's headless signup does not catch ``RateLimited`` raised while sending a phone code (a
second signup with the same number within 30 s); without this, that is a 500.
"""

from allauth.core.exceptions import RateLimited
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _


class RateLimitedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, RateLimited):
            return None
        message = _("Too many attempts. Please wait a moment and try again.")
        if request.path.startswith("/_allauth/"):
            # allauth headless' own error shape
            return JsonResponse(
                {"status": 429, "errors": [{"message": message, "code": "too_many_requests"}]},
                status=429,
            )
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")

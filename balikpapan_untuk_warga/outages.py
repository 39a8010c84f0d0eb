"""A database, cache or broker that is down for a moment answers 503 with ``Retry-After``.

Such an outage is not a bug of the request: a client (the app, a payment gateway, WhatsApp) should
try again shortly, and a 500 would tell it the request itself is broken. Three places turn an
outage into a 503, because an exception can leave Django by three doors:

* :func:`exception_handler` — DRF views (the API), in the shared error shape;
* :class:`OutageMiddleware` — any other view (portal pages, allauth headless, webhooks);
* :func:`server_error` (``handler500``) — an outage raised in a middleware (the session store,
  throttling's cache, the idempotency records).

Nothing half-written is left behind: services write inside ``transaction.atomic``, which rolls
back when the database call fails, and the API's exception handler marks the request's
transaction for rollback like any other error. Tasks are published after the commit by code that
catches a broker outage and keeps a durable row (a ``Delivery``, a ``WebhookDelivery``, a
WhatsApp ``Message``) that a beat sweeper sends later, so an outage at publish time is not a 503.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What "a backing service is down" raises: the database (psycopg and SQLite, wrapped by Django),
#: the Redis cache, and the broker when a task is published.
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
    BrokerOperationalError,
)

CODE = "service_unavailable"


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def _retry_after() -> str:
    return str(settings.OUTAGE_RETRY_AFTER)


def _log(exc: BaseException, path: str) -> None:
    # The class name only: a driver's message can quote a statement and its parameters.
    logger.error("Service unavailable (%s) on %s", type(exc).__name__, path)


def error_body() -> dict:
    return {
        "type": "server_error",
        "errors": [
            {
                "code": CODE,
                "detail": _("The service is briefly unavailable. Please try again shortly."),
                "attr": None,
            }
        ],
    }


def _wants_json(request) -> bool:
    path = request.path_info
    return (
        path.startswith(("/api/", "/_allauth/", "/open311/"))
        or "webhook" in path
        or "application/json" in request.headers.get("Accept", "")
        or request.content_type == "application/json"
    )


def response_for(request) -> HttpResponse:
    """The 503 for ``request``: JSON in the shared error shape for the API and machine clients,
    the Indonesian HTML page for the portal."""
    if _wants_json(request):
        return JsonResponse(error_body(), status=503, headers={"Retry-After": _retry_after()})
    html = loader.get_template("503.html").render({"retry_after": settings.OUTAGE_RETRY_AFTER})
    return HttpResponse(html, status=503, headers={"Retry-After": _retry_after()})


def exception_handler(exc, context):
    """``REST_FRAMEWORK["EXCEPTION_HANDLER"]``: drf-standardized-errors, plus the 503 branch."""
    from drf_standardized_errors.handler import exception_handler as standard_handler
    from rest_framework.response import Response
    from rest_framework.views import set_rollback

    if is_outage(exc):
        set_rollback()
        request = context.get("request")
        _log(exc, getattr(request, "path", "?"))
        return Response(error_body(), status=503, headers={"Retry-After": _retry_after()})
    return standard_handler(exc, context)


class OutageMiddleware:
    """A view outside DRF that hits an outage answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        _log(exception, request.path)
        return response_for(request)


def server_error(request, template_name="500.html"):
    """``handler500``: an outage raised outside a view (a middleware) is a 503 too."""
    from django.views.defaults import server_error as default_server_error

    exc = sys.exc_info()[1]
    if is_outage(exc):
        return response_for(request)
    return default_server_error(request, template_name=template_name)

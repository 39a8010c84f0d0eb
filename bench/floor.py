"""The benchmark's floor: the least a request can cost on this server.

A plain Django view answering a constant JSON object, behind the full middleware stack (sessions,
CSRF, authentication, security headers, CSP, rate-limit and idempotency middleware) but with no
database work, no DRF and no serializer. ``bench/run.py`` reports every scenario's throughput as
a ratio to this one. Routed at ``/api/v1/_floor`` only when ``BENCH_FLOOR`` is on (never in the
OpenAPI schema, never in a normal deployment)."""

from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    return JsonResponse({"ok": True})

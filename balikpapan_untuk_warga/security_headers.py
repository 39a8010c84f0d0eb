"""Content-Security-Policy with exceptions scoped to URL prefixes.

django-csp 4 (``csp.middleware.CSPMiddleware``) builds the header; Django 5.2 has no CSP support of
its own (``django.middleware.csp`` arrives in Django 6.0). django-csp scopes exceptions per view
with decorators; the few pages that need one are third-party views (drf-spectacular's Swagger UI
and Redoc, allauth's OpenID Connect consent form), so the exceptions are listed by path in the
settings instead (``CONTENT_SECURITY_POLICY_PATH_UPDATES`` / ``CONTENT_SECURITY_POLICY_PATH_REPLACES``) and apply to the enforced and the
report-only policy alike. ``docs/security.md`` says why each one exists.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def _for_path(rules: dict[str, dict], path: str) -> dict:
    merged: dict = {}
    for prefix, directives in rules.items():
        if path.startswith(prefix):
            merged.update(directives)
    return merged


class PathScopedCSPMiddleware(CSPMiddleware):
    """django-csp's middleware plus the per-path exceptions of the settings."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        update = _for_path(
            getattr(settings, "CONTENT_SECURITY_POLICY_PATH_UPDATES", {}), request.path_info
        )
        replace = _for_path(
            getattr(settings, "CONTENT_SECURITY_POLICY_PATH_REPLACES", {}), request.path_info
        )
        if update:
            parts.update = {**update, **(parts.update or {})}
        if replace:
            parts.replace = {**replace, **(parts.replace or {})}
        return parts

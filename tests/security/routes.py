"""The URL configuration as the security suite sees it.

``all_routes()`` walks ``django.urls.get_resolver()`` and yields every route with the names of
its URL parameters. ``tests/security/registry.py`` must say, for each of them, what it is:
an object-scoped route (and how to make an object owned by someone else), a public route by
design (with the reason), or a route without an object identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Routes the walk skips as a whole, with the reason (also listed in docs/security.md).
OUT_OF_SCOPE_PREFIXES = {
    "admin/": "Django admin: walked by ModelAdmin instead of by URL, in "
    "tests/security/test_admin_authz.py (every registered model, staff of another agency)",
    "^static/": "static files in DEBUG only; no objects",
}


@dataclass(frozen=True)
class Route:
    pattern: str  # the full route, e.g. "api/v1/documents/<uuid:uuid>/"
    name: str  # "namespace:name" or "" when the route has no name
    params: tuple[str, ...]  # URL parameter names, in order
    view: str  # dotted path of the view, for messages

    def __str__(self) -> str:
        return self.pattern


def _params(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters:
        return tuple(converters)
    return tuple(pattern.regex.groupindex)


def _view_name(callback) -> str:
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    target = cls or callback
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def _walk(patterns, prefix: str, namespace: str | None, params: tuple[str, ...]):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                inner,
                params + _params(entry.pattern),
            )
        elif isinstance(entry, URLPattern):
            name = entry.name or ""
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(
                pattern=prefix + str(entry.pattern),
                name=name,
                params=params + _params(entry.pattern),
                view=_view_name(entry.callback),
            )


def all_routes() -> list[Route]:
    """Every route of the project, minus ``OUT_OF_SCOPE_PREFIXES``, sorted by pattern."""
    routes = {}
    for route in _walk(get_resolver().url_patterns, "", None, ()):
        if any(route.pattern.startswith(p) for p in OUT_OF_SCOPE_PREFIXES):
            continue
        routes.setdefault(route.pattern, route)
    return sorted(routes.values(), key=lambda r: r.pattern)

"""Object-level authorisation, generated from the URL configuration.

For every route that names an object (``registry.OBJECT_ROUTES``), an object owned by citizen A
(or agency X) is requested with GET, POST, PUT, PATCH and DELETE by citizen B and by staff of
agency Y. Each answer must be 404 (405 when the method does not exist there; 403 only where the
registry says why), identical to the answer for an identifier that does not exist (no existence
oracle), and the database must be exactly as before. The owner's GET is checked too, so that a
broken maker cannot make the suite pass vacuously.

Every route of the project must be in the registry: a new route fails ``test_route_is_known``
with the line to add.
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.test import Client, TestCase
from django.urls import reverse

from tests.security import registry
from tests.security.routes import all_routes

ROUTES = all_routes()
METHODS = ("get", "post", "put", "patch", "delete")
# Rows any request may write: the signed-in user's own session bookkeeping (allauth's
# usersessions records last-seen time and IP), never the object under attack.
MAY_CHANGE: set[str] = {"sessions.session", "usersessions.usersession"}


def _hint(route) -> str:
    if not route.params:
        where = f"add {route.pattern!r} to NO_IDENTIFIER"
    else:
        where = (
            f"add {route.pattern!r}: ObjectRoute(make_<thing>) to OBJECT_ROUTES, with a maker "
            f"that creates the object owned by citizen A (w.citizen_a) or agency X and returns "
            f"Made({{{', '.join(repr(p) + ': …' for p in route.params)}}}, owner), "
            f"or, if the object is public by design, {route.pattern!r}: '<why>' to PUBLIC_ROUTES"
        )
    return (
        f"tests/security does not know route {route.pattern!r} (name {route.name or '-'!r}, "
        f"view {route.view}, URL parameters {list(route.params)}). "
        f"In tests/security/registry.py {where}."
    )


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_is_known(route):
    p = route.pattern
    known = (
        p in registry.OBJECT_ROUTES or p in registry.PUBLIC_ROUTES or p in registry.NO_IDENTIFIER
    )
    assert known, _hint(route)
    if p in registry.NO_IDENTIFIER:
        assert not route.params, f"{p!r} takes {list(route.params)}: it is not NO_IDENTIFIER. " + (
            _hint(route)
        )


def test_registry_has_no_stale_entries():
    patterns = {r.pattern for r in ROUTES}
    stale = sorted(
        (set(registry.OBJECT_ROUTES) | set(registry.PUBLIC_ROUTES) | registry.NO_IDENTIFIER)
        - patterns
    )
    assert not stale, f"tests/security/registry.py lists routes that no longer exist: {stale}"


# --- the attack ---------------------------------------------------------------------------------


def snapshot() -> dict[str, list]:
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in MAY_CHANGE or not model._meta.managed:
            continue
        state[label] = list(model._base_manager.order_by("pk").values())
    return state


def changes(before, after) -> list[str]:
    return [label for label in before if before[label] != after.get(label)]


def url_for(pattern: str, kwargs: dict) -> str:
    url = pattern
    for route in ROUTES:
        if route.pattern == pattern:
            break
    resolved = "/" + url
    for name, value in kwargs.items():
        # replace "<conv:name>" with the value
        start = resolved.index(f":{name}>")
        open_ = resolved.rindex("<", 0, start)
        resolved = resolved[:open_] + str(value) + resolved[start + len(name) + 2 :]
    return resolved


def missing(kwargs: dict) -> dict:
    fake = {}
    for key, value in kwargs.items():
        if isinstance(value, uuid.UUID):
            fake[key] = uuid.uuid4()
        elif isinstance(value, int):
            fake[key] = value + 1000
        else:
            fake[key] = "ZZ-NOPE-0000"
    return fake


def request(client: Client, method: str, url: str):
    with TestCase.captureOnCommitCallbacks(execute=True):
        if url.startswith("/api/"):
            return getattr(client, method)(url, data={}, content_type="application/json")
        if method in ("get", "delete"):
            return getattr(client, method)(url)
        return getattr(client, method)(url, data={})


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


OBJECT_PATTERNS = sorted(registry.OBJECT_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", OBJECT_PATTERNS)
def test_someone_elses_object_is_404_and_unchanged(pattern, citizen_a, citizen_b, staff_y):
    spec = registry.OBJECT_ROUTES[pattern]
    world = registry.World(citizen_a, citizen_b, staff_y)
    made = spec.make(world)
    url = url_for(pattern, made.kwargs)
    nowhere = url_for(pattern, missing(made.kwargs))

    if made.owner_sees:
        answer = client_for(made.owner).get(url)
        assert answer.status_code not in (404, 401, 403), (
            f"the owner's GET {url} answered {answer.status_code}: the maker of {pattern!r} "
            "does not make an object its owner can reach"
        )

    failures = []
    attackers = (("citizen", client_for(citizen_b)), ("staff", client_for(staff_y)))
    before = snapshot()  # after the log-ins (they write last_login)
    for kind, client in attackers:
        allowed = {404, 405} | ({403} if kind in spec.forbidden_ok else set())
        for method in METHODS:
            answer = request(client, method, url)
            control = request(client, method, nowhere)
            if answer.status_code not in allowed:
                failures.append(
                    f"{kind} {method.upper()} {url}: {answer.status_code} "
                    f"{answer.content[:200]!r} (allowed {sorted(allowed)})"
                )
            elif answer.status_code != control.status_code:
                failures.append(
                    f"{kind} {method.upper()} {url}: {answer.status_code} but "
                    f"{control.status_code} for an id that does not exist (existence oracle)"
                )
    changed = changes(before, snapshot())
    if changed:
        failures.append(f"the refused requests to {url} changed the rows of {changed}")
    assert not failures, "\n".join(failures)


def test_reverse_still_works_for_named_routes():
    """The walk sees the same URLs Django reverses (guards the pattern arithmetic above)."""
    assert url_for("api/v1/documents/<uuid:uuid>/", {"uuid": uuid.UUID(int=1)}) == reverse(
        "api:document-detail", kwargs={"uuid": uuid.UUID(int=1)}
    )

"""Schemathesis against the app in-process (WSGI), from the committed ``docs/openapi.yaml``.

Every operation is exercised as three identities: anonymous, a citizen, and a staff member
(agency admin). All of schemathesis's checks run (no 5xx, status code documented, response
conforms to the schema, content type, headers, negative data rejected, …). Generation is
deterministic (``derandomize=True``, no example database) and bounded by ``MAX_EXAMPLES``
(env ``BUW_SCHEMATHESIS_EXAMPLES``) so the file runs in a few minutes on 2 cores.

Phases: *explicit* (schema examples), *coverage* (schemathesis's boundary values and
unexpected methods of every parameter, run inside hypothesis's explicit phase), *generate*, and
*stateful*: a state machine per signed-in identity follows the links schemathesis infers from the
schema (a list's ``uuid`` into the detail and its actions, a created object into its actions).

Peers: every 2xx that the citizen (A) or the staff member (agency X) gets for an object of
``registry.OBJECT_ROUTES`` is replayed, as the GET/PATCH/DELETE of that object's detail and its
sub-resources, by a peer: citizen B, and an agency admin of agency Y. Each must answer 404 and
change no row (``peer_check``). The world holds objects of A and of X made by the makers of
``registry.py``, so that lists have something to leak.

Operations are never excluded silently: ``FINDINGS`` lists open findings in modules this suite
may not fix; their tests still run and fail until fixed.
"""

from __future__ import annotations

import os
import re
from importlib import import_module
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from schemathesis.checks import positive_data_acceptance

from accounts.mfa import requires_mfa
from accounts.models import AgencyMembership
from services.models import Agency
from tests.factories import AgencyFactory, StaffFactory, UserFactory, record_mfa_step
from tests.security import registry
from tests.security.conftest import SCHEMATHESIS_CASES
from tests.security.test_object_authz import changes, snapshot

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
MAX_EXAMPLES = int(os.environ.get("BUW_SCHEMATHESIS_EXAMPLES", "8"))
# stateful: scenarios per identity, and steps per scenario
STATEFUL_EXAMPLES = int(os.environ.get("BUW_SCHEMATHESIS_SCENARIOS", "25"))
STATEFUL_STEPS = 6

schema = schemathesis.openapi.from_path(SCHEMA_PATH)
schema.app = get_wsgi_application()
# Pinned, not left to the defaults: coverage runs inside hypothesis's explicit phase; stateful
# builds its links by schemathesis's dependency analysis of the schema.
schema.config.phases.coverage.enabled = True
schema.config.phases.stateful.enabled = True

# operation label ("METHOD /path") -> the open finding (module owned by another helper).
FINDINGS: dict[str, str] = {}  # none open

# The one check not run, for every operation alike (docs/security.md): "schema-valid data is
# accepted" cannot hold for this API, whose 400s are about meaning the schema cannot express
# (a NIK's embedded birth date, a referenced kelurahan or session that must exist, a business
# rule such as "book only inside the booking window"). Its mirror, negative_data_rejection,
# runs: data the schema forbids must be refused.
EXCLUDED_CHECKS = [positive_data_acceptance]


def session_token(user) -> str:
    """An allauth headless ``X-Session-Token`` for ``user`` (the app client's credential)."""
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if requires_mfa(user):  # staff: the session a sign-in with the authenticator code leaves
        record_mfa_step(store, user)
    store.create()
    return store.session_key


def sign(case, headers: dict) -> None:
    """Send ``case`` as the identity: its token is the case's declared credential
    (``sessionToken``), not a generated value, and a generated ``sessionid`` cookie is dropped.
    Schemathesis's ignored_auth then probes it as it should (without it, and with an invalid
    one, a secured operation must answer 401/403) instead of taking the real token for a
    generated one that "should have been refused"."""
    case.headers = {**(case.headers or {}), **headers, "Accept-Language": "en"}
    if "X-Session-Token" in headers:
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != "sessionid"}
        case._has_explicit_auth = True


# --- the peers' view of the schema ----------------------------------------------------------------


def _schema_path(pattern: str) -> str:
    """``api/v1/x/<uuid:uuid>/`` -> ``/api/v1/x/{uuid}/`` (the schema's spelling)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


OPERATIONS = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
# every object route in the schema, so that "/x/{uuid}/" without a detail still has reads
ROUTE_OF = {_schema_path(p): p for p in registry.OBJECT_ROUTES}
OBJECT_PATHS = set(ROUTE_OF)


def _object_base(path: str) -> str | None:
    """The object prefix ``/api/v1/x/{uuid}/`` that ``path`` names, if an object route does."""
    if "{uuid}/" not in path:
        return None
    base = path[: path.index("{uuid}/") + len("{uuid}/")]
    if any(p.startswith(base) for p in OBJECT_PATHS) and base.count("{") == 1:
        return base
    return None


def peer_replays(base: str) -> list[tuple[str, str]]:
    """What a peer sends for an object at ``base``: the reads of it and of its sub-resources
    (without further parameters), and PATCH/DELETE of the detail where the schema has them."""
    sends = [
        (method, path)
        for method, path in OPERATIONS
        if path.startswith(base)
        and path.count("{") == 1
        and path in OBJECT_PATHS
        and (method == "GET" or (path == base and method in ("PATCH", "DELETE")))
    ]
    return sorted(sends)


def _identifiers(case, body) -> list[tuple[str, str]]:
    """(object base, uuid) of the objects a 2xx answer showed its caller."""
    found = []
    base = _object_base(case.path)
    if base is not None:
        found.append((base, str((case.path_parameters or {}).get("uuid"))))
    child = case.path + "{uuid}/"
    if _object_base(child) == child:
        items = []
        if isinstance(body, dict):
            items = [body, *(body.get("results") or [])[:3]]
        elif isinstance(body, list):
            items = body[:3]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("uuid"), str):
                found.append((child, item["uuid"]))
    return found


class Peers:
    """Identity A's object, replayed as its peer B; once per (object route, identity) per test."""

    def __init__(self, kind: str, peer_token: str):
        self.kind = kind
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_X_SESSION_TOKEN=peer_token)
        self.probed: set[str] = set()
        self.replays = 0

    def check(self, case, response) -> None:
        if not 200 <= response.status_code < 300:
            return
        try:
            body = response.json()
        except Exception:
            return
        for base, value in _identifiers(case, body):
            if base in self.probed:
                continue
            self.probed.add(base)
            self._replay(case, base, value)

    def _replay(self, case, base: str, value: str) -> None:
        failures = []
        before = snapshot()
        for method, path in peer_replays(base):
            spec = registry.OBJECT_ROUTES[ROUTE_OF[path]]
            allowed = {404} | ({403} if self.kind in spec.forbidden_ok else set())
            url = path.replace("{uuid}", value)
            answer = getattr(self.client, method.lower())(
                url, data={} if method == "PATCH" else None, content_type="application/json"
            )
            # Django's test client reconnects close_old_connections after each request: detach
            # it again, or the next WSGI call closes the test's connection (PostgreSQL)
            _detach_connection_closing()
            self.replays += 1
            SCHEMATHESIS_CASES["peer replays"] += 1
            if answer.status_code not in allowed:
                failures.append(
                    f"peer of {self.kind} {method} {url}: {answer.status_code} "
                    f"{answer.content[:200]!r} (the owner got it from {case.method} "
                    f"{case.formatted_path}; allowed {sorted(allowed)})"
                )
        changed = changes(before, snapshot())
        if changed:
            failures.append(f"the peer's requests to {base} changed the rows of {changed}")
        assert not failures, "\n".join(failures)


# --- the world ------------------------------------------------------------------------------------


def _detach_connection_closing() -> None:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection at the end of each request (Django's test
    client switches that off; schemathesis's WSGI client does not): on PostgreSQL that would
    close the test's transaction under it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    _detach_connection_closing()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CITIZEN_OBJECTS = (
    registry.make_complaint,
    registry.make_document,
    registry.make_device,
    registry.make_health_ticket,
    registry.make_bill,
    registry.make_civil_request,
    registry.make_application,
    registry.make_notification,
    registry.make_delegation,
    registry.make_receipt,
)


def build_world(kind: str, objects: bool = True) -> tuple[dict, Peers | None]:
    """Reference data as production has it, objects of citizen A and of agency X, and the
    identity's headers with its peer."""
    from tests.complaints.conftest import seed_all

    # agencies, kelurahan, complaint categories, boundary
    seed_all()
    if kind == "anonymous":
        return {}, None
    citizen_a = UserFactory(full_name="Siti Rahmawati", nik="6471054107990042")
    citizen_b = UserFactory(full_name="Budi Calo", nik="6471051508900001")
    agency_y = AgencyFactory(code="opd-lain", name="Dinas Lain", short_name="DL")
    staff_y = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=agency_y)
    world = registry.World(citizen_a, citizen_b, staff_y)
    for make in CITIZEN_OBJECTS if objects else ():
        make(world)
    if kind == "citizen":
        return {"X-Session-Token": session_token(citizen_a)}, Peers(kind, session_token(citizen_b))
    # agency X: the health office (its sessions and tickets) and the complaint's handler
    staff_x = StaffFactory(
        role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=Agency.objects.get(code="dkk")
    )
    AgencyMembership.objects.create(
        user=staff_x,
        agency=registry._complaint(world).agency,
        role=AgencyMembership.Role.AGENCY_ADMIN,
    )
    return {"X-Session-Token": session_token(staff_x)}, Peers("staff", session_token(staff_y))


@pytest.fixture
def no_throttling(settings):
    # schemathesis sends more than a person would in a minute
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}


@pytest.fixture(params=["anonymous", "citizen", "staff"])
def identity(request, db, no_throttling):
    # The objects matter where an answer can show them (reads); a generated write names random
    # ids, so its test skips making them.
    return build_world(request.param, objects="[GET " in request.node.name)


# --- explicit, coverage and generate phases ---------------------------------------------------------


@schema.parametrize()
@hsettings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api(case, identity):
    headers, peers = identity
    label = f"{case.method.upper()} {case.path}"
    finding = FINDINGS.get(label)
    SCHEMATHESIS_CASES[case.meta.phase.name.value if case.meta else "explicit"] += 1
    try:
        sign(case, headers)
        response = case.call()
        case.validate_response(response, excluded_checks=EXCLUDED_CHECKS)
        if peers is not None:
            peers.check(case, response)
    except Exception as exc:
        if finding:
            raise AssertionError(f"open finding for {label}: {finding}") from exc
        raise


# --- stateful phase ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["citizen", "staff"])
def test_stateful(kind, db, no_throttling):
    """Scenarios along the inferred links, as citizen A and as staff of agency X; every object
    they reach is replayed by their peer."""
    headers, peers = build_world(kind)

    class Machine(schema.as_state_machine()):
        # Each scenario runs in a savepoint rolled back at its end: the next one starts from the
        # same rows, so hypothesis sees the same choices for the same prefix (an object left by
        # an earlier scenario changed which links were open: FlakyStrategyDefinition).
        def setup(self):
            self._scenario = transaction.atomic()
            self._scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)

        def before_call(self, case):
            sign(case, headers)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            SCHEMATHESIS_CASES["stateful"] += 1
            # as in test_api: the credentials are the caller's, not part of the generated case
            # (handed to the checks, schemathesis would take the token for a generated one)
            case.validate_response(
                response, excluded_checks=EXCLUDED_CHECKS, recorder=self.recorder
            )
            peers.check(case, response)

    Machine.run(
        settings=hsettings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )

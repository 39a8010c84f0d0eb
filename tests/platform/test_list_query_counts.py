"""Every list endpoint answers with a constant number of queries: no N+1 (issue 10).

The list operations are read from the OpenAPI schema (``docs/openapi.yaml``, kept equal to the
code by the schema test): every ``GET`` whose answer is an array or a page of ``results``, plus
Open311's ``requests.json`` (outside the schema). For each one, a case below creates 1, then 10,
then 50 rows the caller sees, and the test asserts the query count of the request is the same
each time and at most ``MAX_QUERIES``. A list operation without a case fails with the line to
add; one whose rows come from code, not the database, is listed in ``NOT_ROW_BACKED`` with the
reason and is only checked against the ceiling.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AgencyMembership
from tests.factories import AgencyFactory, StaffFactory, UserFactory, mark_mfa_passed

pytestmark = pytest.mark.django_db

MAX_QUERIES = 10
# What every signed-in request costs before any view runs (the session, the user, allauth's
# session tracking with its savepoint and update, the module switches), measured per client on
# BASELINE_URL — a list whose rows are code — and not counted against MAX_QUERIES.
BASELINE_URL = "/api/v1/pencatatan-sipil/types/"
SIZES = (1, 10, 50)
SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
_serial = itertools.count(1)


def list_operations() -> dict[str, str]:
    """``{operationId: path}`` of the schema's GET operations that answer a list."""
    schema = yaml.safe_load(SCHEMA.read_text(encoding="utf-8"))
    components = schema["components"]["schemas"]
    found = {}
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get:
            continue
        content = get["responses"].get("200", {}).get("content", {})
        for media in content.values():
            body = media.get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            is_page = ref and "results" in components[ref].get("properties", {})
            if body.get("type") == "array" or is_page:
                found[get["operationId"]] = path
                break
    return found


# ---------------------------------------------------------------------------------------------
# Cases: ``setup()`` returns a state; ``add(state, k)`` makes k more rows the caller sees;
# ``request(state)`` returns the signed-in client and the URL.
# ---------------------------------------------------------------------------------------------


@dataclass
class Case:
    setup: Callable[[], dict]
    add: Callable[[dict, int], None]
    url: Callable[[dict], str]


def signed_in(user, *, staff=False) -> Client:
    client = Client()
    client.force_login(user)
    if staff:
        mark_mfa_passed(client, user)
    return client


def citizen_state() -> dict:
    user = UserFactory()
    return {"user": user, "client": signed_in(user)}


def staff_state(agency_code: str, role=AgencyMembership.Role.COUNTER_OFFICER) -> dict:
    from services.models import Agency

    agency = Agency.objects.filter(code=agency_code).first() or AgencyFactory(code=agency_code)
    user = StaffFactory(role=role, role__agency=agency)
    return {"user": user, "agency": agency, "client": signed_in(user, staff=True)}


def anonymous_state() -> dict:
    return {"client": Client()}


# --- platform ----------------------------------------------------------------------------------


def add_activity(state, k):
    from django.contrib.contenttypes.models import ContentType

    from services.activity.models import ActivityItem

    helper = state.setdefault("helper", UserFactory())
    ct = ContentType.objects.get_for_model(ActivityItem)
    for _ in range(k):
        n = next(_serial)
        ActivityItem.objects.create(
            owner=state["user"],
            acted_by=helper if n % 2 else None,  # half done on the owner's behalf
            content_type=ct,
            object_id=str(n),
            module="pencatatan-sipil",
            tracking_number=f"DUK-2026-{n:06d}",
            title={"id": "Akta", "en": "Certificate"},
            state="submitted",
            state_label={"id": "Diajukan", "en": "Submitted"},
            is_open=True,
        )


def _feed_page_after_a_cursor(state) -> str:
    """The feed from a cursor (a position after every row, so that all rows qualify), filtered:
    the query of every page after the first."""
    import base64
    from urllib.parse import urlencode

    position = urlencode({"p": "2100-01-01 00:00:00+00:00"})
    cursor = base64.b64encode(position.encode()).decode()
    return f"/api/v1/activity/?is_open=true&{urlencode({'cursor': cursor})}"


def add_delegation(state, k):
    from tests.factories import DelegationFactory

    for _ in range(k):
        DelegationFactory(grantor=state["user"])


def add_proxy_action(state, k):
    from accounts.models import ProxyAction

    for _ in range(k):
        ProxyAction.objects.create(
            actor=state["user"],
            subject_user=UserFactory(),
            basis=ProxyAction.Basis.choices[0][0],
            service_code="akta_kelahiran",
            description="Mengajukan akta kelahiran",
        )


def add_notification(state, k):
    from services.notifications.models import Notification

    for _ in range(k):
        Notification.objects.create(
            recipient=state["user"],
            event="test",
            key=f"count-{next(_serial)}",
            topic="status",
            title={"id": "Judul", "en": "Title"},
            body={"id": "Isi", "en": "Body"},
            short_body={"id": "Isi", "en": "Body"},
        )


def add_access_log(state, k):
    from accounts.models import AccessLogEntry

    staff = state.setdefault("staff", StaffFactory())
    agency = state.setdefault("agency", AgencyFactory())
    for _ in range(k):
        AccessLogEntry.objects.create(
            staff=staff,
            staff_name=staff.full_name,
            agency=agency,
            subject=state["user"],
            object_type="complaint",
            object_ref=str(next(_serial)),
            reason_kind=AccessLogEntry.ReasonKind.choices[0][0],
            reason="Menangani pengaduan",
            channel=AccessLogEntry.Channel.choices[0][0],
        )


def add_export(state, k):
    from privacy.models import ExportRequest

    for _ in range(k):
        ExportRequest.objects.create(user=state["user"], state=ExportRequest.State.READY)


def add_correction(state, k):
    from privacy.models import CorrectionRequest

    agency = state.setdefault("agency", AgencyFactory(code="disdukcapil"))
    for _ in range(k):
        CorrectionRequest.objects.create(
            user=state["user"],
            agency=agency,
            field=CorrectionRequest.Field.FULL_NAME,
            requested_value="Siti Rahmawati",
            reason="Salah ketik",
            due_at=timezone.now() + dt.timedelta(days=3),
        )


# --- catalog -------------------------------------------------------------------------------------


def catalog_state() -> dict:
    from services.catalog.models import Category

    state = anonymous_state()
    state["agency"] = AgencyFactory()
    state["category"] = Category.objects.create(slug="uji", name_id="Uji", name_en="Test")
    return state


def _service(state, **values):
    from services.catalog.models import Service, ServiceRequirement

    n = next(_serial)
    service = Service.objects.create(
        code=f"layanan_{n}",
        slug=f"layanan-{n}",
        agency=state["agency"],
        category=values.pop("category", state["category"]),
        name_id=f"Layanan {n}",
        name_en=f"Service {n}",
        description_id="-",
        description_en="-",
        at_office=True,
        **values,
    )
    ServiceRequirement.objects.create(service=service, position=1, text_id="KTP", text_en="ID")
    return service


def add_catalog_category(state, k):
    from services.catalog.models import Category

    for _ in range(k):
        n = next(_serial)
        category = Category.objects.create(slug=f"kat-{n}", name_id=f"K{n}", name_en=f"C{n}")
        _service(state, category=category)


def add_catalog_service(state, k):
    for _ in range(k):
        _service(state)


def add_life_event(state, k):
    from services.catalog.models import LifeEvent, LifeEventStep

    for _ in range(k):
        n = next(_serial)
        event = LifeEvent.objects.create(
            slug=f"peristiwa-{n}",
            name_id=f"Peristiwa {n}",
            name_en=f"Event {n}",
            description_id="-",
            description_en="-",
        )
        for position in (1, 2):
            LifeEventStep.objects.create(
                life_event=event, position=position, service=_service(state)
            )


# --- health --------------------------------------------------------------------------------------


def health_state(*, staff=False) -> dict:
    from tests.health.factories import ServicePointFactory

    dkk = AgencyFactory(code="dkk", name="Dinas Kesehatan", short_name="DKK")
    state = staff_state("dkk") if staff else citizen_state()
    state["point"] = ServicePointFactory(facility__agency=dkk, agency=dkk)
    return state


def add_facility(state, k):
    from tests.health.factories import FacilityFactory, ServicePointFactory

    for _ in range(k):
        ServicePointFactory(facility=FacilityFactory(agency=state["point"].agency))


def _session(state, *, today=False):
    from tests.health.factories import SessionFactory

    n = state["sessions"] = state.get("sessions", 0) + 1  # minutes apart, on the same day
    if today:  # today's sessions (the staff lists), whatever the hour the test runs
        from health.selectors import today as local_today
        from services.workflow.calendar import time_zone

        midnight = dt.datetime.combine(local_today(), dt.time(), tzinfo=time_zone())
        starts_at = midnight + dt.timedelta(hours=1, minutes=n)
    else:
        starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(
            hours=2, minutes=n
        )
    return SessionFactory(service_point=state["point"], starts_at=starts_at)


def add_session(state, k):
    for _ in range(k):
        _session(state)


def add_staff_session(state, k):
    # today's sessions: start within the next minutes, before midnight WITA if possible
    for _ in range(k):
        _session(state, today=True)


def _ticket(session, owner, number=None):
    from health.models import Ticket

    number = number or session.last_number + 1
    session.last_number = number
    session.taken_count = number
    session.save(update_fields=["last_number", "taken_count"])
    return Ticket.objects.create(
        session=session,
        number=number,
        code=f"T-{session.pk}-{number}-{next(_serial)}",
        owner=owner,
        patient_name=owner.full_name,
        patient_key=f"u:{owner.pk}:{next(_serial)}",
        payer="bpjs",
        state="booked",
        booked_at=timezone.now(),
    )


def add_own_ticket(state, k):
    for _ in range(k):
        _ticket(_session(state), state["user"])


def staff_session_tickets_state() -> dict:
    state = health_state(staff=True)
    state["session"] = _session(state, today=True)
    state["session"].quota = 100
    state["session"].save(update_fields=["quota"])
    return state


def add_session_ticket(state, k):
    for _ in range(k):
        _ticket(state["session"], UserFactory(full_name="Pasien Uji"))


# --- payments ------------------------------------------------------------------------------------


def add_bill(state, k):
    from tests.payments.factories import linked_bill

    for _ in range(k):
        linked_bill(state["user"])


def add_payment(state, k):
    from tests.payments.factories import midtrans_payment

    for _ in range(k):
        midtrans_payment(state["user"], order_id=f"PAY-2026-{next(_serial):06d}")


def add_property(state, k):
    from tests.payments.factories import PropertyLinkFactory

    for _ in range(k):
        PropertyLinkFactory(user=state["user"])


# --- civil registry ------------------------------------------------------------------------------


def civil_state() -> dict:
    from tests.civil_registry.conftest import NIK_SITI

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    user = UserFactory(nik=NIK_SITI)
    return {"user": user, "client": signed_in(user)}


def _civil_request(owner):
    from civil_registry import services
    from tests.civil_registry.conftest import BIRTH

    return services.request_create(actor=owner, request_type="akta_kelahiran", subject_data=BIRTH)


def add_civil_request(state, k):
    for _ in range(k):
        _civil_request(state["user"])


def _history(obj, k):
    from django.contrib.contenttypes.models import ContentType

    from services.workflow.models import StatusHistory

    ct = ContentType.objects.get_for_model(obj)
    for _ in range(k):
        StatusHistory.objects.create(
            content_type=ct,
            object_id=obj.pk,
            transition="note",
            from_state=obj.state,
            to_state=obj.state,
            actor=UserFactory(),
            actor_role="agency_staff",
            note="Catatan",
        )


def civil_history_state() -> dict:
    state = civil_state()
    state["object"] = _civil_request(state["user"])
    return state


# --- complaints ----------------------------------------------------------------------------------


def complaints_state(kind="citizen") -> dict:
    from tests.complaints.conftest import seed_all

    seed_all()
    if kind == "citizen":
        return citizen_state()
    if kind == "staff":
        return staff_state("dpu")
    return anonymous_state()


def _complaint(reporter=None, **values):
    from complaints.models import Category, Complaint

    category = Category.objects.get(code="jalan_rusak")
    n = next(_serial)
    values.setdefault("latitude", Decimal("-1.265000"))
    values.setdefault("longitude", Decimal("116.831000"))
    return Complaint.objects.create(
        tracking_number=f"ADU-2026-{n:06d}",
        reporter=reporter or UserFactory(),
        channel="app",
        text="Jalan berlubang",
        category=category,
        agency=category.agency,
        state="assigned",
        **values,
    )


def add_own_complaint(state, k):
    for _ in range(k):
        _complaint(state["user"])


def add_public_complaint(state, k):
    for _ in range(k):
        _complaint()


def complaint_notes_state() -> dict:
    state = complaints_state("staff")
    state["complaint"] = _complaint()
    return state


def add_note(state, k):
    from complaints.models import InternalNote

    for _ in range(k):
        InternalNote.objects.create(
            complaint=state["complaint"], author=UserFactory(), agency=state["agency"], text="x"
        )


def add_complaint_category(state, k):
    from complaints.models import Category
    from services.models import Agency

    agency = Agency.objects.get(code="dpu")
    for _ in range(k):
        n = next(_serial)
        Category.objects.create(
            code=f"uji_{n}",
            name_id=f"Uji {n}",
            name_en=f"Test {n}",
            agency=agency,
            response_hours=24,
            resolution_days=5,
        )


def add_outside_body(state, k):
    from complaints.models import OutsideBody

    for _ in range(k):
        n = next(_serial)
        OutsideBody.objects.create(code=f"luar-{n}", name=f"Instansi {n}", short_name=f"I{n}")


# --- applications --------------------------------------------------------------------------------


def applications_state() -> dict:
    from services.catalog.models import Category
    from tests.factories import KelurahanFactory

    KelurahanFactory()
    state = citizen_state()
    state["agency"] = AgencyFactory(code="dpmptsp", name="DPMPTSP", short_name="DPMPTSP")
    state["category"] = Category.objects.create(
        slug="perizinan", name_id="Perizinan", name_en="Permits"
    )
    return state


def _form(state):
    from tests.applications.conftest import make_form

    return make_form(state["agency"], state["category"], code=f"izin_{next(_serial)}")


def add_application(state, k):
    from tests.applications.conftest import filed

    form = state.get("form") or state.setdefault("form", _form(state))
    for _ in range(k):
        filed(state["user"], form, submit=False)


def application_history_state() -> dict:
    from tests.applications.conftest import filed

    state = applications_state()
    state["object"] = filed(state["user"], _form(state), submit=False)
    return state


def add_form(state, k):
    for _ in range(k):
        _form(state)


# ---------------------------------------------------------------------------------------------

NEAR = "latitude=-1.265&longitude=116.831"

CASES: dict[str, Case] = {
    "activity_list": Case(citizen_state, add_activity, lambda s: "/api/v1/activity/"),
    "catalog_categories_list": Case(
        catalog_state, add_catalog_category, lambda s: "/api/v1/catalog/categories/"
    ),
    "catalog_life_events_list": Case(
        catalog_state, add_life_event, lambda s: "/api/v1/catalog/life-events/"
    ),
    "catalog_services_list": Case(
        catalog_state, add_catalog_service, lambda s: "/api/v1/catalog/services/"
    ),
    # The same operations as the app uses them most: the catalog searched (the services are all
    # "Layanan n") and filtered, the feed from a cursor and filtered.
    "catalog_services_list?q": Case(
        catalog_state,
        add_catalog_service,
        lambda s: "/api/v1/catalog/services/?q=layanan&channel=office&limit=50",
    ),
    "activity_list?cursor": Case(citizen_state, add_activity, _feed_page_after_a_cursor),
    "health_facilities_list": Case(
        health_state, add_facility, lambda s: "/api/v1/kesehatan/facilities/"
    ),
    "health_sessions_list": Case(
        health_state, add_session, lambda s: "/api/v1/kesehatan/sessions/"
    ),
    "health_staff_sessions_list": Case(
        lambda: health_state(staff=True),
        add_staff_session,
        lambda s: "/api/v1/kesehatan/staff/sessions/",
    ),
    "health_staff_session_tickets": Case(
        staff_session_tickets_state,
        add_session_ticket,
        lambda s: f"/api/v1/kesehatan/staff/sessions/{s['session'].uuid}/tickets/",
    ),
    "health_staff_tickets_search": Case(
        staff_session_tickets_state,
        add_session_ticket,
        lambda s: "/api/v1/kesehatan/staff/tickets/?q=Pasien",
    ),
    "health_tickets_list": Case(
        health_state, add_own_ticket, lambda s: "/api/v1/kesehatan/tickets/"
    ),
    "me_delegations_list": Case(citizen_state, add_delegation, lambda s: "/api/v1/me/delegations/"),
    "me_on_behalf_list": Case(citizen_state, add_proxy_action, lambda s: "/api/v1/me/on-behalf/"),
    "me_access_log_list": Case(citizen_state, add_access_log, lambda s: "/api/v1/me/access-log/"),
    "privacy_exports_list": Case(
        citizen_state, add_export, lambda s: "/api/v1/me/privacy/exports/"
    ),
    "privacy_corrections_list": Case(
        citizen_state, add_correction, lambda s: "/api/v1/me/privacy/corrections/"
    ),
    "notifications_list": Case(citizen_state, add_notification, lambda s: "/api/v1/notifications/"),
    "payments_bills_list": Case(citizen_state, add_bill, lambda s: "/api/v1/pembayaran/bills/"),
    "payments_payments_list": Case(
        citizen_state, add_payment, lambda s: "/api/v1/pembayaran/payments/"
    ),
    "payments_properties_list": Case(
        citizen_state, add_property, lambda s: "/api/v1/pembayaran/properties/"
    ),
    "civil_registry_requests_list": Case(
        civil_state, add_civil_request, lambda s: "/api/v1/pencatatan-sipil/requests/"
    ),
    "civil_registry_requests_history": Case(
        civil_history_state,
        lambda s, k: _history(s["object"], k),
        lambda s: f"/api/v1/pencatatan-sipil/requests/{s['object'].uuid}/history/",
    ),
    "complaints_categories_list": Case(
        lambda: complaints_state("anonymous"),
        add_complaint_category,
        lambda s: "/api/v1/pengaduan/categories/",
    ),
    "complaints_list": Case(
        complaints_state, add_own_complaint, lambda s: "/api/v1/pengaduan/complaints/"
    ),
    "complaints_notes_list": Case(
        complaint_notes_state,
        add_note,
        lambda s: f"/api/v1/pengaduan/complaints/{s['complaint'].uuid}/notes/",
    ),
    "complaints_nearby_list": Case(
        lambda: complaints_state("anonymous"),
        add_public_complaint,
        lambda s: f"/api/v1/pengaduan/complaints/nearby/?{NEAR}",
    ),
    "complaints_outside_bodies_list": Case(
        lambda: complaints_state("anonymous"),
        add_outside_body,
        lambda s: "/api/v1/pengaduan/outside-bodies/",
    ),
    "complaints_public_list": Case(
        lambda: complaints_state("anonymous"),
        add_public_complaint,
        lambda s: "/api/v1/pengaduan/public/complaints/",
    ),
    "complaints_public_export": Case(
        lambda: complaints_state("anonymous"),
        add_public_complaint,
        lambda s: "/api/v1/pengaduan/public/export/?format=json",
    ),
    "open311_requests": Case(
        lambda: complaints_state("anonymous"),
        add_public_complaint,
        lambda s: "/open311/v2/requests.json",
    ),
    "applications_list": Case(
        applications_state, add_application, lambda s: "/api/v1/permohonan/applications/"
    ),
    "applications_history": Case(
        application_history_state,
        lambda s, k: _history(s["object"], k),
        lambda s: f"/api/v1/permohonan/applications/{s['object'].uuid}/history/",
    ),
    "applications_forms_list": Case(
        applications_state, add_form, lambda s: "/api/v1/permohonan/forms/"
    ),
}

NOT_ROW_BACKED = {
    "consent_texts_list": (
        "/api/v1/consent-texts/",
        "the consent texts are code (accounts.consent.TEXTS), not rows",
    ),
    "civil_registry_types_list": (
        "/api/v1/pencatatan-sipil/types/",
        "the request types are code (civil_registry.types.REQUEST_TYPES), not rows",
    ),
    "receipts_public_keys": (
        "/api/v1/receipts/keys/",
        "the signing keys come from settings (RECEIPT_SIGNING_KEYS), not rows",
    ),
}
# Outside the OpenAPI schema, or a second case of a listed operation (``operation?variant``).
EXTRA_OPERATIONS = {"open311_requests", "catalog_services_list?q", "activity_list?cursor"}


def test_every_list_operation_has_a_case():
    missing = sorted(set(list_operations()) - set(CASES) - set(NOT_ROW_BACKED))
    assert not missing, (
        "List operations without a query-count case in tests/platform/test_list_query_counts.py "
        f"(add a Case that creates rows the caller sees, or a NOT_ROW_BACKED reason): {missing}"
    )
    stale = sorted(set(CASES) - set(list_operations()) - EXTRA_OPERATIONS)
    assert not stale, f"Cases for operations that are no longer list operations: {stale}"


def _count(client, url) -> tuple[int, int, list[str]]:
    status, count, queries, _items = _request(client, url)
    return status, count, queries


def _request(client, url) -> tuple[int, int, list[str], int]:
    """Status, query count, the queries, and how many items the answer lists."""
    cache.clear()  # cached answers would hide the queries
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, secure=True, HTTP_HOST="localhost")
    items = 0
    if response.status_code == 200 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        body = response.json()
        items = len(body["results"] if isinstance(body, dict) else body)
    queries = [q["sql"] for q in captured.captured_queries]
    return response.status_code, len(captured), queries, items


@pytest.mark.parametrize("operation", sorted(CASES))
def test_list_query_count_is_constant(operation):
    case = CASES[operation]
    state = case.setup()
    counts = {}
    made = 0
    _count(state["client"], BASELINE_URL)  # the first request of a session does more
    baseline = _count(state["client"], BASELINE_URL)[1]
    for size in SIZES:
        case.add(state, size - made)
        made = size
        if size == SIZES[0]:  # warm-up: first-request work (session, caches) is not per row
            _count(state["client"], case.url(state))
        status, count, queries, items = _request(state["client"], case.url(state))
        assert status == 200, f"{operation}: HTTP {status} at {size} rows"
        # the rows made are in the answer (a page holds at least 10)
        assert items >= min(size, 10), f"{operation}: {items} items listed of {size} made"
        counts[size] = (count, queries)
    numbers = {size: c for size, (c, _q) in counts.items()}
    detail = "\n".join(counts[SIZES[-1]][1])
    assert len(set(numbers.values())) == 1, (
        f"{operation}: N+1, queries per size {numbers}\n{detail}"
    )
    view_queries = numbers[SIZES[-1]] - baseline
    assert view_queries <= MAX_QUERIES, (
        f"{operation}: {numbers} queries, {baseline} of them before the view\n{detail}"
    )


@pytest.mark.parametrize("operation", sorted(NOT_ROW_BACKED))
def test_fixed_lists_stay_under_the_ceiling(operation):
    url, _reason = NOT_ROW_BACKED[operation]
    state = citizen_state()
    _count(state["client"], BASELINE_URL)
    baseline = _count(state["client"], BASELINE_URL)[1]
    status, count, queries = _count(state["client"], url)
    assert status == 200, f"{operation}: HTTP {status}"
    assert count - baseline <= MAX_QUERIES, f"{operation}: {count} queries\n" + "\n".join(queries)

"""Object-level authorisation in the Django admin, for every registered ``ModelAdmin``.

``routes.py`` leaves ``admin/`` out of the URL walk; this file covers it by walking
``admin.site._registry`` instead. For every model, an object owned by agency X (or by citizen A)
is requested by an agency admin of agency Y (``is_staff``, the agency-admin role, two-factor
step passed), through the changelist, change, delete and history views:

* the changelist does not list it (or the model is refused: 403);
* change, delete and history answer as for an identifier that does not exist: Django's admin
  redirects to the admin index with "… doesn't exist" (302) for an object outside
  ``get_queryset``, or refuses with 403 where the role holds no permission on the model. Either
  is "not visible"; what is required is that the object's answer equals the answer for a missing
  id (no existence oracle) and is one of those;
* POSTs to change and delete change no row (a snapshot of every table, as in
  ``test_object_authz.py``).

Guards against a vacuous pass: the maker must find the row it made (``_first``), and staff of
agency Y must open the admin index (200), i.e. the two-factor gate and ``is_staff`` let them in.

A model in neither ``ADMIN_OBJECTS`` nor ``ADMIN_REFUSED`` fails ``test_model_admin_is_known``
with the line to add.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client, TestCase
from django.urls import reverse

from tests.security import registry
from tests.security.test_object_authz import changes, snapshot


@dataclass
class AdminObject:
    """How to make an object of the model owned by citizen A or agency X (``make``), and why
    staff of agency Y must not reach it."""

    make: Callable[[registry.World], models.Model]
    why: str = "scoped to the owner's agency by the ModelAdmin's get_queryset"


def _first(label: str, **lookup):
    """The row of ``label`` matching ``lookup`` that the world made (the maker's own check)."""
    model = apps.get_model(label)
    row = model._base_manager.filter(**lookup).order_by("pk").first()
    assert row is not None, f"the world made no {label} with {lookup}"
    return row


def world_of(w: registry.World):
    """Objects of citizen A and of agencies X (health office, complaint handler, civil registry,
    permits), made once per test by the makers of ``registry.py``."""

    def build():
        for make in (
            registry.make_complaint,
            registry.make_document,
            registry.make_device,
            registry.make_health_ticket,
            registry.make_bill,
            registry.make_payment,
            registry.make_civil_request,
            registry.make_application,
            registry.make_notification,
            registry.make_delegation,
            registry.make_receipt,
        ):
            make(w)
        return True

    return w.once("admin-world", build)


def _of(label: str, **lookup) -> Callable[[registry.World], models.Model]:
    def make(w):
        world_of(w)
        resolved = {k: (v(w) if callable(v) else v) for k, v in lookup.items()}
        return _first(label, **resolved)

    return make


def A(w):
    return w.citizen_a


def _complaint(w):
    return registry._complaint(w)


def _agency_x_health(w):
    return registry._health_session(w).service_point.agency


def _dkk(w):
    return _agency_x_health(w)


def make_access_log_entry(w):
    from accounts.models import AccessLogEntry

    complaint = _complaint(w)
    staff_x = registry.staff_of(complaint.agency)
    return AccessLogEntry.objects.create(
        staff=staff_x,
        staff_name="Petugas X",
        agency=complaint.agency,
        subject=w.citizen_a,
        object_type="complaints.complaint",
        object_ref=complaint.tracking_number,
        reason_kind="work_item",
        reason="Menangani pengaduan",
        channel="admin",
    )


def make_membership(w):
    return registry.staff_of(_dkk(w)).memberships.get(agency=_dkk(w))


def make_agency_prefix(w):
    from applications.models import AgencyPrefix

    form = _of("applications.applicationform", agency__code="dpmptsp")(w)
    return AgencyPrefix.objects.get_or_create(agency=form.agency, defaults={"prefix": "IZN"})[0]


def make_conversation(w):
    from channels.models import Conversation

    return Conversation.objects.create(
        user=w.citizen_a, phone="+6281234567890", wa_id="6281234567890"
    )


def make_complaint_thread(w):
    from channels.models import ComplaintThread

    return ComplaintThread.objects.create(
        complaint=_complaint(w), conversation=make_conversation(w)
    )


def make_public_photo(w):
    from django.core.files.base import ContentFile

    from civil_registry.demo import demo_png
    from complaints.models import PublicPhoto

    document = _of("uploads.document", owner=A)(w)
    photo = PublicPhoto(complaint=_complaint(w), source=document)
    photo.file.save("blur.png", ContentFile(demo_png("blur.png").read()), save=False)
    photo.save()
    return photo


def make_doctor(w):
    from health.models import Doctor

    return Doctor.objects.create(
        facility=registry._health_session(w).service_point.facility, name="dr. X"
    )


def make_closure(w):
    import datetime

    from health.models import Closure

    return Closure.objects.create(
        facility=registry._health_session(w).service_point.facility,
        date=datetime.date(2030, 1, 2),
        reason="Renovasi",
    )


def make_session_change(w):
    from django.utils import timezone

    from health.models import SessionChange

    return SessionChange.objects.create(
        session=registry._health_session(w),
        field="quota",
        to_value="10",
        reason="Dokter cuti",
        at=timezone.now(),
    )


def make_correction_request(w):
    from django.utils import timezone

    from privacy.models import CorrectionRequest

    return CorrectionRequest.objects.create(
        user=w.citizen_a,
        agency=_dkk(w),
        field="full_name",
        reason="Salah ketik",
        due_at=timezone.now(),
    )


def make_holiday(w):
    import datetime

    from services.workflow.models import Holiday

    return Holiday.objects.create(
        agency=_dkk(w),
        date=datetime.date(2030, 1, 3),
        name_id="Cuti bersama dinas",
        name_en="Agency closure",
        kind=Holiday._meta.get_field("kind").choices[-1][0],
    )


def make_working_hours(w):
    import datetime

    from services.workflow.models import WorkingHours

    return WorkingHours.objects.create(
        agency=_dkk(w), weekday=0, opens_at=datetime.time(8), closes_at=datetime.time(15)
    )


def _payment(w):
    return _of("payments.payment", payer=A)(w)


def make_payment_event(w):
    from payments.models import PaymentEvent

    return PaymentEvent.objects.create(payment=_payment(w), provider="midtrans", status="pending")


def make_webhook_delivery(w):
    from payments.models import WebhookDelivery

    return WebhookDelivery.objects.create(
        payment=_payment(w), provider="midtrans", result="ok", body="{}"
    )


def make_bill_import(w):
    from payments.models import BillImport

    return BillImport.objects.create(file_name="sppt-2026.csv")


def make_penalty_rule(w):
    import datetime
    from decimal import Decimal

    from payments.models import PenaltyRule

    return PenaltyRule.objects.create(
        effective_from=datetime.date(2030, 1, 1), rate_per_month=Decimal("1.00"), cap_months=24
    )


# ---------------------------------------------------------------------------------------------
# The registry of admin models
# ---------------------------------------------------------------------------------------------

REVENUE = "revenue office (BPPDRD) only: payments.admin.RevenueStaffOnly empties the queryset"

# Objects of citizen A or agency X, which an agency admin of agency Y must not reach.
ADMIN_OBJECTS: dict[str, AdminObject] = {
    "accounts.accesslogentry": AdminObject(make_access_log_entry),
    "accounts.agencymembership": AdminObject(make_membership),
    "activity.activityitem": AdminObject(_of("activity.activityitem", owner=A)),
    "applications.agencyprefix": AdminObject(make_agency_prefix),
    "applications.application": AdminObject(_of("applications.application", owner=A)),
    "applications.applicationform": AdminObject(
        _of("applications.applicationform", agency__code="dpmptsp")
    ),
    "catalog.service": AdminObject(_of("catalog.service", agency__code="dpmptsp")),
    "channels.complaintthread": AdminObject(make_complaint_thread),
    "channels.conversation": AdminObject(make_conversation),
    "civil_registry.civilrequest": AdminObject(_of("civil_registry.civilrequest", owner=A)),
    "complaints.complaint": AdminObject(_of("complaints.complaint", reporter=A)),
    "complaints.publicphoto": AdminObject(make_public_photo),
    "health.closure": AdminObject(make_closure),
    "health.doctor": AdminObject(make_doctor),
    "health.facility": AdminObject(_of("health.facility", agency__code="dkk")),
    "health.servicepoint": AdminObject(_of("health.servicepoint", agency__code="dkk")),
    "health.session": AdminObject(_of("health.session", service_point__agency__code="dkk")),
    "health.sessionchange": AdminObject(make_session_change),
    "health.ticket": AdminObject(_of("health.ticket", owner=A)),
    "payments.bill": AdminObject(lambda w: _payment(w).bill),
    "payments.payment": AdminObject(_payment),
    "payments.taxobject": AdminObject(lambda w: _payment(w).bill.tax_object),
    # the revenue office's (BPPDRD) rows: other agencies' staff get empty lists and 404s
    "payments.billimport": AdminObject(make_bill_import, REVENUE),
    "payments.paymentevent": AdminObject(make_payment_event, REVENUE),
    "payments.penaltyrule": AdminObject(make_penalty_rule, REVENUE),
    "payments.webhookdelivery": AdminObject(make_webhook_delivery, REVENUE),
    # the revenue office's (BPPDRD) rows: other agencies' staff get empty lists and 404s
    "privacy.correctionrequest": AdminObject(make_correction_request),
    "receipts.receipt": AdminObject(_of("receipts.receipt", owner=A)),
    "uploads.document": AdminObject(_of("uploads.document", owner=A)),
    "workflow.deadline": AdminObject(_of("workflow.deadline")),
    "workflow.holiday": AdminObject(make_holiday),
    "workflow.workinghours": AdminObject(make_working_hours),
    "notifications.device": AdminObject(_of("notifications.device", user=A)),
}

# Rows every counter role sees city-wide by design (accounts/roles.py: a citizen may walk into
# any agency's counter): the test checks only that an agency admin of Y cannot delete them.
COUNTER = "counter roles of every agency serve any citizen (accounts/roles.py _COUNTER)"
ADMIN_CITYWIDE: dict[str, tuple[Callable, str]] = {
    "accounts.user": (
        _of("accounts.user", pk=lambda w: w.citizen_a.pk),
        COUNTER + "; opening one asks for the reason and is access-logged",
    ),
    "accounts.household": (None, COUNTER),
    "accounts.delegation": (_of("accounts.delegation", grantor=A), COUNTER + "; revoke abuse"),
    "accounts.proxyaction": (None, COUNTER),
    "services.agency": (None, "the list of agencies is public reference data"),
    "complaints.outsidebody": (
        None,
        "outside bodies (PLN, PDAM …) a complaint is referred to: reference data for every "
        "complaint desk",
    ),
}

# Models no agency admin of another agency may open at all: the changelist answers 403, and
# every object view refuses for any id (exercised with an id that does not exist).
NO_PERMISSION = "no agency role holds a permission on it (superusers / platform only)"
ADMIN_REFUSED: dict[str, str] = {
    "account.emailaddress": NO_PERMISSION,
    "accounts.consentrecord": NO_PERMISSION,
    "accounts.personaldataaccess": NO_PERMISSION,
    "allauth_idp_oidc.client": NO_PERMISSION,
    "allauth_idp_oidc.token": NO_PERMISSION,
    "auth.group": NO_PERMISSION,
    "catalog.category": "city-level catalog, edited by the platform",
    "catalog.lifeevent": "city-level catalog, edited by the platform",
    "channels.partner": "command centre only",
    "channels.serviceattribute": "command centre only",
    "channels.servicerequest": "command centre only",
    "complaints.boundary": NO_PERMISSION,
    "complaints.category": NO_PERMISSION,
    "mfa.authenticator": NO_PERMISSION,
    "notifications.notification": "every citizen's messages, city-wide: platform operators only",
    "notifications.delivery": "every citizen's messages, city-wide: platform operators only",
    "privacy.erasurerecord": NO_PERMISSION,
    "privacy.exportrequest": NO_PERMISSION,
    "services.kecamatan": NO_PERMISSION,
    "services.kelurahan": NO_PERMISSION,
    "services.modulestate": NO_PERMISSION,
    "sites.site": NO_PERMISSION,
    "usersessions.usersession": NO_PERMISSION,
    "workflow.trackingcounter": NO_PERMISSION,
}


# ---------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------

REGISTERED = sorted(m._meta.label_lower for m in admin.site._registry)


KNOWN = set(ADMIN_OBJECTS) | set(ADMIN_CITYWIDE) | set(ADMIN_REFUSED)


@pytest.mark.parametrize("label", REGISTERED)
def test_model_admin_is_known(label):
    assert label in KNOWN, (
        f"tests/security/test_admin_authz.py does not know the admin of {label!r} "
        f"({type(admin.site._registry[apps.get_model(label)]).__qualname__}). Add "
        f"{label!r}: AdminObject(make_<thing>) to ADMIN_OBJECTS, with a maker returning a row "
        f"owned by citizen A (w.citizen_a) or agency X, or, if no agency admin may open it at "
        f"all, {label!r}: '<why>' to ADMIN_REFUSED, or, if every agency's staff sees it by "
        f"design, {label!r}: (maker or None, '<why>') to ADMIN_CITYWIDE."
    )
    kinds = [label in d for d in (ADMIN_OBJECTS, ADMIN_CITYWIDE, ADMIN_REFUSED)]
    assert sum(kinds) == 1, f"{label!r} is in more than one list of test_admin_authz.py"


def test_admin_registry_has_no_stale_entries():
    stale = sorted(KNOWN - set(REGISTERED))
    assert not stale, f"test_admin_authz.py lists admin models that are gone: {stale}"


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _missing_pk(model):
    pk = model._meta.pk
    if isinstance(pk, models.UUIDField):
        return uuid.uuid4()
    if isinstance(pk, (models.AutoField, models.BigAutoField, models.IntegerField)):
        return 10**9
    if isinstance(pk, models.OneToOneField):
        return 10**9
    return "zz-nope-0000"


def _send(client, method, url, data=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        if method == "get":
            return client.get(url)
        return client.post(url, data=data or {})


def _answer(response) -> tuple:
    """What a refusal looks like, without the id the attacker sent (it is in the message)."""
    if response.status_code in (301, 302):
        return (response.status_code, response["Location"])
    return (response.status_code,)


@pytest.fixture
def admin_client_y(staff_y):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff_y)  # tests/conftest.py: the session passed the two-factor step
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200, (
        f"staff of agency Y cannot open the admin ({index.status_code} "
        f"{index.get('Location', '')}): the test would pass vacuously"
    )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(ADMIN_OBJECTS))
def test_other_agency_staff_cannot_reach_the_object(
    label, citizen_a, citizen_b, staff_y, admin_client_y
):
    model = apps.get_model(label)
    world = registry.World(citizen_a, citizen_b, staff_y)
    obj = ADMIN_OBJECTS[label].make(world)
    pk = obj.pk

    client = admin_client_y
    failures = []
    index = reverse("admin:index")
    before = snapshot()
    listing = _send(client, "get", _url(model, "changelist"))
    if listing.status_code == 200:
        cl = listing.context["cl"]
        if cl.queryset.filter(pk=pk).exists():
            failures.append(f"the changelist of {label} lists the object {pk}")
    elif listing.status_code != 403:
        failures.append(f"changelist of {label}: {listing.status_code}")
    missing = _missing_pk(model)
    for view, method, data in (
        ("change", "get", None),
        ("delete", "get", None),
        ("history", "get", None),
        ("change", "post", {}),
        ("delete", "post", {"post": "yes"}),
    ):
        answer = _send(client, method, _url(model, view, pk), data)
        control = _send(client, method, _url(model, view, missing), data)
        refused = answer.status_code in (403, 404) or (
            answer.status_code == 302 and answer["Location"] == index
        )
        if not refused:
            failures.append(
                f"{method.upper()} {view} of {label} {pk}: {answer.status_code} "
                f"{answer.get('Location', '')} (allowed 403, 404, 302 to {index})"
            )
        elif _answer(answer) != _answer(control) and not (
            # Django's history_view looks the id up before asking for the permission: on a
            # model the role may not open at all, an existing id is 403 and a missing one the
            # "does not exist" redirect (docs/security.md section 1)
            view == "history" and listing.status_code == 403 and answer.status_code == 403
        ):
            failures.append(
                f"{method.upper()} {view} of {label} {pk}: {_answer(answer)} but "
                f"{_answer(control)} for an id that does not exist (existence oracle)"
            )
    changed = changes(before, snapshot())
    if changed:
        failures.append(f"staff of agency Y changed the rows of {changed}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(ADMIN_REFUSED))
def test_model_refused_to_other_agency_staff(label, admin_client_y):
    """No row of the model is reachable: the changelist and the add form are 403, and the object
    views of any id refuse (403, or the "does not exist" redirect), changing nothing."""
    from services.modules import module_states_sync

    model = apps.get_model(label)
    client = admin_client_y
    index = reverse("admin:index")
    # ModuleStateAdmin.get_queryset writes the module registry's rows (idempotent sync)
    module_states_sync()
    before = snapshot()
    failures = []
    for url in (_url(model, "changelist"), _url(model, "add")):
        answer = _send(client, "get", url)
        if answer.status_code != 403:
            failures.append(f"GET {url}: {answer.status_code} (expected 403)")
    missing = _missing_pk(model)
    for view, method, data in (
        ("change", "get", None),
        ("delete", "get", None),
        ("history", "get", None),
        ("change", "post", {}),
        ("delete", "post", {"post": "yes"}),
    ):
        answer = _send(client, method, _url(model, view, missing), data)
        if not (
            answer.status_code in (403, 404)
            or (answer.status_code == 302 and answer["Location"] == index)
        ):
            failures.append(f"{method.upper()} {view} of {label}: {answer.status_code}")
    changed = changes(before, snapshot())
    if changed:
        failures.append(f"staff of agency Y changed the rows of {changed}")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("label", sorted(ADMIN_CITYWIDE))
def test_citywide_model_cannot_be_deleted_by_other_agency_staff(
    label, citizen_a, citizen_b, staff_y, admin_client_y
):
    """Seen by every agency's counter by design; still not deletable by an agency admin."""
    model = apps.get_model(label)
    make, _why = ADMIN_CITYWIDE[label]
    if make is None:
        pk = _missing_pk(model)
    else:
        pk = make(registry.World(citizen_a, citizen_b, staff_y)).pk
    before = snapshot()
    answer = _send(admin_client_y, "post", _url(model, "delete", pk), {"post": "yes"})
    assert answer.status_code in (302, 403, 404), answer.status_code
    assert not changes(before, snapshot()), f"staff of agency Y deleted a {label}"

"""What the object-level authorisation suite knows about every route.

Every route found by ``tests.security.routes.all_routes()`` must be in exactly one of:

* ``OBJECT_ROUTES``: the route names an object that belongs to a citizen or an agency. Its maker
  builds such an object owned by citizen A (or agency X) and returns the URL kwargs and the owner;
  the suite then has citizen B and staff of agency Y read, change and delete it.
* ``PUBLIC_ROUTES``: the identifier names something public by design (a catalog entry, a public
  complaint, a verification code, a capability token); the reason is required.
* ``NO_IDENTIFIER``: routes without an object identifier (lists, create endpoints, singletons of
  "me"); their scoping is per request user and is tested by each module's own tests.

A new route in none of them fails ``test_object_authz.py`` with the line to add.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from accounts.models import AgencyMembership
from tests.factories import AgencyFactory, StaffFactory


@dataclass
class Made:
    """What a maker returns: the URL kwargs naming the object, and a user who may see it."""

    kwargs: dict
    owner: object
    owner_sees: bool = True  # the owner's GET answers something other than 404


@dataclass
class ObjectRoute:
    make: Callable[[World], Made]
    # 403 instead of 404 is accepted for these attacker kinds ("citizen", "staff"), with the
    # reason: the route is refused to that kind of user before any object is looked up, so the
    # answer is the same for every identifier (the suite checks that too).
    forbidden_ok: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# The world: two citizens, two agencies, and makers of objects owned by citizen A / agency X.
# ---------------------------------------------------------------------------------------------


class World:
    def __init__(self, citizen_a, citizen_b, staff_y):
        self.citizen_a = citizen_a
        self.citizen_b = citizen_b
        self.staff_y = staff_y
        self._cache: dict[str, object] = {}

    def once(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]


def staff_of(agency, role=AgencyMembership.Role.AGENCY_ADMIN):
    return StaffFactory(role=role, role__agency=agency)


# --- accounts and platform services -----------------------------------------------------------


def make_delegation(w):
    from tests.factories import DelegationFactory

    return Made({"uuid": DelegationFactory(grantor=w.citizen_a).uuid}, w.citizen_a, False)


def make_notification(w):
    from services.notifications.models import Notification

    note = Notification.objects.create(
        recipient=w.citizen_a,
        event="test",
        key="security-suite",
        topic="status",
        title={"id": "Judul", "en": "Title"},
        body={"id": "Isi", "en": "Body"},
        short_body={"id": "Isi", "en": "Body"},
    )
    return Made({"uuid": note.uuid}, w.citizen_a, False)


def make_device(w):
    from services.notifications.services import device_register

    device, _ = device_register(actor=w.citizen_a, platform="fcm", token="a" * 40)
    return Made({"uuid": device.uuid}, w.citizen_a)


def make_document(w):
    from civil_registry.demo import demo_png
    from services.uploads.services import document_upload

    doc = document_upload(owner=w.citizen_a, file=demo_png("ktp.png"), purpose="test")
    return Made({"uuid": doc.uuid}, w.citizen_a)


def make_receipt(w):
    from services.receipts.services import receipt_issue

    agency = AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    receipt = receipt_issue(
        obj=agency,
        owner=w.citizen_a,
        kind="request_submitted",
        issuer=agency,
        tracking_number="DUK-2026-000123",
        title="Permohonan Akta Kelahiran",
    )
    return Made({"uuid": receipt.uuid}, w.citizen_a)


# --- health --------------------------------------------------------------------------------------


def _health_session(w):
    from tests.health.factories import SessionFactory

    def build():
        agency = AgencyFactory(code="dkk", name="Dinas Kesehatan", short_name="DKK")
        return SessionFactory(service_point__facility__agency=agency)

    return w.once("health-session", build)


def make_health_staff_session(w):
    session = _health_session(w)
    return Made({"uuid": session.uuid}, staff_of(session.service_point.agency))


def _health_ticket(w):
    from health import services

    return w.once(
        "health-ticket",
        lambda: services.ticket_book(actor=w.citizen_a, session=_health_session(w), payer="bpjs"),
    )


def make_health_ticket(w):
    return Made({"uuid": _health_ticket(w).uuid}, w.citizen_a)


def make_health_staff_ticket(w):
    ticket = _health_ticket(w)
    return Made({"uuid": ticket.uuid}, staff_of(ticket.session.service_point.agency), False)


def _visit_plan(w):
    from health import services

    return services.visit_plan_book(
        actor=w.citizen_a, steps=[(_health_session(w), None)], payer="bpjs"
    )


def make_visit_plan(w):
    return Made({"uuid": _visit_plan(w).uuid}, w.citizen_a)


def make_visit_plan_step(w):
    return Made({"uuid": _visit_plan(w).uuid, "step": 1}, w.citizen_a, False)


# --- payments ------------------------------------------------------------------------------------


def make_bill(w):
    from tests.payments.factories import linked_bill

    return Made({"uuid": linked_bill(w.citizen_a).uuid}, w.citizen_a)


def make_payment(w):
    from tests.payments.factories import midtrans_payment

    return Made({"uuid": midtrans_payment(w.citizen_a).uuid}, w.citizen_a)


# --- civil registry ------------------------------------------------------------------------------


def make_civil_request(w):
    from tests.civil_registry.conftest import birth_request

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    return Made({"uuid": birth_request(w.citizen_a).uuid}, w.citizen_a)


def make_civil_request_output(w):
    made = make_civil_request(w)
    made.owner_sees = False  # nothing issued yet: 404 for the owner too
    return made


# --- complaints ----------------------------------------------------------------------------------


def _complaint(w):
    def build():
        from complaints import services
        from complaints.models import Category
        from tests.complaints.conftest import INSIDE, seed_all

        seed_all()
        return services.complaint_create(
            actor=w.citizen_a,
            text="Jalan berlubang di depan rumah",
            category=Category.objects.get(code="jalan_rusak"),
            **{k: Decimal(v) for k, v in INSIDE.items()},
        )

    return w.once("complaint", build)


def make_complaint(w):
    return Made({"uuid": _complaint(w).uuid}, w.citizen_a)


def make_complaint_action(w):
    return Made({"uuid": _complaint(w).uuid}, w.citizen_a, False)


def make_complaint_staff_action(w):
    complaint = _complaint(w)
    return Made({"uuid": complaint.uuid}, staff_of(complaint.agency), False)


# --- applications --------------------------------------------------------------------------------


def _application(w):
    def build():
        from services.catalog.models import Category
        from tests.applications.conftest import filed, make_form
        from tests.factories import KelurahanFactory

        KelurahanFactory()
        agency = AgencyFactory(code="dpmptsp", name="DPMPTSP", short_name="DPMPTSP")
        category = Category.objects.create(slug="perizinan", name_id="Perizinan", name_en="Permits")
        return filed(w.citizen_a, make_form(agency, category), submit=False)

    return w.once("application", build)


def make_application(w):
    return Made({"uuid": _application(w).uuid}, w.citizen_a)


def make_application_action(w):
    return Made({"uuid": _application(w).uuid}, w.citizen_a, False)


# --- privacy (data-subject rights) --------------------------------------------------------------


def make_privacy_export(w):
    from privacy import services

    export = services.export_request_create(user=w.citizen_a)
    services.export_build(export_id=export.pk)
    return Made({"uuid": export.uuid}, w.citizen_a)


def make_privacy_correction(w):
    from privacy import services

    AgencyFactory(code="disdukcapil", name="Disdukcapil", short_name="Disdukcapil")
    correction = services.correction_create(
        user=w.citizen_a, field="full_name", value="Siti Rahmawati Putri", reason="ejaan"
    )
    return Made({"uuid": correction.uuid}, w.citizen_a)


# ---------------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------------

CITIZEN_ONLY = "citizen-only staff API: refused with 403 to a user who is not staff, for any id"

OBJECT_ROUTES: dict[str, ObjectRoute] = {
    # accounts / platform
    "api/v1/me/delegations/<uuid:uuid>/revoke/": ObjectRoute(make_delegation),
    "api/v1/notifications/<uuid:uuid>/read/": ObjectRoute(make_notification),
    "api/v1/devices/<uuid:uuid>/": ObjectRoute(make_device),
    "api/v1/documents/<uuid:uuid>/": ObjectRoute(make_document),
    "api/v1/documents/<uuid:uuid>/download/": ObjectRoute(make_document),
    "api/v1/receipts/<uuid:uuid>/": ObjectRoute(make_receipt),
    "api/v1/receipts/<uuid:uuid>/pdf/": ObjectRoute(make_receipt),
    "bukti/<uuid:uuid>/": ObjectRoute(make_receipt),
    "bukti/<uuid:uuid>/pdf/": ObjectRoute(make_receipt),
    # health: citizen side
    "api/v1/kesehatan/tickets/<uuid:uuid>/": ObjectRoute(make_health_ticket),
    "api/v1/kesehatan/tickets/<uuid:uuid>/cancel/": ObjectRoute(make_health_ticket),
    "api/v1/kesehatan/visit-plans/<uuid:uuid>/": ObjectRoute(make_visit_plan),
    "api/v1/kesehatan/visit-plans/<uuid:uuid>/replan/": ObjectRoute(make_visit_plan),
    "layanan/kesehatan/tiket/<uuid:uuid>/": ObjectRoute(make_health_ticket),
    "layanan/kesehatan/tiket/<uuid:uuid>/batal/": ObjectRoute(make_health_ticket),
    "layanan/kesehatan/kunjungan/<uuid:uuid>/": ObjectRoute(make_visit_plan),
    "layanan/kesehatan/kunjungan/<uuid:uuid>/langkah/<int:step>/batal/": ObjectRoute(
        make_visit_plan_step
    ),
    "layanan/kesehatan/kunjungan/<uuid:uuid>/rencana-ulang/": ObjectRoute(make_visit_plan),
    # health: staff side (agency X's session / ticket)
    **{
        f"api/v1/kesehatan/staff/sessions/<uuid:uuid>/{action}/": ObjectRoute(
            make_health_staff_session, {"citizen": CITIZEN_ONLY}
        )
        for action in ("tickets", "call-next", "walk-in", "quota", "close")
    },
    **{
        f"api/v1/kesehatan/staff/tickets/<uuid:uuid>/{action}/": ObjectRoute(
            make_health_staff_ticket, {"citizen": CITIZEN_ONLY}
        )
        for action in ("check-in", "serve", "recall")
    },
    # payments
    "api/v1/pembayaran/bills/<uuid:uuid>/": ObjectRoute(make_bill),
    "api/v1/pembayaran/bills/<uuid:uuid>/payments/": ObjectRoute(make_bill),
    "api/v1/pembayaran/payments/<uuid:uuid>/": ObjectRoute(make_payment),
    "layanan/pembayaran/tagihan/<uuid:uuid>/": ObjectRoute(make_bill),
    "layanan/pembayaran/pembayaran/<uuid:uuid>/": ObjectRoute(make_payment),
    "layanan/pembayaran/pembayaran/<uuid:uuid>/qr.png": ObjectRoute(make_payment),
    "layanan/pembayaran/pembayaran/<uuid:uuid>/simulasi/": ObjectRoute(make_payment),
    # civil registry
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/": ObjectRoute(make_civil_request),
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/documents/": ObjectRoute(make_civil_request),
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/submit/": ObjectRoute(make_civil_request),
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/cancel/": ObjectRoute(make_civil_request),
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/history/": ObjectRoute(make_civil_request),
    "api/v1/pencatatan-sipil/requests/<uuid:uuid>/issued-document/": ObjectRoute(
        make_civil_request_output
    ),
    "layanan/pencatatan-sipil/<uuid:uuid>/": ObjectRoute(make_civil_request),
    "layanan/pencatatan-sipil/<uuid:uuid>/ubah/": ObjectRoute(make_civil_request),
    "layanan/pencatatan-sipil/<uuid:uuid>/batal/": ObjectRoute(make_civil_request),
    "layanan/pencatatan-sipil/<uuid:uuid>/dokumen/": ObjectRoute(make_civil_request_output),
    # complaints: the reporter's side
    "api/v1/pengaduan/complaints/<uuid:uuid>/": ObjectRoute(make_complaint),
    **{
        f"api/v1/pengaduan/complaints/<uuid:uuid>/{action}/": ObjectRoute(make_complaint_action)
        for action in ("provide-information", "reopen", "close", "rate")
    },
    # complaints: the handling agency's side
    **{
        f"api/v1/pengaduan/complaints/<uuid:uuid>/{action}/": ObjectRoute(
            make_complaint_staff_action, {"citizen": CITIZEN_ONLY}
        )
        for action in (
            "triage",
            "reroute",
            "outside-answer",
            "notes",
            "start",
            "ask-information",
            "resolve",
            "reject",
            "merge",
        )
    },
    "layanan/pengaduan/<uuid:uuid>/": ObjectRoute(make_complaint),
    "layanan/pengaduan/<uuid:uuid>/selesai/": ObjectRoute(make_complaint_action),
    "layanan/pengaduan/<uuid:uuid>/belum-beres/": ObjectRoute(make_complaint_action),
    "layanan/pengaduan/<uuid:uuid>/nilai/": ObjectRoute(make_complaint_action),
    # applications
    "api/v1/permohonan/applications/<uuid:uuid>/": ObjectRoute(make_application),
    **{
        f"api/v1/permohonan/applications/<uuid:uuid>/{action}/": ObjectRoute(
            make_application_action
        )
        for action in ("definition", "documents", "submit", "cancel", "history", "output")
    },
    "layanan/permohonan/<uuid:uuid>/": ObjectRoute(make_application),
    "layanan/permohonan/<uuid:uuid>/ubah/": ObjectRoute(make_application_action),
    "layanan/permohonan/<uuid:uuid>/batal/": ObjectRoute(make_application_action),
    "layanan/permohonan/<uuid:uuid>/hasil/": ObjectRoute(make_application_action),
    # privacy
    "api/v1/me/privacy/exports/<uuid:uuid>/": ObjectRoute(make_privacy_export),
    "api/v1/me/privacy/exports/<uuid:uuid>/download/": ObjectRoute(make_privacy_export),
    "api/v1/me/privacy/corrections/<uuid:uuid>/": ObjectRoute(make_privacy_correction),
    "profil/data-pribadi/ekspor/<uuid:uuid>/unduh/": ObjectRoute(make_privacy_export),
}

CATALOG = "public service catalog entry, the same for everyone"
PUBLIC_ROUTES: dict[str, str] = {
    "api/v1/catalog/services/<slug:slug>/": CATALOG,
    "api/v1/catalog/life-events/<slug:slug>/": CATALOG,
    "layanan/katalog/<slug:slug>/": CATALOG,
    "peristiwa/<slug:slug>/": CATALOG,
    "api/v1/receipts/verify/<str:code>/": "receipt verification: the code printed on the paper "
    "is the capability; answers only masked public facts",
    "verifikasi/<str:code>/": "receipt verification page (same as the API)",
    "api/v1/pencatatan-sipil/verify/<str:code>/": "issued-document verification by its printed "
    "code; masked public facts only",
    "layanan/pencatatan-sipil/verifikasi/<str:code>/": "issued-document verification page",
    "layanan/pencatatan-sipil/<slug:type_slug>/baru/": "request type (public catalog); the new "
    "request belongs to the signed-in user",
    "api/v1/kesehatan/sessions/<uuid:uuid>/": "public session timetable (no personal data)",
    "api/v1/kesehatan/sessions/<uuid:uuid>/now-serving/": "public queue display number",
    "layanan/kesehatan/fasilitas/<uuid:uuid>/": "public facility page",
    "layanan/kesehatan/sesi/<uuid:uuid>/": "public session page",
    "layanan/kesehatan/sesi/<uuid:uuid>/pesan/": "booking into a public session; the ticket "
    "belongs to the signed-in user",
    "layanan/kesehatan/layar/<uuid:uuid>/": "public queue display screen",
    "api/v1/pembayaran/webhooks/<str:provider>/": "provider name, not an object; the body is "
    "authenticated by the provider's signature (fuzzed in test_parsers_fuzz.py)",
    "api/v1/pengaduan/public/complaints/<str:tracking_number>/": "public complaint map entry: "
    "reporter identity never shown",
    "api/v1/pengaduan/public/complaints/<str:tracking_number>/support/": "any signed-in citizen "
    "may support a public complaint",
    "api/v1/pengaduan/public/complaints/<str:tracking_number>/not-fixed/": "public feedback "
    "on a public complaint",
    "api/v1/pengaduan/public/photos/<uuid:uuid>/": "photos the reporter allowed to be public "
    "(faces and plates blurred)",
    "api/v1/permohonan/forms/<str:key>/": "published application form definition (catalog)",
    "api/v1/permohonan/forms/<str:key>/validate/": "stateless validation against a published form",
    "layanan/permohonan/ajukan/<slug:code>/": "published form; the new application belongs to the "
    "signed-in user",
    "open311/discovery.<open311fmt:fmt>": "format suffix only (json|xml), no object",
    "open311/v2/discovery.<open311fmt:fmt>": "format suffix only (json|xml), no object",
    "open311/v2/services.<open311fmt:fmt>": "format suffix only (json|xml), no object",
    "open311/v2/requests.<open311fmt:fmt>": "format suffix only; the public request list",
    "open311/v2/services/<open311id:code>.<open311fmt:fmt>": "Open311 service definition (catalog)",
    "open311/v2/requests/<open311id:service_request_id>.<open311fmt:fmt>": "GeoReport v2 "
    "requests are public by the standard; no reporter identity in the answer",
    "open311/v2/tokens/<open311id:token>.<open311fmt:fmt>": "unguessable token handed to the "
    "posting partner: the token is the capability; answers only the public tracking number",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "allauth e-mail confirmation key: the signed "
    "key is the capability",
}

NO_IDENTIFIER: set[str] = {
    "",
    "_allauth/app/v1/account/authenticators",
    "_allauth/app/v1/account/authenticators/recovery-codes",
    "_allauth/app/v1/account/authenticators/totp",
    "_allauth/app/v1/account/email",
    "_allauth/app/v1/account/password/change",
    "_allauth/app/v1/account/phone",
    "_allauth/app/v1/auth/2fa/authenticate",
    "_allauth/app/v1/auth/2fa/reauthenticate",
    "_allauth/app/v1/auth/code/confirm",
    "_allauth/app/v1/auth/code/request",
    "_allauth/app/v1/auth/code/resend",
    "_allauth/app/v1/auth/email/verify",
    "_allauth/app/v1/auth/email/verify/resend",
    "_allauth/app/v1/auth/login",
    "_allauth/app/v1/auth/password/request",
    "_allauth/app/v1/auth/password/reset",
    "_allauth/app/v1/auth/phone/verify",
    "_allauth/app/v1/auth/phone/verify/resend",
    "_allauth/app/v1/auth/reauthenticate",
    "_allauth/app/v1/auth/session",
    "_allauth/app/v1/auth/sessions",
    "_allauth/app/v1/auth/signup",
    "_allauth/app/v1/config",
    "_allauth/app/v1/tokens/refresh",
    "_allauth/browser/v1/account/authenticators",
    "_allauth/browser/v1/account/authenticators/recovery-codes",
    "_allauth/browser/v1/account/authenticators/totp",
    "_allauth/browser/v1/account/email",
    "_allauth/browser/v1/account/password/change",
    "_allauth/browser/v1/account/phone",
    "_allauth/browser/v1/auth/2fa/authenticate",
    "_allauth/browser/v1/auth/2fa/reauthenticate",
    "_allauth/browser/v1/auth/code/confirm",
    "_allauth/browser/v1/auth/code/request",
    "_allauth/browser/v1/auth/code/resend",
    "_allauth/browser/v1/auth/email/verify",
    "_allauth/browser/v1/auth/email/verify/resend",
    "_allauth/browser/v1/auth/login",
    "_allauth/browser/v1/auth/password/request",
    "_allauth/browser/v1/auth/password/reset",
    "_allauth/browser/v1/auth/phone/verify",
    "_allauth/browser/v1/auth/phone/verify/resend",
    "_allauth/browser/v1/auth/reauthenticate",
    "_allauth/browser/v1/auth/session",
    "_allauth/browser/v1/auth/sessions",
    "_allauth/browser/v1/auth/signup",
    "_allauth/browser/v1/config",
    "_allauth/openapi.html",
    "_allauth/openapi.json",
    "_allauth/openapi.yaml",
    ".well-known/jwks.json",
    ".well-known/openid-configuration",
    "identity/o/api/device/code",
    "identity/o/api/revoke",
    "identity/o/api/token",
    "identity/o/api/userinfo",
    "identity/o/authorize",
    "identity/o/device",
    "identity/o/logout",
    "accounts/2fa/",
    "accounts/2fa/authenticate/",
    "accounts/2fa/reauthenticate/",
    "accounts/2fa/recovery-codes/",
    "accounts/2fa/recovery-codes/download/",
    "accounts/2fa/recovery-codes/generate/",
    "accounts/2fa/totp/activate/",
    "accounts/2fa/totp/deactivate/",
    "accounts/confirm-email/",
    "accounts/email/",
    "accounts/inactive/",
    "accounts/login/",
    "accounts/login/code/",
    "accounts/login/code/confirm/",
    "accounts/logout/",
    "accounts/password/change/",
    "accounts/password/reset/",
    "accounts/password/reset/complete/",
    "accounts/password/reset/confirm/",
    "accounts/password/reset/done/",
    "accounts/password/set/",
    "accounts/phone/change/",
    "accounts/phone/verify/",
    "accounts/reauthenticate/",
    "accounts/sessions/",
    "accounts/signup/",
    "api/docs/",
    "api/redoc/",
    "api/schema/",
    "api/v1/",
    "api/v1/activity/",
    "api/v1/catalog/categories/",
    "api/v1/catalog/home/",
    "api/v1/catalog/life-events/",
    "api/v1/catalog/services/",
    "api/v1/consent-texts/",
    "api/v1/devices/",
    "api/v1/documents/",
    "api/v1/kesehatan/facilities/",
    "api/v1/kesehatan/sessions/",
    "api/v1/kesehatan/staff/check-in/",
    "api/v1/kesehatan/staff/sessions/",
    "api/v1/kesehatan/staff/tickets/",
    "api/v1/kesehatan/tickets/",
    "api/v1/kesehatan/visit-plans/",
    "api/v1/kesehatan/visit-plans/propose/",
    "api/v1/me/",
    "api/v1/me/access-log/",
    "api/v1/me/can-act-for/",
    "api/v1/me/consents/",
    "api/v1/me/delegations/",
    "api/v1/me/household/",
    "api/v1/me/on-behalf/",
    "api/v1/me/privacy/corrections/",
    "api/v1/me/privacy/erase/",
    "api/v1/me/privacy/exports/",
    "api/v1/notifications/",
    "api/v1/notifications/preferences/",
    "api/v1/notifications/read-all/",
    "api/v1/notifications/unread-count/",
    "api/v1/pembayaran/bills/",
    "api/v1/pembayaran/lookup/",
    "api/v1/pembayaran/payments/",
    "api/v1/pembayaran/properties/",
    "api/v1/pencatatan-sipil/requests/",
    "api/v1/pencatatan-sipil/types/",
    "api/v1/pengaduan/categories/",
    "api/v1/pengaduan/complaints/",
    "api/v1/pengaduan/complaints/nearby/",
    "api/v1/pengaduan/outside-bodies/",
    "api/v1/pengaduan/photo-location/",
    "api/v1/pengaduan/public/complaints/",
    "api/v1/pengaduan/public/dashboard/",
    "api/v1/pengaduan/public/export/",
    "api/v1/pengaduan/public/hotspots/",
    "api/v1/permohonan/applications/",
    "api/v1/permohonan/forms/",
    "api/v1/receipts/keys/",
    "healthz",
    "i18n/setlang/",
    "layanan/",
    "layanan/kesehatan/",
    "layanan/kesehatan/kunjungan/",
    "layanan/kesehatan/kunjungan/pesan/",
    "layanan/kesehatan/tiket/",
    "layanan/pembayaran/",
    "layanan/pencatatan-sipil/",
    "layanan/pengaduan/",
    "layanan/pengaduan/baru/",
    "layanan/pengaduan/dasbor/",
    "layanan/pengaduan/lacak/",
    "layanan/pengaduan/titik-banjir/",
    "layanan/permohonan/",
    "profil/",
    "profil/data-pribadi/",
    "profil/data-pribadi/ekspor/",
    "profil/data-pribadi/koreksi/",
    "profil/hapus-akun/",
    "profil/akses-data/",
    "profil/persetujuan/",
    "readyz",
    "verifikasi/",
    "webhooks/whatsapp",
}

"""The access log of staff views of a citizen's personal data: written on the admin change page
and the staff API detail, visible to the citizen, isolated both ways, and cheap on lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AccessLogEntry, AgencyMembership
from complaints import services as complaint_services
from complaints.models import Category
from services.models import Agency
from tests.complaints.conftest import INSIDE, point, seed_all
from tests.factories import StaffFactory, UserFactory

ME_LOG = "/api/v1/me/access-log/"
Role = AgencyMembership.Role


@pytest.fixture
def seeded(db):
    seed_all()


@pytest.fixture
def citizen(seeded):
    return UserFactory(full_name="Siti Rahmawati")


@pytest.fixture
def citizen_b(seeded):
    return UserFactory(full_name="Ahmad Fauzi")


def staff(code, role=Role.COUNTER_OFFICER, **kwargs):
    return StaffFactory(role=role, role__agency=Agency.objects.get(code=code), **kwargs)


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user=None) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def road_complaint(reporter):
    road = Category.objects.get(code="jalan_rusak")  # routed to DPU
    return complaint_services.complaint_create(
        actor=reporter, text="Jalan berlubang", category=road, **point(INSIDE)
    )


def entries(**filters):
    return list(
        AccessLogEntry.objects.filter(**filters)
        .order_by("id")
        .values_list("staff_id", "agency__code", "subject_id", "object_type", "object_ref")
    )


# --- written where personal data is opened -----------------------------------------------------


def test_opening_a_complaint_in_the_admin_is_logged_with_the_work_item(citizen):
    officer = staff("dpu", full_name="Budi Petugas")
    complaint = road_complaint(citizen)
    client = browser(officer)
    assert client.get("/admin/complaints/complaint/").status_code == 200
    assert not AccessLogEntry.objects.exists()  # a list writes nothing
    response = client.get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.staff, entry.staff_name, entry.agency.code, entry.subject) == (
        officer,
        "Budi Petugas",
        "dpu",
        citizen,
    )
    assert (entry.object_type, entry.object_ref) == (
        "complaints.complaint",
        complaint.tracking_number,
    )
    assert (entry.reason_kind, entry.channel) == ("work_item", "admin")
    # staff of another agency is not shown the complaint, and nothing is logged for them
    other = staff("dlh")
    assert (
        browser(other).get(f"/admin/complaints/complaint/{complaint.pk}/change/").status_code == 302
    )
    assert AccessLogEntry.objects.count() == 1


def test_opening_a_complaint_through_the_staff_api_is_logged_and_the_reporter_s_own_view_not(
    citizen,
):
    officer = staff("dpu")
    complaint = road_complaint(citizen)
    url = f"/api/v1/pengaduan/complaints/{complaint.uuid}/"
    assert api_for(citizen).get(url).status_code == 200
    assert not AccessLogEntry.objects.exists()
    assert api_for(officer).get(url).status_code == 200
    assert entries() == [
        (officer.pk, "dpu", citizen.pk, "complaints.complaint", complaint.tracking_number)
    ]
    assert AccessLogEntry.objects.get().channel == "api"
    assert api_for(staff("dlh")).get(url).status_code == 404
    assert AccessLogEntry.objects.count() == 1


def test_a_citizens_account_opens_only_with_a_stated_reason(citizen):
    officer = staff("disdukcapil", full_name="Rina Loket")
    client = browser(officer)
    change = reverse("admin:accounts_user_change", args=[citizen.pk])
    reason_url = reverse("admin:accounts_user_access_reason", args=[citizen.pk])
    first = client.get(change)
    assert first.status_code == 302 and first["Location"] == reason_url
    assert client.get(reason_url).status_code == 200
    short = client.post(reason_url, {"reason": "lihat"})
    assert short.status_code == 200 and short.context["form"].errors["reason"]
    assert not AccessLogEntry.objects.exists()
    stated = client.post(reason_url, {"reason": "  Warga di loket 3   minta ganti nomor HP "})
    assert stated.status_code == 302 and stated["Location"] == change
    assert client.get(change).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.subject, entry.object_type, entry.object_ref) == (
        citizen,
        "accounts.user",
        str(citizen.uuid),
    )
    assert (entry.reason_kind, entry.reason) == ("stated", "Warga di loket 3 minta ganti nomor HP")
    assert entry.agency.code == "disdukcapil"
    # the reason holds for this record only: another citizen asks again
    assert (
        client.get(reverse("admin:accounts_user_change", args=[UserFactory().pk])).status_code
        == 302
    )
    # one's own account needs no reason and logs nothing
    assert client.get(reverse("admin:accounts_user_change", args=[officer.pk])).status_code == 200
    assert AccessLogEntry.objects.count() == 1


def test_the_nik_is_never_in_the_log(citizen):
    citizen_with_nik = UserFactory(nik="6471051508900001")
    client = browser(staff("disdukcapil"))
    reason_url = reverse("admin:accounts_user_access_reason", args=[citizen_with_nik.pk])
    client.post(reason_url, {"reason": "Verifikasi NIK di loket MPP"})
    client.get(reverse("admin:accounts_user_change", args=[citizen_with_nik.pk]))
    row = AccessLogEntry.objects.values().get()
    assert "6471051508900001" not in str(row)


# --- what the citizen sees ------------------------------------------------------------------------


def test_the_citizen_sees_who_looked_and_citizen_b_sees_nothing(citizen, citizen_b):
    officer = staff("dpu", full_name="Budi Petugas")
    complaint = road_complaint(citizen)
    browser(officer).get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    body = api_for(citizen).get(ME_LOG).json()
    assert [
        (r["staff_name"], r["agency"], r["object_type_label"], r["object_ref"], r["reason_kind"])
        for r in body["results"]
    ] == [
        (
            "Budi Petugas",
            Agency.objects.get(code="dpu").name,
            "Complaint",
            complaint.tracking_number,
            "work_item",
        )
    ]
    assert api_for(citizen_b).get(ME_LOG).json()["results"] == []
    assert api_for().get(ME_LOG).status_code == 401
    page = browser(citizen).get(reverse("portal:access-log"))
    assert page.status_code == 200 and "Budi Petugas" in page.content.decode()
    assert (
        "Budi Petugas" not in browser(citizen_b).get(reverse("portal:access-log")).content.decode()
    )


def test_the_citizens_log_is_paged_and_its_queries_do_not_grow(citizen, django_assert_num_queries):
    officer = staff("dpu")
    api = api_for(citizen)
    for size in (1, 25):
        AccessLogEntry.objects.all().delete()
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                staff=officer,
                staff_name="Budi",
                agency=Agency.objects.get(code="dpu"),
                subject=citizen,
                object_type="complaints.complaint",
                object_ref=f"ADU-{n}",
                reason_kind="work_item",
                reason="Penanganan berkas",
                channel="admin",
            )
            for n in range(size)
        )
        # 1 the page of entries with their agency joined (cursor paging: no count)
        with django_assert_num_queries(1):
            body = api.get(ME_LOG).json()
        assert len(body["results"]) == min(size, 20)
    assert body["next"]
    rest = api.get(body["next"]).json()
    assert len(rest["results"]) == 5


def test_a_junk_page_query_is_a_400_in_the_shared_shape(citizen):
    response = api_for(citizen).get(ME_LOG, {"page_size": "lots"})
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"


# --- what agency admins see ----------------------------------------------------------------------


def test_agency_admins_see_only_their_agencys_entries(citizen):
    complaint = road_complaint(citizen)
    browser(staff("dpu")).get(f"/admin/complaints/complaint/{complaint.pk}/change/")
    entry = AccessLogEntry.objects.get()
    url = "/admin/accounts/accesslogentry/"
    dpu_admin = browser(staff("dpu", Role.AGENCY_ADMIN))
    listing = dpu_admin.get(url, {"q": complaint.tracking_number})
    assert listing.status_code == 200 and complaint.tracking_number in listing.content.decode()
    assert dpu_admin.get(f"{url}{entry.pk}/change/").status_code == 200
    dlh_admin = browser(staff("dlh", Role.AGENCY_ADMIN))
    assert complaint.tracking_number not in dlh_admin.get(url).content.decode()
    assert dlh_admin.get(f"{url}{entry.pk}/change/").status_code == 302  # "not found" redirect
    # a counter officer has no access to the log at all; nobody may edit or delete an entry
    assert browser(staff("dpu")).get(url).status_code == 403
    assert dpu_admin.post(f"{url}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_log_list_queries_do_not_grow(citizen):
    admin_client = browser(staff("dpu", Role.AGENCY_ADMIN))
    officer = staff("dpu")
    url = "/admin/accounts/accesslogentry/"
    admin_client.get(url)  # the session's first-use writes happen here
    counts = []
    for size in (1, 10):
        AccessLogEntry.objects.all().delete()
        AccessLogEntry.objects.bulk_create(
            AccessLogEntry(
                staff=officer,
                staff_name="Budi",
                agency=Agency.objects.get(code="dpu"),
                subject=citizen,
                object_type="complaints.complaint",
                object_ref=f"ADU-{n}",
                reason_kind="work_item",
                reason="Penanganan berkas",
                channel="admin",
            )
            for n in range(size)
        )
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="field-staff_name"') == size
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- the other modules' hooks ---------------------------------------------------------------------


def test_a_civil_registry_request_opened_by_staff_is_logged_in_api_and_admin(
    seeded, settings, tmp_path
):
    from tests.civil_registry.conftest import NIK_SITI, birth_request

    settings.MEDIA_ROOT = tmp_path
    owner = UserFactory(nik=NIK_SITI)
    request = birth_request(owner, submit=True)
    officer = staff("disdukcapil")
    assert (
        api_for(officer).get(f"/api/v1/pencatatan-sipil/requests/{request.uuid}/").status_code
        == 200
    )
    page = browser(officer).get(f"/admin/civil_registry/civilrequest/{request.pk}/change/")
    assert page.status_code == 200
    assert (
        entries()
        == [
            (
                officer.pk,
                "disdukcapil",
                owner.pk,
                "civil_registry.civilrequest",
                request.tracking_number,
            )
        ]
        * 2
    )
    assert list(AccessLogEntry.objects.order_by("id").values_list("channel", flat=True)) == [
        "api",
        "admin",
    ]


def test_a_household_opened_at_the_counter_is_logged_for_every_member_with_an_account(seeded):
    from tests.factories import HouseholdFactory, HouseholdMemberFactory

    head, spouse = UserFactory(), UserFactory()
    household = HouseholdFactory(recorded_by=head)
    HouseholdMemberFactory(household=household, user=spouse)
    HouseholdMemberFactory(household=household)  # a child without an account
    officer = staff("disdukcapil")
    page = browser(officer).get(f"/admin/accounts/household/{household.pk}/change/")
    assert page.status_code == 200
    rows = AccessLogEntry.objects.order_by("subject_id")
    assert [(r.subject_id, r.object_ref, r.reason_kind) for r in rows] == [
        (head.pk, str(household.uuid), "service"),
        (spouse.pk, str(household.uuid), "service"),
    ]


def test_bills_and_payments_opened_by_revenue_staff_are_logged_for_the_linked_citizens(seeded):
    from tests.payments.factories import midtrans_payment, revenue_staff

    payer, co_owner = UserFactory(), UserFactory()
    payment = midtrans_payment(payer)
    from payments.models import PropertyLink

    PropertyLink.objects.create(user=co_owner, tax_object=payment.bill.tax_object)
    officer = revenue_staff()
    client = api_for(officer)
    assert client.get(f"/api/v1/pembayaran/payments/{payment.uuid}/").status_code == 200
    assert entries() == [(officer.pk, "bppdrd", payer.pk, "payments.payment", payment.order_id)]
    AccessLogEntry.objects.all().delete()
    assert (
        browser(officer).get(f"/admin/payments/bill/{payment.bill.pk}/change/").status_code == 200
    )
    assert sorted(AccessLogEntry.objects.values_list("subject_id", flat=True)) == sorted(
        [payer.pk, co_owner.pk]
    )
    # the payer's own look writes nothing
    AccessLogEntry.objects.all().delete()
    assert api_for(payer).get(f"/api/v1/pembayaran/payments/{payment.uuid}/").status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_a_health_ticket_opened_in_the_admin_is_logged_for_the_patient(seeded):
    from health import services as health_services
    from tests.health.factories import SessionFactory

    dkk = Agency.objects.get(code="dkk")
    session = SessionFactory(service_point__facility__agency=dkk)
    patient = UserFactory()
    ticket = health_services.ticket_book(actor=patient, session=session, payer="bpjs")
    officer = staff("dkk")
    assert browser(officer).get(f"/admin/health/ticket/{ticket.pk}/change/").status_code == 200
    assert entries() == [(officer.pk, "dkk", patient.pk, "health.ticket", ticket.code)]

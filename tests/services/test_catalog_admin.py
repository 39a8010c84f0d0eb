"""The catalog in the staff admin: agency admins maintain their own agency's services, and only
those; every change reaches the public catalog at once."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AgencyMembership
from services.catalog.models import LifeEvent, Service, ServiceRequirement
from tests.factories import AgencyFactory, StaffFactory
from tests.services.test_catalog_factories import (
    CategoryFactory,
    RequirementFactory,
    ServiceFactory,
    grant_agency_admin_catalog_permissions,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:catalog_service_changelist")
ADD = reverse("admin:catalog_service_add")


def change_url(service) -> str:
    return reverse("admin:catalog_service_change", args=[service.pk])


@pytest.fixture(autouse=True)
def _catalog_permissions(monkeypatch):
    grant_agency_admin_catalog_permissions(monkeypatch)


@pytest.fixture
def mine():
    return AgencyFactory(code="disdukcapil", short_name="Disdukcapil")


@pytest.fixture
def theirs():
    return AgencyFactory(code="bppdrd", short_name="BPPDRD")


@pytest.fixture
def agency_admin(client, mine):
    staff = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    client.force_login(staff)
    return staff


def form_data(service: Service | None = None, requirements=(), **overrides) -> dict:
    """What the change form posts: the service's fields, then its requirements inline."""
    values = {
        "code": "surat_baru",
        "slug": "",
        "agency": "",
        "category": CategoryFactory().pk,
        "is_active": "on",
        "name_id": "Surat Baru",
        "name_en": "New letter",
        "description_id": "Surat.",
        "description_en": "A letter.",
        "keywords": "",
        "fee": "0",
        "fee_note_id": "",
        "fee_note_en": "",
        "sla_amount": "",
        "sla_unit": "",
        "module_slug": "",
        "at_mpp": "on",
        "how_to_id": "",
        "how_to_en": "",
        "legal_basis": "",
        "contact": "",
        "popularity": "0",
    }
    if service is not None:
        values.update(
            code=service.code,
            slug=service.slug,
            agency=service.agency_id,
            category=service.category_id,
            name_id=service.name_id,
            name_en=service.name_en,
            description_id=service.description_id,
            description_en=service.description_en,
            fee="" if service.fee is None else str(service.fee),
            popularity=str(service.popularity),
        )
    values.update(overrides)
    values = {k: v for k, v in values.items() if v is not False}
    existing = list(service.requirements.all()) if service is not None and service.pk else []
    rows = [*existing, *requirements]
    values.update(
        {
            "requirements-TOTAL_FORMS": str(len(rows)),
            "requirements-INITIAL_FORMS": str(len(existing)),
            "requirements-MIN_NUM_FORMS": "0",
            "requirements-MAX_NUM_FORMS": "1000",
        }
    )
    for number, row in enumerate(rows):
        prefix = f"requirements-{number}-"
        if isinstance(row, ServiceRequirement):
            values.update(
                {
                    f"{prefix}id": row.pk,
                    f"{prefix}service": service.pk,
                    f"{prefix}position": row.position,
                    f"{prefix}text_id": row.text_id,
                    f"{prefix}text_en": row.text_en,
                }
            )
        else:
            values.update(
                {
                    f"{prefix}position": number + 1,
                    f"{prefix}text_id": row[0],
                    f"{prefix}text_en": row[1],
                }
            )
    return values


# --- Scoping -------------------------------------------------------------------------------------


def test_an_agency_admin_lists_only_their_agencys_services(client, agency_admin, mine, theirs):
    ServiceFactory(agency=mine, name_id="Akta Kelahiran")
    ServiceFactory(agency=theirs, name_id="Pajak Bumi dan Bangunan")

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [s.name_id for s in response.context["cl"].result_list] == ["Akta Kelahiran"]


def test_another_agencys_service_is_a_404(client, agency_admin, theirs):
    service = ServiceFactory(agency=theirs, fee=0)

    assert client.get(change_url(service)).status_code == 404
    response = client.post(change_url(service), form_data(service, fee="1"))
    assert response.status_code == 404
    assert Service.objects.get(pk=service.pk).fee == 0
    history = reverse("admin:catalog_service_history", args=[service.pk])
    assert client.get(history).status_code == 404


def test_an_agency_admin_can_only_choose_their_agency(client, agency_admin, mine, theirs):
    form = client.get(ADD).context["adminform"].form
    assert list(form.fields["agency"].queryset) == [mine]

    response = client.post(ADD, form_data(agency=theirs.pk))

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Service.objects.exists()


def test_an_agency_admin_cannot_move_their_service_to_another_agency(
    client, agency_admin, mine, theirs
):
    service = ServiceFactory(agency=mine)

    response = client.post(change_url(service), form_data(service, agency=theirs.pk))

    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert Service.objects.get(pk=service.pk).agency == mine


def test_an_agency_admin_adds_a_service_with_its_requirements(client, agency_admin, mine):
    response = client.post(
        ADD,
        form_data(
            agency=mine.pk,
            module_slug="pencatatan-sipil",
            requirements=[("KTP-el", "e-KTP"), ("KK", "Family card")],
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    service = Service.objects.get(code="surat_baru")
    assert (service.agency, service.slug, service.channels) == (
        mine,
        "surat-baru",
        ["online", "mpp"],
    )
    assert list(service.requirements.values_list("text_id", flat=True)) == ["KTP-el", "KK"]


def test_an_unknown_module_is_a_clear_form_error(client, agency_admin, mine):
    response = client.post(ADD, form_data(agency=mine.pk, module_slug="no-such-module"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["module_slug"]
    assert "no-such-module" in errors[0]
    assert not Service.objects.exists()


def test_the_code_is_read_only_for_agency_admins(client, agency_admin, mine):
    service = ServiceFactory(agency=mine, code="kode_tetap")

    response = client.post(change_url(service), form_data(service, code="kode_lain", fee="500"))

    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.code, service.fee) == ("kode_tetap", 500)


def test_staff_without_the_role_see_nothing(client, mine):
    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=mine)
    client.force_login(officer)
    service = ServiceFactory(agency=mine)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(service)).status_code in (403, 404)


def test_a_superuser_sees_every_agency(client, mine, theirs):
    client.force_login(StaffFactory(is_superuser=True))
    ServiceFactory(agency=mine)
    ServiceFactory(agency=theirs)

    response = client.get(CHANGELIST)

    assert response.context["cl"].result_count == 2


def test_life_events_and_categories_are_for_superusers(client, agency_admin):
    assert client.get(reverse("admin:catalog_lifeevent_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_category_changelist")).status_code == 403

    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("admin:catalog_lifeevent_changelist")).status_code == 200
    assert client.get(reverse("admin:catalog_lifeevent_add")).status_code == 200


# --- Actions and the public catalog --------------------------------------------------------------


def test_withdraw_and_show_again_with_the_actions(client, agency_admin, mine, theirs):
    own = ServiceFactory(agency=mine)
    other = ServiceFactory(agency=theirs)

    client.post(
        CHANGELIST, {"action": "deactivate", "_selected_action": [own.pk, other.pk]}, follow=True
    )

    assert Service.objects.get(pk=own.pk).is_active is False
    assert Service.objects.get(pk=other.pk).is_active is True  # not in their list: untouched

    client.post(CHANGELIST, {"action": "activate", "_selected_action": [own.pk]}, follow=True)
    assert Service.objects.get(pk=own.pk).is_active is True


def test_an_admin_edit_reaches_the_cached_catalog_at_once(client, agency_admin, mine):
    service = ServiceFactory(agency=mine, name_id="Nama Lama", fee=0)
    RequirementFactory(service=service, position=1, text_id="KK", text_en="KK")
    api = APIClient()
    assert api.get("/api/v1/catalog/home/").json()["service_count"] == 1
    detail = f"/api/v1/catalog/services/{service.slug}/"
    assert [r["text"] for r in api.get(detail).json()["requirements"]] == ["KK"]
    assert api.get("/api/v1/catalog/services/", {"q": "zebra"}).json()["count"] == 0

    response = client.post(
        change_url(service),
        form_data(service, name_id="Surat Zebra", requirements=[("Surat kuasa", "Power")]),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert [r["text"] for r in api.get(detail).json()["requirements"]] == ["KK", "Surat kuasa"]
    assert api.get("/api/v1/catalog/services/", {"q": "zebra"}).json()["count"] == 1

    client.post(CHANGELIST, {"action": "deactivate", "_selected_action": [service.pk]})
    assert api.get("/api/v1/catalog/home/").json()["service_count"] == 0


def test_a_superuser_edits_a_life_event_and_the_catalog_follows(client):
    client.force_login(StaffFactory(is_superuser=True))
    service = ServiceFactory(code="akta_kelahiran")
    api = APIClient()
    assert api.get("/api/v1/catalog/home/").json()["life_events"] == []

    response = client.post(
        reverse("admin:catalog_lifeevent_add"),
        {
            "slug": "kelahiran",
            "name_id": "Kelahiran anak",
            "name_en": "A baby is born",
            "description_id": "Langkah.",
            "description_en": "Steps.",
            "icon": "",
            "position": "1",
            "is_active": "on",
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "0",
            "steps-MIN_NUM_FORMS": "0",
            "steps-MAX_NUM_FORMS": "1000",
            "steps-0-position": "1",
            "steps-0-service": service.pk,
            "steps-0-note_id": "",
            "steps-0-note_en": "",
        },
    )

    assert response.status_code == 302
    assert LifeEvent.objects.get().steps.count() == 1
    events = api.get("/api/v1/catalog/home/").json()["life_events"]
    assert [(e["slug"], e["step_count"]) for e in events] == [("kelahiran", 1)]


# --- Query budget -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_changelist_query_count_does_not_grow(
    client, agency_admin, mine, size, django_assert_num_queries
):
    for _ in range(size):
        ServiceFactory(agency=mine)
    client.get(CHANGELIST)  # warm: the session's own first-request writes

    # 1 session, 2 user, 3–7 allauth's user-session tracking (savepoint, select, user, update,
    # release), 8 user permissions, 9 group permissions, 10 agency roles (AgencyRoleBackend),
    # 11 categories for the category filter, 12 agencies for the agency filter (only those in
    # the admin's list), 13 filtered count, 14 total count, 15 the page of services JOIN agency
    # JOIN category — each scoped by a subquery on the admin's agencies; 16 the user's authenticator app (staff need 2FA, accounts.mfa).
    # The same at 1 and 20.
    with django_assert_num_queries(16):
        response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == size


def test_renaming_a_category_reaches_the_cached_catalog(client):
    client.force_login(StaffFactory(is_superuser=True))
    service = ServiceFactory(category=CategoryFactory(name_id="Kependudukan"))
    api = APIClient()
    assert api.get("/api/v1/catalog/home/").json()["categories"][0]["name"] == "Kependudukan"

    response = client.post(
        reverse("admin:catalog_category_change", args=[service.category_id]),
        {
            "slug": "kependudukan",
            "name_id": "Adminduk",
            "name_en": "Population",
            "icon": "id-card",
            "position": "1",
        },
    )

    assert response.status_code == 302
    assert api.get("/api/v1/catalog/home/").json()["categories"][0]["name"] == "Adminduk"

"""The catalog's rules: what a service must say, who may change it, and the demo seed."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.models import AgencyMembership
from services import registry
from services.catalog import services
from services.catalog.cache import VERSION_KEY
from services.catalog.exceptions import CatalogNotAllowed, ServiceInvalid
from services.catalog.models import LifeEvent, LifeEventStep, Service, ServiceRequirement
from services.catalog.texts import fee_text, format_rupiah, sla_text
from services.data.catalog import LIFE_EVENTS, SERVICES
from tests.factories import AgencyFactory, StaffFactory
from tests.services.test_catalog_factories import (
    CategoryFactory,
    ServiceFactory,
    seed_agencies,
    seed_everything,
)

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    values = {
        "code": "surat_uji",
        "agency": AgencyFactory(),
        "category": CategoryFactory(),
        "name_id": "Surat Uji",
        "name_en": "Test letter",
        "description_id": "Surat untuk pengujian.",
        "description_en": "A letter for testing.",
        "fee": 0,
        "at_mpp": True,
    }
    values.update(overrides)
    return values


# --- Validation -------------------------------------------------------------------------------


def test_a_service_is_created_with_its_slug_from_the_code():
    service = services.service_create(actor=None, **_fields())

    service.refresh_from_db()
    assert (service.code, service.slug, service.channels) == ("surat_uji", "surat-uji", ["mpp"])


def test_an_online_service_names_a_registered_module():
    service = services.service_create(actor=None, **_fields(module_slug="pencatatan-sipil"))

    assert service.channels == ["online", "mpp"]
    assert service.is_online is True


def test_an_unknown_module_is_refused_with_the_known_ones_listed():
    with pytest.raises(ServiceInvalid) as caught:
        services.service_create(actor=None, **_fields(module_slug="no-such-module"))

    message = caught.value.detail["module_slug"][0]
    assert "no-such-module" in message
    assert "pencatatan-sipil" in message
    assert not Service.objects.exists()


def test_a_code_claimed_by_one_module_cannot_name_another(monkeypatch):
    module = registry.ServiceModule(
        slug="uji-modul", name="Uji", agency_code="dlh", service_codes=("surat_uji",)
    )
    monkeypatch.setitem(registry._modules, "uji-modul", module)

    with pytest.raises(ServiceInvalid) as caught:
        services.service_create(actor=None, **_fields(module_slug="pembayaran"))

    assert "uji-modul" in caught.value.detail["module_slug"][0]
    assert services.service_create(actor=None, **_fields(module_slug="uji-modul")).pk


def test_a_service_needs_a_channel():
    with pytest.raises(ServiceInvalid) as caught:
        services.service_create(actor=None, **_fields(at_mpp=False, at_office=False))

    assert "__all__" in caught.value.detail
    assert not Service.objects.exists()


@pytest.mark.parametrize(
    ("amount", "unit"),
    [(3, ""), (None, Service.SlaUnit.WORKING_DAYS)],
    ids=["no-unit", "no-amount"],
)
def test_the_service_level_time_needs_both_amount_and_unit(amount, unit):
    with pytest.raises(ServiceInvalid):
        services.service_create(actor=None, **_fields(sla_amount=amount, sla_unit=unit))
    assert not Service.objects.exists()


@pytest.mark.parametrize("code", ["A", "akta-kelahiran", "1kk", "akta kelahiran", "x" * 65])
def test_malformed_codes_are_refused(code):
    with pytest.raises(ServiceInvalid) as caught:
        services.service_create(actor=None, **_fields(code=code))
    assert "code" in caught.value.detail


def test_texts_of_fee_and_service_level_time():
    free = ServiceFactory.build(fee=0)
    paid = ServiceFactory.build(fee=30000)
    varies = ServiceFactory.build(fee=None, fee_note_id="Sesuai SPPT", fee_note_en="As billed")
    noted = ServiceFactory.build(fee=0, fee_note_id="di KUA", fee_note_en="at the KUA")
    timed = ServiceFactory.build(sla_amount=14, sla_unit="working_days")

    assert format_rupiah(1250000) == "Rp 1.250.000"
    assert [fee_text(s, "id") for s in (free, paid, varies, noted)] == [
        "Gratis",
        "Rp 30.000",
        "Sesuai SPPT",
        "Gratis (di KUA)",
    ]
    assert [fee_text(s, "en") for s in (free, paid, varies, noted)] == [
        "Free",
        "Rp 30.000",
        "As billed",
        "Free (at the KUA)",
    ]
    assert (sla_text(timed, "id"), sla_text(timed, "en")) == ("14 hari kerja", "14 working days")
    assert sla_text(free, "id") == ""


# --- Who may change a service ------------------------------------------------------------------


def test_an_agency_admin_updates_their_own_agencys_service():
    mine = AgencyFactory()
    admin = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    service = ServiceFactory(agency=mine, fee=0)

    services.service_update(actor=admin, service=service, fee=5000, name_en="Renamed")

    service.refresh_from_db()
    assert (service.fee, service.name_en) == (5000, "Renamed")


def test_an_agency_admin_cannot_touch_another_agencys_service():
    mine, theirs = AgencyFactory(), AgencyFactory()
    admin = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    service = ServiceFactory(agency=theirs, fee=0)

    with pytest.raises(CatalogNotAllowed):
        services.service_update(actor=admin, service=service, fee=5000)
    with pytest.raises(CatalogNotAllowed):
        services.service_set_active(actor=admin, service=service, is_active=False)

    service.refresh_from_db()
    assert (service.fee, service.is_active) == (0, True)


def test_an_agency_admin_cannot_move_a_service_to_another_agency():
    mine, theirs = AgencyFactory(), AgencyFactory()
    admin = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    service = ServiceFactory(agency=mine)

    with pytest.raises(CatalogNotAllowed):
        services.service_update(actor=admin, service=service, agency=theirs)

    assert Service.objects.get(pk=service.pk).agency == mine


def test_a_counter_officer_cannot_change_their_agencys_services():
    mine = AgencyFactory()
    officer = StaffFactory(role=AgencyMembership.Role.COUNTER_OFFICER, role__agency=mine)
    service = ServiceFactory(agency=mine, fee=0)

    with pytest.raises(CatalogNotAllowed):
        services.service_update(actor=officer, service=service, fee=1)

    assert Service.objects.get(pk=service.pk).fee == 0


def test_only_a_superuser_changes_a_code():
    mine = AgencyFactory()
    admin = StaffFactory(role=AgencyMembership.Role.AGENCY_ADMIN, role__agency=mine)
    service = ServiceFactory(agency=mine, code="kode_lama")

    service.code = "kode_baru"
    with pytest.raises(CatalogNotAllowed):
        services.service_save(actor=admin, service=service, fields=["code"])
    assert Service.objects.get(pk=service.pk).code == "kode_lama"

    services.service_save(actor=StaffFactory(is_superuser=True), service=service, fields=["code"])
    assert Service.objects.get(pk=service.pk).code == "kode_baru"


def test_update_refuses_fields_it_does_not_know():
    service = ServiceFactory()
    with pytest.raises(ValueError, match="code"):
        services.service_update(actor=None, service=service, code="lain")


def test_requirements_are_replaced_in_order():
    service = ServiceFactory()
    services.service_set_requirements(actor=None, service=service, requirements=[("Lama", "Old")])

    services.service_set_requirements(
        actor=None,
        service=service,
        requirements=[("KTP-el", "e-KTP"), ("Surat kuasa", "Power of attorney", True)],
    )

    assert list(
        ServiceRequirement.objects.filter(service=service).values_list(
            "position", "text_id", "text_en", "is_optional"
        )
    ) == [(1, "KTP-el", "e-KTP", False), (2, "Surat kuasa", "Power of attorney", True)]


def test_every_write_replaces_the_catalog_version():
    service = ServiceFactory()
    before = cache.get(VERSION_KEY)

    services.service_set_active(actor=None, service=service, is_active=False)

    assert cache.get(VERSION_KEY) not in (None, before)


def test_a_change_to_an_agency_replaces_the_catalog_version():
    agency = AgencyFactory()
    before = cache.get(VERSION_KEY)

    agency.short_name = "Baru"
    agency.save()

    assert cache.get(VERSION_KEY) not in (None, before)


def test_the_model_clean_runs_in_forms_too():
    service = ServiceFactory.build(
        agency=AgencyFactory(), category=CategoryFactory(), module_slug="nope"
    )
    with pytest.raises(ValidationError) as caught:
        service.full_clean()
    assert set(caught.value.message_dict) == {"module_slug"}


# --- The demo seed ----------------------------------------------------------------------------


def test_the_seed_loads_a_realistic_catalog_and_can_run_again():
    counts = seed_everything()
    again = seed_everything()

    assert (
        counts
        == again
        == {
            "categories": 14,
            "services": len(SERVICES),
            "agencies": 35,
            "online": 11,
            "life_events": 4,
        }
    )
    assert Service.objects.count() == len(SERVICES) >= 60
    assert Service.objects.values("agency").distinct().count() == 35
    assert LifeEvent.objects.count() == 4
    assert LifeEventStep.objects.count() == sum(len(event[4]) for event in LIFE_EVENTS)
    assert ServiceRequirement.objects.filter(service__code="akta_kelahiran").count() == 5
    online = dict(Service.objects.exclude(module_slug="").values_list("code", "module_slug"))
    assert online == {
        "akta_kelahiran": "pencatatan-sipil",
        "kk": "pencatatan-sipil",
        "kia": "pencatatan-sipil",
        "pindah_datang": "pencatatan-sipil",
        "pindah_keluar": "pencatatan-sipil",
        "ktp_el_cetak_ulang": "pencatatan-sipil",
        "akta_kematian": "pencatatan-sipil",
        "pbb": "pembayaran",
        "retribusi": "pembayaran",
        "antrean_puskesmas": "kesehatan",
        "pengaduan": "pengaduan",
    }


def test_every_seeded_service_passes_its_own_validation_and_names_a_known_agency():
    seed_agencies()
    from services.catalog.seeding import seed_catalog

    seed_catalog()
    for service in Service.objects.select_related("agency", "category"):
        service.full_clean()
    top = [
        code
        for code in Service.objects.order_by("-popularity").values_list("agency__code", flat=True)
    ][:20]
    # The MPP's busiest counters (domain facts §4.3) are among the most used services.
    assert {"disdukcapil", "dpmptsp", "bankaltimtara", "bpjs-kesehatan", "polresta"} <= set(top)

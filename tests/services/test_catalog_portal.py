"""The catalog on the web portal: list and search (a plain GET form), a page per service, a page
per life event. Indonesian by default."""

import html
import re

import pytest

from services.activity import activity_record
from tests.factories import AgencyFactory, UserFactory
from tests.services.test_catalog_factories import (
    CategoryFactory,
    LifeEventFactory,
    LifeEventStepFactory,
    RequirementFactory,
    ServiceFactory,
    seed_everything,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, tags stripped and spaces collapsed."""
    markup = response.content.decode()
    markup = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", markup, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture
def akta():
    service = ServiceFactory(
        code="akta_kelahiran",
        agency=AgencyFactory(
            code="disdukcapil",
            short_name="Disdukcapil",
            name="Dinas Kependudukan dan Pencatatan Sipil",
        ),
        category=CategoryFactory(),
        name_id="Akta Kelahiran",
        name_en="Birth certificate",
        fee=0,
        sla_amount=1,
        sla_unit="working_days",
        module_slug="pencatatan-sipil",
        keywords="akte lahir",
        legal_basis="UU No. 24 Tahun 2013",
    )
    RequirementFactory(service=service, position=1, text_id="KK orang tua", text_en="Parents' KK")
    RequirementFactory(
        service=service, position=2, text_id="Buku nikah", text_en="Marriage book", is_optional=True
    )
    return service


def test_the_catalog_page_lists_services_by_category_and_the_life_events(client, akta):
    event = LifeEventFactory(slug="kelahiran", name_id="Kelahiran anak")
    LifeEventStepFactory(life_event=event, position=1, service=akta)

    response = client.get("/layanan/")

    assert response.status_code == 200
    page = text(response)
    assert "Layanan kota" in page
    assert "Kelahiran anak" in page and 'href="/peristiwa/kelahiran/"' in response.content.decode()
    assert "Kependudukan" in page and "Akta Kelahiran" in page
    assert 'href="/layanan/katalog/akta-kelahiran/"' in response.content.decode()
    assert response.content.decode().count("<h1") == 1
    assert 'for="id_q"' in response.content.decode()


def test_searching_with_the_form(client, akta):
    ServiceFactory(code="akta_kematian", name_id="Akta Kematian", category=akta.category)

    response = client.get("/layanan/", {"q": "akte lahir"})

    assert response.status_code == 200
    assert [s["code"] for s in response.context["results"]][:1] == ["akta_kelahiran"]
    assert "ditemukan untuk “akte lahir”" in text(response)


def test_a_search_without_matches_says_so(client, akta):
    response = client.get("/layanan/", {"q": "qwrtzx"})

    assert response.status_code == 200
    assert response.context["results"] == []
    assert "Tidak ada layanan yang cocok" in text(response)


def test_a_too_long_search_is_a_400_with_the_error_on_the_field(client, akta):
    response = client.get("/layanan/", {"q": "a" * 201})

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_service_page(client, akta):
    response = client.get("/layanan/katalog/akta-kelahiran/")

    assert response.status_code == 200
    page = text(response)
    assert "Akta Kelahiran" in page
    assert "KK orang tua" in page
    assert "Buku nikah (hanya jika berlaku)" in page
    assert "Biaya Gratis" in page
    assert "1 hari kerja" in page
    assert "UU No. 24 Tahun 2013" in page
    html = response.content.decode()
    assert '<a class="button" href="/layanan/pencatatan-sipil/">Ajukan online</a>' in html
    assert "Mal Pelayanan Publik" in page


def test_a_counter_only_service_has_no_online_button(client):
    service = ServiceFactory(module_slug="", at_mpp=False, at_office=True, fee=30000)

    response = client.get(f"/layanan/katalog/{service.slug}/")

    assert "Ajukan online" not in text(response)
    assert "Rp 30.000" in text(response)


def test_the_service_page_in_english(client, akta):
    response = client.get("/layanan/katalog/akta-kelahiran/", HTTP_ACCEPT_LANGUAGE="en")

    page = text(response)
    assert "Birth certificate" in page and "Parents' KK" in page and "Free" in page


def test_unknown_or_withdrawn_services_are_404(client, akta):
    withdrawn = ServiceFactory(is_active=False)
    assert client.get("/layanan/katalog/no-such-service/").status_code == 404
    assert client.get(f"/layanan/katalog/{withdrawn.slug}/").status_code == 404
    assert client.get("/peristiwa/no-such-event/").status_code == 404


def test_a_life_event_page_shows_progress_to_the_citizen(client, akta):
    kia = ServiceFactory(code="kia", name_id="Kartu Identitas Anak")
    event = LifeEventFactory(slug="kelahiran", name_id="Kelahiran anak")
    LifeEventStepFactory(life_event=event, position=1, service=akta)
    LifeEventStepFactory(life_event=event, position=2, service=kia)
    citizen = UserFactory()
    activity_record(
        owner=citizen,
        obj=akta,
        module="pencatatan-sipil",
        tracking_number="DUK-2026-000001",
        title="Akta Kelahiran",
        state="completed",
        state_label="Selesai",
        is_open=False,
        service_code="akta_kelahiran",
    )

    anonymous = client.get("/peristiwa/kelahiran/")
    assert "untuk melihat langkah yang sudah Anda selesaikan" in text(anonymous)
    assert "Selesai" not in text(anonymous)

    client.force_login(citizen)
    signed_in = client.get("/peristiwa/kelahiran/")
    page = text(signed_in)
    assert "Anda sudah menyelesaikan 1 dari 2 langkah." in page
    assert [s["is_done"] for s in signed_in.context["event"]["steps"]] == [True, False]


@pytest.mark.parametrize("size", [1, 20])
def test_the_catalog_page_query_count_does_not_grow(client, size, django_assert_num_queries):
    for _ in range(size):
        ServiceFactory()
    client.get("/layanan/")

    # None: the page is rendered from the cached catalog snapshot.
    with django_assert_num_queries(0):
        response = client.get("/layanan/")

    assert len(response.context["categories"][0]["services"]) == size


def test_the_demo_catalog_page_and_search(client):
    seed_everything()

    listing = client.get("/layanan/")
    search = client.get("/layanan/", {"q": "akte lahir"})

    assert listing.status_code == 200
    assert len(listing.content) < 150 * 1024
    assert search.context["results"][0]["code"] == "akta_kelahiran"

"""``/api/v1/catalog/…``: public, in the request's language, filtered strictly, cached, with a
constant number of queries."""

import pytest
from rest_framework.test import APIClient

from services.activity import activity_record
from services.catalog import services
from services.catalog.models import Service
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

LIST = "/api/v1/catalog/services/"
HOME = "/api/v1/catalog/home/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def disdukcapil():
    return AgencyFactory(
        code="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
    )


@pytest.fixture
def akta(disdukcapil):
    service = ServiceFactory(
        code="akta_kelahiran",
        agency=disdukcapil,
        category=CategoryFactory(),
        name_id="Akta Kelahiran",
        name_en="Birth certificate",
        description_id="Pencatatan kelahiran.",
        description_en="Registration of a birth.",
        fee=0,
        sla_amount=1,
        sla_unit="working_days",
        module_slug="pencatatan-sipil",
        at_mpp=True,
        at_office=True,
        legal_basis="UU No. 24 Tahun 2013",
        keywords="akte lahir, birth certificate",
        popularity=900,
    )
    RequirementFactory(service=service, position=1, text_id="KK orang tua", text_en="Parents' KK")
    RequirementFactory(
        service=service,
        position=2,
        text_id="Buku nikah",
        text_en="Marriage book",
        is_optional=True,
    )
    return service


def codes(response) -> list[str]:
    return [item["code"] for item in response.json()["results"]]


def warm(api, url=LIST):
    """Fill the caches a first request fills (switched-off modules, the catalog snapshot)."""
    assert api.get(url).status_code == 200


AKTA_SUMMARY_ID = {
    "code": "akta_kelahiran",
    "slug": "akta-kelahiran",
    "name": "Akta Kelahiran",
    "description": "Pencatatan kelahiran.",
    "category": {"slug": "kependudukan", "name": "Kependudukan"},
    "agency": {
        "code": "disdukcapil",
        "short_name": "Disdukcapil",
        "name": "Dinas Kependudukan dan Pencatatan Sipil",
    },
    "fee": 0,
    "fee_text": "Gratis",
    "sla": {"amount": 1, "unit": "working_days", "text": "1 hari kerja"},
    "channels": ["online", "mpp", "office"],
    "module_slug": "pencatatan-sipil",
    "online_url": "/layanan/pencatatan-sipil/",
    "page_url": "/layanan/katalog/akta-kelahiran/",
}


# --- List and detail ---------------------------------------------------------------------------


def test_the_list_is_public_and_indonesian_by_default(api, akta):
    response = api.get(LIST)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Accept-Language" in response["Vary"]
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [AKTA_SUMMARY_ID],
    }


def test_english_on_request(api, akta):
    item = api.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert (item["name"], item["description"], item["fee_text"], item["sla"]["text"]) == (
        "Birth certificate",
        "Registration of a birth.",
        "Free",
        "1 working day",
    )
    assert item["category"]["name"] == "Population"


def test_an_empty_english_text_falls_back_to_indonesian(api):
    ServiceFactory(name_id="Surat Keterangan", name_en="")

    item = api.get(LIST, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert item["name"] == "Surat Keterangan"


def test_the_detail_has_requirements_and_where_and_how(api, akta):
    response = api.get("/api/v1/catalog/services/akta-kelahiran/")

    assert response.status_code == 200
    assert response.json() == {
        **AKTA_SUMMARY_ID,
        "requirements": [
            {"text": "KK orang tua", "is_optional": False},
            {"text": "Buku nikah", "is_optional": True},
        ],
        "how_to": "",
        "legal_basis": "UU No. 24 Tahun 2013",
        "contact": "",
    }


def test_withdrawn_services_and_those_of_inactive_agencies_are_not_public(api, akta):
    ServiceFactory(code="ditarik", is_active=False)
    ServiceFactory(code="opd_tutup", agency=AgencyFactory(is_active=False))

    assert codes(api.get(LIST)) == ["akta_kelahiran"]
    for slug in ("ditarik", "opd-tutup", "no-such-service"):
        response = api.get(f"/api/v1/catalog/services/{slug}/")
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"


def test_a_switched_off_module_hides_the_online_channel(api, akta):
    from services.models import ModuleState

    ModuleState.objects.create(slug="pencatatan-sipil", is_enabled=False)

    item = api.get(LIST).json()["results"][0]
    assert (item["channels"], item["module_slug"], item["online_url"]) == (
        ["mpp", "office"],
        None,
        None,
    )
    assert api.get(LIST, {"online": "true"}).json()["count"] == 0


# --- Filters, ordering and bad input -------------------------------------------------------------


@pytest.fixture
def three(akta):
    health = CategoryFactory(slug="kesehatan", name_id="Kesehatan", name_en="Health")
    ServiceFactory(
        code="antrean_puskesmas",
        agency=AgencyFactory(code="dkk", short_name="DKK"),
        category=health,
        module_slug="kesehatan",
        at_mpp=False,
        at_office=True,
        fee=0,
        popularity=700,
    )
    ServiceFactory(
        code="skck",
        agency=AgencyFactory(code="polresta", short_name="Polresta Balikpapan"),
        category=CategoryFactory(slug="kepolisian", name_id="Kepolisian", name_en="Police"),
        at_mpp=True,
        at_office=False,
        fee=30000,
        popularity=600,
    )
    return akta


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["akta_kelahiran", "antrean_puskesmas", "skck"]),
        ({"category": "kesehatan"}, ["antrean_puskesmas"]),
        ({"agency": "polresta"}, ["skck"]),
        ({"channel": "online"}, ["akta_kelahiran", "antrean_puskesmas"]),
        ({"channel": "mpp"}, ["akta_kelahiran", "skck"]),
        ({"channel": "office"}, ["akta_kelahiran", "antrean_puskesmas"]),
        ({"online": "true"}, ["akta_kelahiran", "antrean_puskesmas"]),
        ({"online": "false"}, ["skck"]),
        ({"online": "true", "category": "kependudukan"}, ["akta_kelahiran"]),
        ({"ordering": "-fee"}, ["skck", "akta_kelahiran", "antrean_puskesmas"]),
        ({"ordering": "popularity"}, ["skck", "antrean_puskesmas", "akta_kelahiran"]),
        ({"q": "akte lahir"}, ["akta_kelahiran"]),
        ({"q": "akte lahir", "category": "kesehatan"}, []),
    ],
)
def test_filters(api, three, params, expected):
    response = api.get(LIST, params)

    assert response.status_code == 200
    assert codes(response) == expected


def test_ordering_by_name_follows_the_language(api):
    ServiceFactory(code="satu", name_id="Akta", name_en="Zebra permit")
    ServiceFactory(code="dua", name_id="Zona", name_en="Alpha permit")

    assert codes(api.get(LIST, {"ordering": "name"})) == ["satu", "dua"]
    assert codes(api.get(LIST, {"ordering": "name"}, HTTP_ACCEPT_LANGUAGE="en")) == ["dua", "satu"]


@pytest.mark.parametrize(
    ("params", "attr", "code"),
    [
        ({"category": "no-such-category"}, "category", "invalid_choice"),
        ({"agency": "no-such-agency"}, "agency", "invalid_choice"),
        ({"channel": "pigeon"}, "channel", "invalid_choice"),
        ({"online": "yes"}, "online", "invalid_choice"),
        ({"ordering": "price"}, "ordering", "invalid_choice"),
        ({"q": "akta " * 41}, "q", "max_length"),
        ({"limit": "lots"}, "limit", "invalid"),
        ({"offset": "-1"}, "offset", "invalid"),
    ],
)
def test_bad_input_is_a_400_in_the_shared_shape(api, three, params, attr, code):
    response = api.get(LIST, params)

    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert [(e["attr"], e["code"]) for e in body["errors"]] == [(attr, code)]


def test_search_on_the_demo_catalog(api):
    seed_everything()

    assert codes(api.get(LIST, {"q": "akte lahir"}))[0] == "akta_kelahiran"
    assert codes(api.get(LIST, {"q": "birth certificate"}, HTTP_ACCEPT_LANGUAGE="en"))[0] == (
        "akta_kelahiran"
    )
    assert codes(api.get(LIST, {"q": "ktp hilang"}))[0] == "ktp_el_cetak_ulang"
    assert codes(api.get(LIST, {"q": "pajak bumi"}))[0] == "pbb"
    assert codes(api.get(LIST, {"q": "pengadun"}))[0] == "pengaduan"
    junk = api.get(LIST, {"q": "qwrtzx plmkjn"})
    assert (junk.status_code, junk.json()["count"], junk.json()["results"]) == (200, 0, [])
    # An explicit ordering replaces the relevance order but keeps the matches.
    by_fee = api.get(LIST, {"q": "akte lahir", "ordering": "fee"}).json()
    assert by_fee["count"] == api.get(LIST, {"q": "akte lahir"}).json()["count"]


def test_a_new_service_is_found_at_once(api, akta):
    assert codes(api.get(LIST, {"q": "paspor"})) == []

    services.service_create(
        actor=None,
        code="paspor",
        agency=AgencyFactory(),
        category=akta.category,
        name_id="Paspor",
        name_en="Passport",
        description_id="Paspor biasa.",
        description_en="Ordinary passport.",
        fee=350000,
        at_mpp=True,
    )

    assert codes(api.get(LIST, {"q": "paspor"})) == ["paspor"]


def test_a_changed_service_shows_in_a_cached_search_at_once(api, akta):
    warm(api, f"{LIST}?q=akta")
    assert api.get(LIST, {"q": "akta"}).json()["results"][0]["name"] == "Akta Kelahiran"

    services.service_update(actor=None, service=akta, name_id="Akta Kelahiran Anak")

    assert api.get(LIST, {"q": "akta"}).json()["results"][0]["name"] == "Akta Kelahiran Anak"
    services.service_set_active(actor=None, service=akta, is_active=False)
    assert api.get(LIST, {"q": "akta"}).json()["count"] == 0
    assert api.get(LIST).json()["count"] == 0


def test_spellings_of_one_search_share_the_cached_answer(api, three, django_assert_num_queries):
    first = api.get(LIST, {"q": "Akte  LAHIR!"})

    with django_assert_num_queries(0):
        again = api.get(LIST, {"q": "akta lahir"})

    assert again.json() == first.json()
    assert again.json()["results"] != []


def test_the_cache_never_turns_a_bad_value_into_an_answer(api, three):
    """Answers are cached under the words of ``q``; a ``q`` the filter refuses, and values that
    only look like an absent one, are still 400s after the valid twin was cached."""
    warm(api, f"{LIST}?q=akta")
    warm(api)

    too_long = api.get(LIST, {"q": "akta" + " !" * 120})
    nul = api.get(LIST, {"q": "akta\x00"})
    none = api.get(LIST, {"category": "None"})

    assert [r.status_code for r in (too_long, nul, none)] == [400, 400, 400]
    assert [e["attr"] for e in none.json()["errors"]] == ["category"]


def test_cached_pages_link_to_their_neighbours_for_each_request(api):
    for _ in range(3):
        ServiceFactory()
    warm(api, f"{LIST}?limit=1&offset=1")

    body = api.get(LIST, {"limit": 1, "offset": 1}, HTTP_HOST="localhost").json()

    assert body["count"] == 3
    assert body["next"] == "http://localhost/api/v1/catalog/services/?limit=1&offset=2"
    assert body["previous"] == "http://localhost/api/v1/catalog/services/?limit=1"


# --- Query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 20])
def test_the_list_query_count_does_not_grow(api, size, django_assert_num_queries):
    for _ in range(size):
        ServiceFactory()
    warm(api)

    # A page not asked for since the catalog last changed:
    # 1. COUNT of the public services (pagination)
    # 2. the page of services JOIN agency JOIN category
    with django_assert_num_queries(2):
        response = api.get(LIST, {"limit": 50})

    assert response.json()["count"] == size
    # The same page again comes from the cache: no query.
    with django_assert_num_queries(0):
        again = api.get(LIST, {"limit": 50})
    assert again.json() == response.json()


@pytest.mark.parametrize("size", [1, 20])
def test_a_filtered_search_query_count_does_not_grow(api, size, django_assert_num_queries):
    category = CategoryFactory()
    for n in range(size):
        ServiceFactory(category=category, name_id=f"Surat keterangan {n}", keywords="domisili")
    warm(api, f"{LIST}?q=domisili")

    # 1. the category named by ?category= (validation of the filter)
    # 2. COUNT of the matches
    # 3. the page of matches JOIN agency JOIN category, in relevance order
    # (the search itself runs on the cached index: no query)
    with django_assert_num_queries(3):
        response = api.get(LIST, {"q": "domisili", "category": category.slug})

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 20])
def test_the_detail_query_count_does_not_grow(api, size, django_assert_num_queries):
    service = ServiceFactory()
    for n in range(size):
        RequirementFactory(service=service, position=n)
    warm(api)

    # 1. the service JOIN agency JOIN category, 2. its requirements
    with django_assert_num_queries(2):
        response = api.get(f"/api/v1/catalog/services/{service.slug}/")

    assert len(response.json()["requirements"]) == size


@pytest.mark.parametrize("size", [1, 20])
def test_the_categories_query_count_does_not_grow(api, size, django_assert_num_queries):
    for n in range(size):
        ServiceFactory(category=CategoryFactory(slug=f"kategori-{n}"))
    warm(api)

    # 1. COUNT of the categories, 2. the page of categories with their public-service counts
    with django_assert_num_queries(2):
        response = api.get("/api/v1/catalog/categories/")

    assert response.json()["count"] == size
    assert {item["service_count"] for item in response.json()["results"]} == {1}


# --- Categories and the home screen ------------------------------------------------------------


def test_categories_count_public_services_only(api, three):
    ServiceFactory(code="ditarik", category=three.category, is_active=False)

    response = api.get("/api/v1/catalog/categories/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["results"] == [
        {"slug": "kependudukan", "name": "Population", "icon": "id-card", "service_count": 1},
        {"slug": "kepolisian", "name": "Police", "icon": "id-card", "service_count": 1},
        {"slug": "kesehatan", "name": "Health", "icon": "id-card", "service_count": 1},
    ]


def test_the_home_screen_in_one_call(api, three):
    event = LifeEventFactory(slug="kelahiran", name_id="Kelahiran anak", name_en="A baby is born")
    LifeEventStepFactory(life_event=event, position=1, service=three)

    response = api.get(HOME)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert [c["slug"] for c in body["categories"]] == ["kependudukan", "kepolisian", "kesehatan"]
    assert [s["code"] for s in body["featured"]] == ["akta_kelahiran", "antrean_puskesmas", "skck"]
    assert body["featured"][0] == AKTA_SUMMARY_ID
    assert body["life_events"] == [
        {
            "slug": "kelahiran",
            "name": "Kelahiran anak",
            "description": "Langkah demi langkah.",
            "icon": "",
            "step_count": 1,
            "done_count": None,
            "page_url": "/peristiwa/kelahiran/",
        }
    ]
    assert [(a["code"], a["short_name"], a["service_count"]) for a in body["agencies"]] == [
        ("disdukcapil", "Disdukcapil", 1),
        ("dkk", "DKK", 1),
        ("polresta", "Polresta Balikpapan", 1),
    ]
    assert body["service_count"] == 3


def test_the_home_screen_is_cached_per_language(api, three, django_assert_num_queries):
    first = api.get(HOME).json()

    with django_assert_num_queries(0):
        second = api.get(HOME).json()
    english = api.get(HOME, HTTP_ACCEPT_LANGUAGE="en").json()

    assert second == first
    assert english["featured"][0]["name"] == "Birth certificate"
    with django_assert_num_queries(0):
        assert api.get(HOME, HTTP_ACCEPT_LANGUAGE="en").json() == english


def test_any_catalog_change_renews_the_home_screen(api, three):
    assert api.get(HOME).json()["service_count"] == 3

    services.service_set_active(
        actor=None, service=Service.objects.get(code="skck"), is_active=False
    )
    assert api.get(HOME).json()["service_count"] == 2

    three.agency.short_name = "Dukcapil"
    three.agency.save()
    assert api.get(HOME).json()["featured"][0]["agency"]["short_name"] == "Dukcapil"


def test_the_home_screen_of_the_demo_catalog(api):
    seed_everything()

    body = api.get(HOME).json()

    assert body["service_count"] >= 60
    assert len(body["agencies"]) >= 20
    assert [e["slug"] for e in body["life_events"]] == [
        "pindah-ke-balikpapan",
        "kelahiran",
        "kematian",
        "membuka-usaha",
    ]
    assert len(body["featured"]) == 8
    assert body["featured"][0]["code"] == "akta_kelahiran"


# --- Life events ---------------------------------------------------------------------------------


@pytest.fixture
def birth(akta):
    kia = ServiceFactory(code="kia", name_id="Kartu Identitas Anak", popularity=10)
    bpjs = ServiceFactory(code="bpjs_kesehatan_bayi", name_id="JKN bayi", popularity=5)
    event = LifeEventFactory(slug="kelahiran", name_id="Kelahiran anak", name_en="A baby is born")
    LifeEventStepFactory(life_event=event, position=1, service=akta, note_id="Dalam 60 hari")
    LifeEventStepFactory(life_event=event, position=2, service=kia)
    LifeEventStepFactory(life_event=event, position=3, service=bpjs, is_optional=True)
    return event


def done(owner, service, *, state="completed", is_open=False):
    activity_record(
        owner=owner,
        obj=service,
        module="pencatatan-sipil",
        tracking_number=f"DUK-2026-{service.pk:06d}",
        title=service.name_id,
        state=state,
        state_label=state,
        is_open=is_open,
        service_code=service.code,
    )


def test_anonymous_visitors_see_the_journey_without_progress(api, birth):
    response = api.get("/api/v1/catalog/life-events/kelahiran/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    body = response.json()
    assert (body["name"], body["step_count"], body["done_count"]) == ("Kelahiran anak", 3, None)
    assert [
        (s["position"], s["service"]["code"], s["is_done"], s["is_optional"]) for s in body["steps"]
    ] == [
        (1, "akta_kelahiran", False, False),
        (2, "kia", False, False),
        (3, "bpjs_kesehatan_bayi", False, True),
    ]
    assert body["steps"][0]["note"] == "Dalam 60 hari"
    assert body["steps"][0]["service"] == AKTA_SUMMARY_ID


def test_a_citizen_sees_which_steps_they_have_done(api, birth):
    citizen, neighbour = UserFactory(), UserFactory()
    done(citizen, Service.objects.get(code="akta_kelahiran"))
    done(citizen, Service.objects.get(code="kia"), state="submitted", is_open=True)  # still open
    done(citizen, Service.objects.get(code="bpjs_kesehatan_bayi"), state="rejected")
    done(neighbour, Service.objects.get(code="kia"))  # someone else's
    api.force_authenticate(citizen)

    detail = api.get("/api/v1/catalog/life-events/kelahiran/")
    listed = api.get("/api/v1/catalog/life-events/").json()["results"]

    assert detail["Cache-Control"] == "private, no-cache"
    assert [s["is_done"] for s in detail.json()["steps"]] == [True, False, False]
    assert detail.json()["done_count"] == 1
    assert [(e["slug"], e["step_count"], e["done_count"]) for e in listed] == [("kelahiran", 3, 1)]


@pytest.mark.parametrize("size", [1, 10])
def test_life_event_query_count_does_not_grow(api, birth, size, django_assert_num_queries):
    citizen = UserFactory()
    for n in range(size):
        step_service = ServiceFactory(popularity=n)
        LifeEventStepFactory(life_event=birth, position=10 + n, service=step_service)
        done(citizen, step_service)
    api.force_authenticate(citizen)
    warm(api, "/api/v1/catalog/life-events/kelahiran/")

    # 1. the codes of the citizen's completed activity items (the journey itself is cached)
    with django_assert_num_queries(1):
        response = api.get("/api/v1/catalog/life-events/kelahiran/")

    assert response.json()["done_count"] == size


def test_an_unknown_life_event_is_a_404(api):
    response = api.get("/api/v1/catalog/life-events/no-such-event/")
    assert response.status_code == 404


def test_a_step_whose_service_is_withdrawn_leaves_the_journey(api, birth):
    services.service_set_active(
        actor=None, service=Service.objects.get(code="kia"), is_active=False
    )

    body = api.get("/api/v1/catalog/life-events/kelahiran/").json()

    assert [s["service"]["code"] for s in body["steps"]] == [
        "akta_kelahiran",
        "bpjs_kesehatan_bayi",
    ]


# --- Throttling -----------------------------------------------------------------------------


def test_anonymous_lookups_are_throttled(api, akta, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": "2/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    statuses = [api.get(LIST, {"q": "akta"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert api.get(HOME).status_code == 429

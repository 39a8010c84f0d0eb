import pytest
from django.core.exceptions import ImproperlyConfigured

from services import registry
from services.registry import ServiceModule


@pytest.fixture
def clean_registry():
    before = dict(registry._modules)
    yield
    registry._modules.clear()
    registry._modules.update(before)


def test_the_four_domain_modules_are_registered():
    assert {m.slug for m in registry.modules()} >= {
        "pencatatan-sipil",
        "pembayaran",
        "kesehatan",
        "pengaduan",
    }


def test_a_second_module_with_the_same_slug_is_refused(clean_registry):
    registry.register(ServiceModule(slug="uji-a", name="A", agency_code="dlh"))
    with pytest.raises(ImproperlyConfigured, match="slug 'uji-a'"):
        registry.register(ServiceModule(slug="uji-a", name="B", agency_code="dlh"))


def test_a_service_code_claimed_twice_is_refused(clean_registry):
    registry.register(
        ServiceModule(slug="uji-a", name="A", agency_code="dlh", service_codes=("kode_x",))
    )
    with pytest.raises(ImproperlyConfigured, match=r"kode_x"):
        registry.register(
            ServiceModule(
                slug="uji-b", name="B", agency_code="dlh", service_codes=("kode_x", "kode_y")
            )
        )
    assert registry.get("uji-b") is None


@pytest.mark.parametrize("slug", ["", "A", "x", "with space", "-lead", "a" * 41])
def test_bad_slugs_are_refused(clean_registry, slug):
    with pytest.raises(ImproperlyConfigured):
        registry.register(ServiceModule(slug=slug, name="A", agency_code="dlh"))


def test_only_service_modules_can_be_registered(clean_registry):
    with pytest.raises(ImproperlyConfigured):
        registry.register({"slug": "uji"})

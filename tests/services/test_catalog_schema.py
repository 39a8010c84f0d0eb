"""The catalog's responses are built by plain functions (services.catalog.presenters); the schema's
serializers describe them. This checks real responses against the generated OpenAPI schema."""

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from services.activity import activity_record
from services.catalog.models import Service
from tests.factories import UserFactory
from tests.services.test_catalog_factories import seed_everything

pytestmark = pytest.mark.django_db


def _json_schema(node):
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes a ``null`` alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        node = {"anyOf": [node, {"type": "null"}]}
    return node


@pytest.fixture(scope="module")
def components():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return _json_schema(schema["components"])


def assert_matches(components, name: str, instance) -> None:
    jsonschema.validate(
        instance,
        {"$ref": f"#/components/schemas/{name}", "components": components},
        format_checker=None,
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_catalog_response_matches_the_schema(components, language):
    seed_everything()
    citizen = UserFactory()
    akta = Service.objects.get(code="akta_kelahiran")
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
    api = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    checks = [
        ("/api/v1/catalog/services/?limit=100", "PaginatedCatalogServiceSummaryList"),
        ("/api/v1/catalog/services/?q=akte+lahir", "PaginatedCatalogServiceSummaryList"),
        ("/api/v1/catalog/services/akta-kelahiran/", "CatalogServiceDetail"),
        ("/api/v1/catalog/services/pbb/", "CatalogServiceDetail"),
        ("/api/v1/catalog/categories/", "PaginatedCatalogCategoryList"),
        ("/api/v1/catalog/home/", "CatalogHome"),
        ("/api/v1/catalog/life-events/", "PaginatedCatalogLifeEventList"),
        ("/api/v1/catalog/life-events/kelahiran/", "CatalogLifeEventDetail"),
    ]
    for url, name in checks:
        response = api.get(url)
        assert response.status_code == 200, url
        assert_matches(components, name, response.json())

    api.force_authenticate(citizen)
    detail = api.get("/api/v1/catalog/life-events/kelahiran/").json()
    assert_matches(components, "CatalogLifeEventDetail", detail)
    assert detail["done_count"] == 1


def test_a_bad_filter_matches_the_documented_400(components):
    response = APIClient().get("/api/v1/catalog/services/", {"category": "nope"})

    assert response.status_code == 400
    assert_matches(components, "CatalogServicesListErrorResponse400", response.json())

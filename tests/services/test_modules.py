"""Mounting, tagging, switching off and installing modules from outside the repository."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from services import modules, registry
from services.models import ModuleState
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

EXTERNAL_MODULE_SCRIPT = """
import json
from django.core.management import call_command
from django.test import Client
import yaml
call_command("migrate", verbosity=0)
client = Client()
root = client.get("/api/v1/").json()
api = client.get("/api/v1/angkut-sampah/jadwal/")
portal = client.get("/layanan/angkut-sampah/")
schema = yaml.safe_load(client.get("/api/schema/?lang=en").content)
op = schema["paths"]["/api/v1/angkut-sampah/jadwal/"]["get"]
print(json.dumps({
    "listed": [m["slug"] for m in root["modules"]],
    "api": [api.status_code, api.json()],
    "portal": [portal.status_code, portal.content.decode()],
    "tags": op["tags"],
    "tag_names": [t["name"] for t in schema.get("tags", [])],
}))
"""


def test_an_agency_package_is_installed_by_a_setting_alone():
    env = {
        **os.environ,
        "SERVICE_MODULE_APPS": "tests.fixtures.agency_module",
        "DATABASE_URL": "sqlite://:memory:",
        "DJANGO_SETTINGS_MODULE": "balikpapan_untuk_warga.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", EXTERNAL_MODULE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert "angkut-sampah" in out["listed"]
    assert out["api"] == [200, {"days": ["senin", "kamis"]}]
    assert out["portal"] == [200, "jadwal angkut sampah"]
    assert out["tags"] == ["angkut-sampah"]
    assert "angkut-sampah" in out["tag_names"]


@pytest.fixture
def fake_module():
    module = registry.ServiceModule(
        slug="uji-modul",
        name="Uji",
        agency_code="dlh",
        version="3",
        check_config=lambda: [],
    )
    registry.register(module)
    yield module
    registry.unregister("uji-modul")


@pytest.mark.django_db
def test_a_module_cannot_be_enabled_before_passing_the_kit(fake_module):
    from balikpapan_untuk_warga.api.errors import ConflictError

    modules.module_disable(actor=None, slug="uji-modul")
    with pytest.raises(ConflictError) as exc:
        modules.module_enable(actor=None, slug="uji-modul")
    assert exc.value.get_codes() == "module_not_conformant"
    assert ModuleState.objects.get(slug="uji-modul").is_enabled is False

    modules.module_record_conformance(slug="uji-modul", version="2", passed=True, report=[])
    with pytest.raises(ConflictError):  # passed at an older version: not enough
        modules.module_enable(actor=None, slug="uji-modul")

    modules.module_record_conformance(slug="uji-modul", version="3", passed=True, report=[])
    assert modules.module_enable(actor=None, slug="uji-modul").is_enabled is True


@pytest.mark.django_db
def test_a_misconfigured_module_cannot_be_enabled(fake_module):
    from balikpapan_untuk_warga.api.errors import ConflictError

    registry.unregister("uji-modul")
    registry.register(
        registry.ServiceModule(
            slug="uji-modul",
            name="Uji",
            agency_code="dlh",
            version="3",
            check_config=lambda: ["QRIS merchant ID is not set"],
        )
    )
    modules.module_record_conformance(slug="uji-modul", version="3", passed=True, report=[])
    modules.module_disable(actor=None, slug="uji-modul")
    with pytest.raises(ConflictError) as exc:
        modules.module_enable(actor=None, slug="uji-modul")
    assert exc.value.get_codes() == "module_misconfigured"
    assert "QRIS merchant ID" in str(exc.value.detail)


@pytest.mark.django_db
def test_a_crashing_config_check_is_reported_not_raised():
    module = registry.ServiceModule(
        slug="x-mod", name="X", agency_code="dlh", check_config=lambda: 1 / 0
    )
    problems = modules.module_config_problems(module)
    assert len(problems) == 1 and problems[0].endswith(": ZeroDivisionError")


@pytest.mark.django_db(transaction=True)
def test_a_switched_off_module_answers_503(client, fake_module):
    cache.clear()
    modules.module_disable(actor=None, slug="uji-modul")
    response = client.get("/api/v1/uji-modul/anything/")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "module_disabled"
    assert client.get("/layanan/uji-modul/").status_code == 503
    listed = {m["slug"]: m["enabled"] for m in client.get("/api/v1/").json()["modules"]}
    assert listed["uji-modul"] is False


@pytest.mark.django_db
def test_admin_lists_modules_and_refuses_to_enable_a_non_conformant_one(client, fake_module):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    modules.module_disable(actor=None, slug="uji-modul")
    changelist = reverse("admin:services_modulestate_changelist")
    response = client.get(changelist)
    assert response.status_code == 200
    slugs = {state.slug for state in response.context["cl"].result_list}
    assert {"pencatatan-sipil", "pembayaran", "kesehatan", "pengaduan", "uji-modul"} <= slugs
    state = ModuleState.objects.get(slug="uji-modul")
    client.post(changelist, {"action": "enable", "_selected_action": [state.pk]})
    state.refresh_from_db()
    assert state.is_enabled is False


def test_reserved_and_malformed_service_codes_are_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        registry.register(registry.ServiceModule(slug="katalog", name="x", agency_code="dlh"))
    with pytest.raises(ImproperlyConfigured):
        registry.register(
            registry.ServiceModule(
                slug="ok-slug", name="x", agency_code="dlh", service_codes=("Bad Code",)
            )
        )
    assert registry.get("ok-slug") is None


@pytest.mark.django_db
def test_each_process_keeps_the_switched_off_modules_for_a_few_seconds(
    fake_module, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A switch made in another process (the shared cache cleared, this process's copy not)
    reaches this one once its copy is older than SERVICE_MODULES_LOCAL_SECONDS; a switch made
    here is seen here at once."""
    from balikpapan_untuk_warga import cache as local_copies

    settings.SERVICE_MODULES_LOCAL_SECONDS = 2
    clock = [1000.0]
    monkeypatch.setattr(local_copies.time, "monotonic", lambda: clock[0])
    assert "uji-modul" not in modules.disabled_slugs()

    ModuleState.objects.update_or_create(slug="uji-modul", defaults={"is_enabled": False})
    cache.delete(modules._DISABLED_CACHE_KEY)  # what the other process's commit does here
    clock[0] += 1.5
    assert "uji-modul" not in modules.disabled_slugs()  # this process's copy, 1.5 s old
    clock[0] += 1
    assert "uji-modul" in modules.disabled_slugs()

    modules.module_record_conformance(slug="uji-modul", version="3", passed=True, report=[])
    with django_capture_on_commit_callbacks(execute=True):
        modules.module_enable(actor=None, slug="uji-modul")
    assert "uji-modul" not in modules.disabled_slugs()  # same instant: no stale copy


def test_no_module_slug_can_shadow_a_platform_route():
    """The API's URLconf tries the modules' prefixes first: every first path segment of the
    platform's own routes must be a slug no module may take."""
    from django.urls import URLResolver, get_resolver

    api = next(p for p in get_resolver().url_patterns if getattr(p, "app_name", None) == "api")
    module_prefixes = {f"{m.slug}/" for m in registry.modules() if m.api_urlconf}

    def first_segments(patterns):
        for pattern in patterns:
            route = str(pattern.pattern)
            if route in module_prefixes:
                continue
            if isinstance(pattern, URLResolver) and route == "":
                yield from first_segments(pattern.url_patterns)
            elif route:
                yield route.split("/", 1)[0]

    segments = set(first_segments(api.url_patterns))
    assert segments and segments <= registry.RESERVED_SLUGS, segments - registry.RESERVED_SLUGS

"""startservicemodule generates a module that passes its own tests and the conformance kit;
the kit fails a module that leaks one citizen's object to another."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[2]


def _env(parent: Path, name: str, database: str = "") -> dict[str, str]:
    return {
        **os.environ,
        "SERVICE_MODULE_APPS": name,
        "PYTHONPATH": str(parent),
        # The generated module runs on its own SQLite, apart from this suite's database.
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": "",
        "BUW_REQUIRE_ALL": "",
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    parent = tmp_path_factory.mktemp("modules")
    call_command(
        "startservicemodule",
        "izin_uji",
        str(parent),
        agency="dpmptsp",
        title="Test permit",
        title_id="Izin uji",
        verbosity=0,
    )
    return parent


def test_the_skeleton_has_every_part(generated):
    module = generated / "izin_uji"
    for part in [
        "apps.py",
        "models.py",
        "workflow.py",
        "services.py",
        "selectors.py",
        "api/views.py",
        "api/urls.py",
        "admin.py",
        "portal/views.py",
        "templates/izin_uji/application_list.html",
        "migrations/0001_initial.py",
        "locale/id/LC_MESSAGES/django.mo",
        "tests/test_module.py",
    ]:
        assert (module / part).is_file(), part
    assert 'slug="izin-uji"' in (module / "apps.py").read_text()
    assert 'prefix="IZI"' in (module / "services.py").read_text()


def test_the_generated_module_passes_its_own_tests(generated):
    result = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(generated / "izin_uji" / "tests"),
        ],
        _env(generated, "izin_uji"),
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout


def _conformance(parent: Path, name: str, slug: str) -> subprocess.CompletedProcess:
    env = _env(parent, name, database=f"sqlite:///{parent / f'{name}.sqlite3'}")
    manage = [sys.executable, "manage.py"]
    for step in (["migrate", "-v0"], ["seed_demo"]):
        done = _run(manage + step, env)
        assert done.returncode == 0, done.stderr[-3000:]
    return _run([*manage, "check_service_module", slug], env)


def test_the_generated_module_passes_the_conformance_kit(generated):
    result = _conformance(generated, "izin_uji", "izin-uji")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    for check in [
        "registered",
        "schema",
        "translations",
        "scoping",
        "activity",
        "no_personal_data_in_logs",
    ]:
        assert f"PASS {check}" in result.stdout


def test_the_kit_fails_a_module_that_shows_one_citizen_another_ones_object(tmp_path):
    call_command("startservicemodule", "izin_bocor", str(tmp_path), agency="dpmptsp", verbosity=0)
    selectors = tmp_path / "izin_bocor" / "selectors.py"
    selectors.write_text(
        selectors.read_text().replace("return queryset.filter(owner=user)", "return queryset")
    )
    result = _conformance(tmp_path, "izin_bocor", "izin-bocor")
    assert result.returncode != 0
    assert "FAIL scoping: owner 200, other citizen 200" in result.stdout


def test_bad_names_are_refused(tmp_path):
    with pytest.raises(CommandError):
        call_command("startservicemodule", "Izin-Reklame", str(tmp_path), verbosity=0)
    with pytest.raises(CommandError):
        call_command("startservicemodule", "izin_ok", str(tmp_path), prefix="X1", verbosity=0)
    assert not (tmp_path / "izin_ok").exists()

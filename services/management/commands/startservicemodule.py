"""Generate a working service module: models with a workflow, API, admin, portal pages,
translations, a migration and tests — ready to add to SERVICE_MODULE_APPS.

    python manage.py startservicemodule izin_reklame --agency dpmptsp \\
        --title "Billboard permit" --title-id "Izin reklame" ../agency-modules
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.templates import TemplateCommand

SKELETON = Path(__file__).resolve().parents[2] / "skeleton" / "module"


class Command(TemplateCommand):
    help = "Create a service module skeleton that passes its own tests and the conformance kit."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--slug", help="URL slug (default: the name with '-' for '_').")
        parser.add_argument("--agency", default="dpmptsp", help="Code of the handling agency.")
        parser.add_argument("--service-code", help="Catalog service code (default: the name).")
        parser.add_argument("--prefix", help="Tracking-number prefix, 2–5 letters.")
        parser.add_argument("--title", help="English title of the service.")
        parser.add_argument("--title-id", help="Indonesian title of the service.")

    def handle(self, **options) -> None:
        name = options.pop("name")
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,38}", name or ""):
            raise CommandError("The name must be a lowercase Python identifier, e.g. izin_reklame.")
        parent = Path(options.pop("directory") or os.getcwd()).resolve()
        target = parent / name
        if target.exists():
            raise CommandError(f"{target} already exists.")
        title = options.get("title") or name.replace("_", " ").capitalize()
        options.update(
            slug=options.get("slug") or name.replace("_", "-"),
            service_code=options.get("service_code") or name,
            prefix=(options.get("prefix") or re.sub(r"[^A-Z]", "", name.upper())[:3]).upper(),
            title=title,
            title_id=options.get("title_id") or title,
            template=str(SKELETON),
            extensions=["py", "html", "po"],
            files=[],
        )
        if not re.fullmatch(r"[A-Z]{2,5}", options["prefix"]):
            raise CommandError("The tracking-number prefix must be 2–5 letters (--prefix).")
        target.mkdir(parents=True)
        try:
            super().handle("app", name, str(target), **options)
            self._compile_messages(target)
            self._make_migration(name, parent)
        except Exception:
            shutil.rmtree(target, ignore_errors=True)
            raise
        self.stdout.write(
            f"Created {target}.\nAdd it with SERVICE_MODULE_APPS={name} (and {parent} on "
            f"PYTHONPATH), migrate, then run: manage.py check_service_module {options['slug']}"
        )

    def _compile_messages(self, target: Path) -> None:
        po = target / "locale" / "id" / "LC_MESSAGES" / "django.po"
        if shutil.which("msgfmt") is None:
            raise CommandError("msgfmt was not found: install gettext to compile the translation.")
        subprocess.run(["msgfmt", "--check", "-o", str(po.with_suffix(".mo")), str(po)], check=True)

    def _make_migration(self, name: str, parent: Path) -> None:
        env = {
            **os.environ,
            "SERVICE_MODULE_APPS": name,
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(parent), os.environ.get("PYTHONPATH")])
            ),
            "DATABASE_URL": "sqlite://:memory:",
        }
        result = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "makemigrations", name],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise CommandError(f"makemigrations failed:\n{result.stdout}{result.stderr}")

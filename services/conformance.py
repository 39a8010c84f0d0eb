"""The conformance kit: the contract every service module must pass before it can be switched on.

Checks, each reported as ``(name, passed, detail)``:

* ``registered`` — the module is in the registry and belongs to an installed app;
* ``schema`` — its API operations are in the OpenAPI schema, tagged with the module's slug;
* ``translations`` — every user-facing string of its app has an Indonesian translation;
* ``scoping`` — an object it creates for citizen A is 200 for A and 404 for citizen B (and not
  readable anonymously);
* ``activity`` — creating that object put an item in A's activity feed;
* ``no_personal_data_in_logs`` — nothing logged meanwhile contains A's NIK, phone or email.

The dynamic checks run in a transaction that is rolled back, so nothing they create survives and
no notification leaves (``on_commit`` never fires).
"""

from __future__ import annotations

import ast
import logging
import random
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils import translation

from services import registry

_TEMPLATE_STRING = re.compile(
    r"""{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<msg>.+?)(?P=q)""", re.DOTALL
)
_GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}


@dataclass
class CheckResult:
    name: str
    passed: bool
    detail: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "detail": self.detail}


class _Rollback(Exception):
    pass


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(record.getMessage())
        except Exception:
            self.lines.append(str(record.msg))


def module_app_config(module: registry.ServiceModule):
    if module.app_label:
        return apps.get_app_config(module.app_label)
    for dotted in (module.api_urlconf, module.portal_urlconf):
        if dotted:
            config = apps.get_containing_app_config(dotted)
            if config is not None:
                return config
    return None


def check_registered(module: registry.ServiceModule) -> CheckResult:
    config = module_app_config(module)
    if config is None:
        return CheckResult("registered", False, "No installed app contains the module's urlconfs.")
    return CheckResult("registered", True, config.name)


def check_schema(module: registry.ServiceModule) -> CheckResult:
    if not module.api_urlconf:
        return CheckResult("schema", True, "The module has no API.")
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    prefix = f"/api/v1/{module.slug}/"
    operations = [
        (path, method, operation)
        for path, methods in schema.get("paths", {}).items()
        if path.startswith(prefix)
        for method, operation in methods.items()
    ]
    if not operations:
        return CheckResult("schema", False, f"No operation under {prefix} is in the schema.")
    untagged = [f"{m.upper()} {p}" for p, m, op in operations if op.get("tags") != [module.slug]]
    if untagged:
        return CheckResult("schema", False, f"Not tagged {module.slug!r}: {untagged[:5]}")
    return CheckResult("schema", True, f"{len(operations)} operation(s)")


def _python_msgids(path: Path) -> set[str]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (SyntaxError, UnicodeDecodeError):
        return set()
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name | ast.Attribute)
            and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr)
            in _GETTEXT_NAMES
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def module_msgids(app_path: Path) -> set[str]:
    msgids: set[str] = set()
    for path in app_path.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        msgids |= _python_msgids(path)
    for path in app_path.rglob("*.html"):
        msgids |= {m["msg"] for m in _TEMPLATE_STRING.finditer(path.read_text(encoding="utf-8"))}
    for path in app_path.rglob("*.txt"):
        msgids |= {m["msg"] for m in _TEMPLATE_STRING.finditer(path.read_text(encoding="utf-8"))}
    return msgids


def check_translations(module: registry.ServiceModule) -> CheckResult:
    config = module_app_config(module)
    if config is None:
        return CheckResult("translations", False, "The module's app was not found.")
    catalog = translation.trans_real.translation("id")._catalog
    missing = sorted(m for m in module_msgids(Path(config.path)) if not catalog.get(m))
    if missing:
        return CheckResult(
            "translations",
            False,
            f"{len(missing)} string(s) without an Indonesian translation, e.g. {missing[:3]}",
        )
    return CheckResult("translations", True)


def _synthetic_nik() -> str:
    day, month = random.randint(1, 28), random.randint(1, 12)  # noqa: S311 — test data
    return f"647105{day:02d}{month:02d}90{random.randint(1, 9999):04d}"  # noqa: S311


def _citizen(label: str):
    from accounts.models import User

    suffix = random.randint(10**7, 10**8 - 1)  # noqa: S311 — test data, rolled back
    user = User(
        full_name=f"Warga Uji {label}",
        email=f"conformance-{label}-{suffix}@example.test",
        phone=f"+62811{suffix}",
        phone_verified=True,
    )
    user.set_nik(_synthetic_nik())
    user.set_unusable_password()
    user.save()
    return user


def check_dynamic(module: registry.ServiceModule) -> list[CheckResult]:
    if module.conformance_object is None:
        if module.api_urlconf:
            return [
                CheckResult(
                    "scoping",
                    False,
                    "The module has an API but no conformance_object hook to prove its scoping.",
                )
            ]
        return [CheckResult("scoping", True, "The module has no API.")]
    from rest_framework.test import APIClient

    results: list[CheckResult] = []
    capture = _Capture()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        with transaction.atomic():
            owner, other = _citizen("a"), _citizen("b")
            secrets = [owner.nik, owner.phone, owner.email]
            url = module.conformance_object(owner=owner)
            results.append(_check_scoping(APIClient, url, owner, other))
            results.append(_check_activity(module, owner))
            leaked = [line for line in capture.lines if any(s and s in line for s in secrets)]
            results.append(
                CheckResult(
                    "no_personal_data_in_logs",
                    not leaked,
                    f"{len(leaked)} log line(s) contain the citizen's NIK, phone or email"
                    if leaked
                    else f"{len(capture.lines)} log line(s) checked",
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    except Exception as exc:
        results.append(CheckResult("scoping", False, f"The module crashed: {type(exc).__name__}"))
    finally:
        root.removeHandler(capture)
        root.setLevel(previous_level)
    return results


def _check_scoping(client_class, url: str, owner, other) -> CheckResult:
    as_owner, as_other, anonymous = client_class(), client_class(), client_class()
    as_owner.force_authenticate(owner)
    as_other.force_authenticate(other)
    codes = (
        as_owner.get(url).status_code,
        as_other.get(url).status_code,
        anonymous.get(url).status_code,
    )
    passed = codes[0] == 200 and codes[1] == 404 and codes[2] in (401, 404)
    return CheckResult(
        "scoping",
        passed,
        f"owner {codes[0]}, other citizen {codes[1]}, anonymous {codes[2]} at {url}",
    )


def _check_activity(module: registry.ServiceModule, owner) -> CheckResult:
    from services.activity.models import ActivityItem

    count = ActivityItem.objects.filter(owner=owner, module=module.slug).count()
    return CheckResult("activity", count > 0, f"{count} activity item(s) for the owner")


def run_checks(module: registry.ServiceModule) -> list[CheckResult]:
    results = [check_registered(module), check_schema(module), check_translations(module)]
    results += check_dynamic(module)
    return results

"""``make audit``: pip-audit over the installed environment, honest about what it could check.

* the advisory source (PyPI's JSON API, pip-audit's default) cannot be reached: prints
  ``NOT AUDITED`` with the reason and exits 0 — never "no known vulnerabilities";
* reachable: runs ``pip-audit --strict`` (our own editable project skipped: it is not on PyPI)
  and exits with its status, non-zero on any known vulnerability or any package it could not
  check.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

TIMEOUT_SECONDS = 10


def advisory_source_error() -> str | None:
    """``None`` when PyPI's per-release JSON (where pip-audit reads the advisories) answers with
    a ``vulnerabilities`` list for an installed package, else why not. A mirror that serves the
    project page but not the release page (seen on these machines) counts as unreachable."""
    url = f"https://pypi.org/pypi/Django/{version('Django')}/json"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            data = json.load(response)
    except urllib.error.HTTPError as exc:
        return f"{url} answered HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        return f"{url} is unreachable or not JSON: {exc}"
    if not isinstance(data, dict) or not isinstance(data.get("vulnerabilities"), list):
        return f"{url} has no advisory data (no `vulnerabilities` list)"
    return None


def main() -> int:
    reason = advisory_source_error()
    if reason:
        bar = "=" * 72
        print(
            f"{bar}\nNOT AUDITED: no vulnerability advisory source reachable.\n{reason}\n"
            f"Nothing was checked; this is not a pass.\n{bar}"
        )
        return 0
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [
        str(pip_audit),
        "--strict",
        "--local",
        "--skip-editable",
        "--progress-spinner",
        "off",
    ]
    print("$", " ".join(command), flush=True)
    return subprocess.call(command)


if __name__ == "__main__":
    sys.exit(main())

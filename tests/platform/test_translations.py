"""The Indonesian catalog: complete, compiled, and used by default (English on request).

polib is not a project dependency, so the .po is read by the small parser below and the .mo by
the standard library (``struct`` for the whole table, ``gettext.GNUTranslations`` for spot checks).
"""

from __future__ import annotations

import ast
import gettext
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = ROOT / "locale" / "id" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"
# The project's catalog, and the catalogs that service-module apps ship inside their own folder.
CATALOGS = [PO, *sorted(ROOT.glob("*/locale/id/LC_MESSAGES/django.po"))]

# %(name)s, %d, {name}, and HTML tags must survive translation unchanged.
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^{}]*\}|</?[a-zA-Z][^>]*>")
KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")\s*$")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # msgstr is index 0 when not plural
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def parse_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (obsolete ``#~`` entries are skipped), header included."""
    entries: list[Entry] = []
    entry: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def finish():
        nonlocal entry
        if entry is not None:
            entries.append(entry)
        entry = None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            flags = set()
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue  # comments, references, previous msgids (#|) and obsolete entries (#~)
        if line.startswith('"'):
            assert target is not None, f"{path.name}:{number}: a string outside any keyword"
            name, index = target
            text = ast.literal_eval(line)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
            continue
        match = KEYWORD.match(line)
        assert match, f"{path.name}:{number}: cannot read {raw!r}"
        keyword, text = match.group(1), ast.literal_eval(match.group(2))
        if keyword in ("msgctxt", "msgid") and entry is not None and entry.msgstr:
            finish()  # a new entry right after the previous one, without a blank line
        if entry is None:
            entry, flags = Entry(flags=flags, line=number), set()
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = text
            target = ("msgstr", index)
        else:
            setattr(entry, keyword, text)
            target = (keyword, None)
    finish()
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """The raw table of a .mo file: original → translation, both as stored (NUL-joined)."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    assert struct.unpack(order + "I", data[:4])[0] == 0x950412DE, "not a .mo file"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def string(table: int, index: int) -> str:
        length, offset = struct.unpack(
            order + "2I", data[table + 8 * index : table + 8 * index + 8]
        )
        return data[offset : offset + length].decode("utf-8")

    return {string(originals, i): string(translations, i) for i in range(count)}


def mo_key(entry: Entry) -> str:
    key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
    return key if entry.msgctxt is None else f"{entry.msgctxt}\x04{key}"


def mo_value(entry: Entry) -> str:
    return "\0".join(entry.msgstr[i] for i in sorted(entry.msgstr))


@pytest.fixture(scope="module", params=CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def catalog(request) -> Path:
    return request.param


@pytest.fixture(scope="module")
def po_entries(catalog) -> list[Entry]:
    return parse_po(catalog)


def test_the_po_file_is_complete(po_entries, catalog):
    header, messages = po_entries[0], po_entries[1:]
    assert header.msgid == "" and not header.fuzzy, "the header must exist and not be fuzzy"
    assert "Language: id\n" in header.msgstr[0]
    assert "charset=UTF-8" in header.msgstr[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr[0]
    if catalog == PO:
        assert len(messages) > 300  # a sanity check that the parser read the whole file

    assert [e.msgid for e in messages if not e.translated] == [], "untranslated entries"
    assert [e.msgid for e in messages if e.fuzzy] == [], "fuzzy entries"
    assert [e.msgid for e in messages if e.msgid_plural and set(e.msgstr) != {0}] == [], (
        "Indonesian has one plural form: fill msgstr[0] only"
    )
    mismatched = [
        (e.msgid, text)
        for e in messages
        for text in e.msgstr.values()
        # Indonesian's single plural form stands for the English plural.
        if sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        != sorted(PLACEHOLDER.findall(text))
    ]
    assert mismatched == [], "placeholders must be kept exactly"


def header_fields(header: str) -> dict[str, str]:
    """The header's fields, less POT-Creation-Date: msgfmt drops it, and makemessages bumps it."""
    fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
    fields.pop("POT-Creation-Date", None)
    return {name.strip(): value.strip() for name, value in fields.items()}


def test_the_compiled_catalog_matches_the_po_file(po_entries, catalog):
    expected = {mo_key(e): mo_value(e) for e in po_entries if e.translated and not e.fuzzy}
    compiled = read_mo(catalog.with_suffix(".mo"))
    assert header_fields(compiled.pop("")) == header_fields(expected.pop(""))
    assert compiled == expected, (
        f"{catalog.with_suffix('.mo').relative_to(ROOT)} is out of date: run `make messages` "
        "and commit the .mo"
    )


def test_the_compiled_catalog_translates_known_strings():
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Log in") == "Masuk"
    assert catalog.gettext("Sign up") == "Daftar"
    assert catalog.gettext("Log out") == "Keluar"
    assert catalog.gettext("Delegation") == "Kuasa"
    assert catalog.gettext("Counter officer") == "Petugas loket"
    assert catalog.gettext("%(count)d NIK(s) verified.") == "%(count)d NIK berhasil diverifikasi."


def test_django_uses_the_project_catalog():
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
        assert translation.gettext("household (KK)") == "keluarga (KK)"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


ENGLISH_401 = "Authentication credentials were not provided."


@pytest.mark.django_db
def test_api_errors_are_indonesian_by_default_and_english_on_request(client):
    with translation.override("id"):
        indonesian = translation.gettext(ENGLISH_401)
    assert indonesian != ENGLISH_401

    default = client.get("/api/v1/me/")
    assert default.status_code == 401
    assert default.headers["Content-Language"] == "id"
    assert default.json()["errors"][0]["detail"] == indonesian

    english = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 401
    assert english.headers["Content-Language"] == "en"
    assert english.json()["errors"][0]["detail"] == ENGLISH_401

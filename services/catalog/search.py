"""Typo-tolerant search over the active catalog, in memory (about a hundred services).

Why not the database: the catalog is small, the same on every request, and must behave the same
on SQLite and PostgreSQL; people type "akte lahir" for *akta kelahiran*, mix Indonesian and
English, and make typos. So both the services and the query go through one pipeline:

1. **normalise**: lowercase, accents and punctuation off (``KTP-el`` → ``ktp el``);
2. **spelling variants** of Indonesian administrative words (``akte`` → ``akta``, ``ijin`` →
   ``izin``), and stop words dropped (``cara``, ``mengurus``, ``how``, ``the``);
3. **affix-light stemming**: one suffix (``-nya``, ``-kan``, ``-an``) and up to two prefixes
   (``ke-``, ``pe(N)-``, ``per-``, ``me(N)-``, ``ber-``, ``di-``, ``ter-``), so *kelahiran* →
   *lahir* and *kependudukan* → *duduk*; English plurals lose their ``s``. Both the word and its
   stem are indexed;
4. **match** each query word against the index vocabulary: exact (1.0), prefix of at least three
   letters (0.9), or fuzzy (rapidfuzz ratio ≥ 80, for words of five letters or more: 0.8 × ratio);
5. **rank**: services matching more of the query words first, then the weighted score (name and
   code 3, keywords 2.5, description, category and agency 1), then popularity.

Synonyms ("birth certificate", "surat lahir") live in each service's ``keywords``, maintained by
the agency with the service.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 12
FUZZY_CUTOFF = 80
FUZZY_MIN_LENGTH = 5
PREFIX_MIN_LENGTH = 3

SPELLING_VARIANTS = {
    "akte": "akta",
    "ijin": "izin",
    "perijinan": "perizinan",
    "sertipikat": "sertifikat",
    "sertifikasi": "sertifikat",
    "ektp": "ktp",
    "ktpel": "ktp",
    "antri": "antre",
    "antrian": "antrean",
    "nomer": "nomor",
    "propinsi": "provinsi",
    "pasport": "paspor",
    "pasfoto": "foto",
    "jamsostek": "bpjs",
    "puskemas": "puskesmas",
}

# fmt: off
STOP_WORDS = frozenset([
    "cara", "bagaimana", "gimana", "mengurus", "urus", "ngurus", "membuat", "buat", "bikin",
    "saya", "aku", "kami", "mau", "ingin", "di", "ke", "dari", "yang", "dan", "atau", "untuk",
    "dengan", "apa", "ini", "itu", "bisa", "mohon", "tolong", "syarat", "persyaratan",
    "the", "a", "an", "of", "for", "to", "how", "my", "i", "in", "at", "and", "or", "do", "get",
    "apply", "can", "what", "where", "is", "are",
])
PREFIXES = ("meng", "meny", "peng", "peny", "mem", "men", "pem", "pen", "per", "ber", "ter",
            "me", "pe", "di", "ke")
WEIGHTS = {"name": 3.0, "code": 3.0, "keywords": 2.5, "description": 1.0, "category": 1.0,
           "agency": 1.0}
# fmt: on


_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text).strip()


def stem(word: str) -> str:
    """An affix-light stem: good enough to meet *kelahiran* and *lahir*, never longer than the
    word. Indonesian first; an English plural ``s`` goes too."""
    if len(word) <= 4 or word.isdigit():
        return word
    word = _strip_suffix(word)
    for minimum in (3, 5):  # a second prefix only when a long root remains (ke-pen-duduk)
        for prefix in PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= minimum:
                word = word[len(prefix) :]
                break
        else:
            break
    return word


def _strip_suffix(word: str) -> str:
    """One suffix. ``-kan`` and ``-an`` look alike at the end of *kependudukan*: nouns made with
    ``ke-``/``pe-`` take ``-an`` (*ke-penduduk-an*), other words ending in ``-kan`` are mostly
    verbs (*daftar-kan*)."""
    if word.endswith("nya") and len(word) >= 7:
        return word[:-3]
    if word.endswith("an") and len(word) >= 6:
        if word.startswith(("ke", "pe")) or not word.endswith("kan"):
            return word[:-2]
        if len(word) >= 7:
            return word[:-3]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 5:
        return word[:-1]  # English plural
    return word


def words(text: str) -> list[str]:
    """The meaningful words of ``text``: normalised, spelling variants applied, stop words out."""
    result = []
    for word in normalise(text).split():
        word = SPELLING_VARIANTS.get(word, word)
        if word not in STOP_WORDS:
            result.append(word)
    return result


def query_words(query: str) -> list[str]:
    """What a search for ``query`` depends on, and all it depends on: its distinct words, in
    order, at most ``MAX_QUERY_WORDS`` ("Akte  lahir!" and "akta lahir" are the same search)."""
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


def forms(word: str) -> set[str]:
    return {word, stem(word)}


@dataclass
class SearchIndex:
    """For each vocabulary form: the documents it occurs in, with the best field weight."""

    postings: dict[str, dict[int, float]] = field(default_factory=dict)
    popularity: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)

    def add(self, doc_id: int, fields: dict[str, str], *, popularity: int, name: str) -> None:
        self.popularity[doc_id] = popularity
        self.names[doc_id] = name
        for field_name, text in fields.items():
            weight = WEIGHTS[field_name]
            for word in words(text):
                for form in forms(word):
                    docs = self.postings.setdefault(form, {})
                    if docs.get(doc_id, 0.0) < weight:
                        docs[doc_id] = weight

    def freeze(self) -> SearchIndex:
        self.vocabulary = sorted(self.postings)
        return self

    def _matches(self, word: str) -> dict[str, float]:
        """Vocabulary forms that match ``word`` and how well (0–1)."""
        quality: dict[str, float] = {}
        for form in forms(word):
            if form in self.postings:
                quality[form] = 1.0
        if len(word) >= PREFIX_MIN_LENGTH:
            for candidate in self.vocabulary:
                if candidate.startswith(word) and candidate not in quality:
                    quality[candidate] = 0.9
        if len(word) >= FUZZY_MIN_LENGTH:
            for form in forms(word):
                if len(form) < FUZZY_MIN_LENGTH - 1:
                    continue
                for candidate, score, _index in process.extract(
                    form,
                    self.vocabulary,
                    scorer=fuzz.ratio,
                    score_cutoff=FUZZY_CUTOFF,
                    limit=None,
                ):
                    quality[candidate] = max(quality.get(candidate, 0.0), 0.8 * score / 100)
        return quality

    def search(self, query: str) -> list[int]:
        """Document ids matching ``query``, best first; empty when nothing matches well enough."""
        searched = query_words(query)
        if not searched:
            return []
        matched: dict[int, int] = {}
        score: dict[int, float] = {}
        for word in searched:
            best: dict[int, float] = {}
            for form, quality in self._matches(word).items():
                for doc_id, weight in self.postings[form].items():
                    value = quality * weight
                    if value > best.get(doc_id, 0.0):
                        best[doc_id] = value
            for doc_id, value in best.items():
                matched[doc_id] = matched.get(doc_id, 0) + 1
                score[doc_id] = score.get(doc_id, 0.0) + value
        needed = math.ceil(len(searched) / 2)
        found = [doc_id for doc_id, count in matched.items() if count >= needed]
        found.sort(
            key=lambda d: (-matched[d], -round(score[d], 6), -self.popularity[d], self.names[d])
        )
        return found


def build_index(records: Iterable[dict]) -> SearchIndex:
    """An index of catalog records (the snapshot's service dicts, or seed data shaped alike)."""
    index = SearchIndex()
    for record in records:
        index.add(
            record["id"],
            {
                "code": record["code"].replace("_", " "),
                "name": f"{record['name_id']} {record['name_en']}",
                "keywords": record.get("keywords", ""),
                "description": f"{record['description_id']} {record['description_en']}",
                "category": record.get("category_text", ""),
                "agency": record.get("agency_text", ""),
            },
            popularity=record.get("popularity", 0),
            name=record["name_id"],
        )
    return index.freeze()

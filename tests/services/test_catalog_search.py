"""The catalog's tolerant search, on the demo catalog's own data (no database: the index is built
from the seed records exactly as from the cached snapshot)."""

import pytest

from services.catalog.search import (
    MAX_QUERY_WORDS,
    build_index,
    normalise,
    stem,
    words,
)
from services.data.catalog import CATEGORIES, SERVICES

CATEGORY_NAMES = {slug: f"{name_id} {name_en}" for slug, name_id, name_en, _icon in CATEGORIES}


@pytest.fixture(scope="module")
def index():
    records = [
        {
            **row,
            "id": number,
            "category_text": CATEGORY_NAMES[row["category"]],
            "agency_text": row["agency"],
        }
        for number, row in enumerate(SERVICES, start=1)
    ]
    built = build_index(records)
    built.codes = {record["id"]: record["code"] for record in records}
    return built


def search(index, query: str) -> list[str]:
    return [index.codes[doc_id] for doc_id in index.search(query)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("akte lahir", "akta_kelahiran"),  # spelling variant + stem of "kelahiran"
        ("Akta Kelahiran", "akta_kelahiran"),
        ("birth certificate", "akta_kelahiran"),  # English name
        ("ktp hilang", "ktp_el_cetak_ulang"),  # "kehilangan" is not the KTP-el
        ("KTP-el rusak", "ktp_el_cetak_ulang"),
        ("pajak bumi", "pbb"),
        ("bayar PBB", "pbb"),
        ("property tax", "pbb"),
        ("pengadun", "pengaduan"),  # a typo
        ("aduan jalan rusak", "pengaduan"),
        ("surat kelakuan baik", "skck"),  # a synonym in the keywords
        ("kartu kuning", "kartu_pencari_kerja"),
        ("imb", "pbg"),  # the permit's old name
        ("pindah ke balikpapan", "pindah_datang"),
        ("newcomer ikn", "pindah_datang"),
        ("kartu keluarga", "kk"),
        ("antri puskesmas", "antrean_puskesmas"),  # "antri" → "antre(an)"
        ("pasport", "paspor"),
        ("izin usaha", "nib"),
        ("ijin usaha", "nib"),
        ("sertipikat halal", "sertifikat_halal"),
        ("akta kematian", "akta_kematian"),
        ("cara mengurus akte kematian", "akta_kematian"),  # stop words dropped
    ],
)
def test_the_expected_service_comes_first(index, query, first):
    assert search(index, query)[0] == first


def test_more_matching_words_rank_higher(index):
    results = search(index, "akte lahir")
    # Every service that matches one word only comes after the one that matches both.
    assert results[0] == "akta_kelahiran"
    assert "akta_kematian" in results[1:]
    assert "bpjs_kesehatan_bayi" in results[1:]


@pytest.mark.parametrize(
    "query", ["qwrtzx plmkjn", "zzzzzz", "!!! ??? ...", "", "   ", "dan yang di"]
)
def test_junk_finds_nothing(index, query):
    assert search(index, query) == []


def test_a_very_long_query_is_cut_to_its_first_words(index):
    query = "akte lahir " + "xylophonequartz " * 200
    assert search(index, query)[0] == "akta_kelahiran"
    assert len(words(query)) > MAX_QUERY_WORDS


def test_normalisation_and_stemming():
    assert normalise("KTP-el, Akta (Kelahiran)!") == "ktp el akta kelahiran"
    assert normalise("Pelayanan Terpadu — Café") == "pelayanan terpadu cafe"
    assert words("Cara mengurus akte kelahiran di Balikpapan") == [
        "akta",
        "kelahiran",
        "balikpapan",
    ]
    assert [stem(w) for w in ["kelahiran", "kematian", "kehilangan", "pendaftaran"]] == [
        "lahir",
        "mati",
        "hilang",
        "daftar",
    ]
    assert [stem(w) for w in ["pendidikan", "perizinan", "daftarkan", "bangunan"]] == [
        "didik",
        "izin",
        "daftar",
        "bangun",
    ]
    assert [stem(w) for w in ["perpindahan", "pembayaran", "kependudukan", "certificates"]] == [
        "pindah",
        "bayar",
        "duduk",
        "certificate",
    ]
    # Short words and roots stay as they are.
    assert [stem(w) for w in ["kk", "pbb", "lahir", "pajak", "bumi"]] == [
        "kk",
        "pbb",
        "lahir",
        "pajak",
        "bumi",
    ]

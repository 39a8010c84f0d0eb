"""Kecamatan and kelurahan of Kota Balikpapan (Kemendagri codes, postal codes).

Source: cahyadsn/wilayah ``db/wilayah.sql`` (Kepmendagri No. 300.2.2-2430/2025) and
cahyadsn/wilayah_kodepos, as compiled in shared/domain-facts.md §4.1. Codes are opaque strings:
Balikpapan Selatan's are not contiguous because five kelurahan moved to Balikpapan Kota in 2012.
"""

KECAMATAN = [
    (
        "64.71.01",
        "Balikpapan Timur",
        [
            ("1001", "Manggar", "76116"),
            ("1002", "Lamaru", "76117"),
            ("1003", "Teritip", "76118"),
            ("1004", "Manggar Baru", "76116"),
        ],
    ),
    (
        "64.71.02",
        "Balikpapan Barat",
        [
            ("1001", "Baru Ilir", "76131"),
            ("1002", "Baru Tengah", "76132"),
            ("1003", "Baru Ulu", "76133"),
            ("1004", "Kariangau", "76134"),
            ("1005", "Margo Mulyo", "76131"),
            ("1006", "Marga Sari", "76131"),
        ],
    ),
    (
        "64.71.03",
        "Balikpapan Utara",
        [
            ("1001", "Batu Ampar", "76136"),
            ("1002", "Gunung Samarinda", "76125"),
            ("1003", "Karang Joang", "76127"),
            ("1004", "Muara Rapak", "76125"),
            ("1005", "Gunung Samarinda Baru", "76128"),
            ("1006", "Graha Indah", "76129"),
        ],
    ),
    (
        "64.71.04",
        "Balikpapan Tengah",
        [
            ("1001", "Gunung Sari Ulu", "76122"),
            ("1002", "Gunung Sari Ilir", "76121"),
            ("1003", "Karang Rejo", "76124"),
            ("1004", "Karang Jati", "76123"),
            ("1005", "Mekar Sari", "76122"),
            ("1006", "Sumber Rejo", "76124"),
        ],
    ),
    (
        "64.71.05",
        "Balikpapan Selatan",
        [
            ("1002", "Sepinggan", "76115"),
            ("1006", "Gunung Bahagia", "76114"),
            ("1008", "Sepinggan Baru", "76115"),
            ("1009", "Sepinggan Raya", "76115"),
            ("1010", "Sungainangka", "76114"),
            ("1011", "Damai Baru", "76114"),
            ("1012", "Damai Bahagia", "76114"),
        ],
    ),
    (
        "64.71.06",
        "Balikpapan Kota",
        [
            ("1001", "Prapatan", "76111"),
            ("1002", "Telaga Sari", "76111"),
            ("1003", "Klandasan Ulu", "76112"),
            ("1004", "Klandasan Ilir", "76113"),
            ("1005", "Damai", "76114"),
        ],
    ),
]

# Other spellings citizens use, so that searches and addresses still match.
ALIASES = {"64.71.05.1010": ["Sungai Nangka"]}

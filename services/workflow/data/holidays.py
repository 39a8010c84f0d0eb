"""National holidays and cuti bersama seeded by ``manage.py seed_holidays`` (data, not code).

Each row: ``key`` (stable, so a re-run never duplicates a row and never overwrites a correction
made in the admin), ``date``, ``kind`` (``national`` | ``cuti_bersama``), the Indonesian and
English names, ``confirmed`` and ``source``.

* ``confirmed=True`` — fixed by law (1 January, 1 May, 1 June, 17 August, 25 December) or
  published in the SKB 3 Menteri for that year.
* ``confirmed=False`` — an estimate: the date of a holiday whose place in the Gregorian calendar
  moves (Islamic, Chinese, Hindu and Buddhist holidays, Easter) computed ahead of the decree.
  Staff correct or confirm these in the admin when the SKB is published; a correction made there
  is kept by later runs of the seed command.

2026: SKB Menteri Agama, Menteri Ketenagakerjaan and Menteri PANRB No. 1497/2025, 2/2025 and
5/2025, announced on 19 September 2025: 17 national holidays and 8 days of cuti bersama.

2027: the SKB was not available when this file was written. The fixed dates are certain; Good
Friday, Easter and Ascension follow the (deterministic) Western Easter date; Imlek follows the
Chinese calendar; the Islamic dates are a hisab estimate with the MABIMS criteria and may move by
a day after the sidang isbat; Nyepi and Waisak are estimates from the new and full moon. **No 2027
cuti bersama is entered**: they are a policy decision, not a calculation — enter them from the
SKB (``seed_holidays`` warns about a year with none).
"""

SKB_2026 = "SKB 3 Menteri No. 1497/2025, 2/2025, 5/2025 (19 Sep 2025)"
FIXED = "Fixed date (national law)"
EASTER = "Estimate: Western Easter date (computus); 2027 SKB not yet entered"
CHINESE = "Estimate: Chinese calendar; 2027 SKB not yet entered"
HIJRI = "Estimate: hisab (MABIMS criteria), may move by a day; 2027 SKB not yet entered"
LUNAR = "Estimate: new/full moon; 2027 SKB not yet entered"

NATIONAL = "national"
CUTI_BERSAMA = "cuti_bersama"


def _row(key, date, kind, name_id, name_en, confirmed, source):
    return {
        "key": key,
        "date": date,
        "kind": kind,
        "name_id": name_id,
        "name_en": name_en,
        "confirmed": confirmed,
        "source": source,
    }


# One row per line: the table reads like the decree.
# fmt: off
HOLIDAYS = [
    # --- 2026: national holidays (SKB, confirmed) ---
    _row("2026-new-year", "2026-01-01", NATIONAL, "Tahun Baru 2026 Masehi", "New Year's Day 2026", True, SKB_2026),
    _row("2026-isra-mikraj", "2026-01-16", NATIONAL, "Isra Mikraj Nabi Muhammad SAW", "Isra' Mi'raj of the Prophet Muhammad", True, SKB_2026),
    _row("2026-imlek", "2026-02-17", NATIONAL, "Tahun Baru Imlek 2577 Kongzili", "Chinese New Year 2577", True, SKB_2026),
    _row("2026-nyepi", "2026-03-19", NATIONAL, "Hari Suci Nyepi (Tahun Baru Saka 1948)", "Nyepi, Day of Silence (Saka New Year 1948)", True, SKB_2026),
    _row("2026-idul-fitri-1", "2026-03-21", NATIONAL, "Hari Raya Idul Fitri 1447 H", "Eid al-Fitr 1447 H", True, SKB_2026),
    _row("2026-idul-fitri-2", "2026-03-22", NATIONAL, "Hari Raya Idul Fitri 1447 H (hari kedua)", "Eid al-Fitr 1447 H (second day)", True, SKB_2026),
    _row("2026-good-friday", "2026-04-03", NATIONAL, "Wafat Yesus Kristus", "Good Friday", True, SKB_2026),
    _row("2026-easter", "2026-04-05", NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday", True, SKB_2026),
    _row("2026-labour-day", "2026-05-01", NATIONAL, "Hari Buruh Internasional", "International Labour Day", True, SKB_2026),
    _row("2026-ascension", "2026-05-14", NATIONAL, "Kenaikan Yesus Kristus", "Ascension of Jesus Christ", True, SKB_2026),
    _row("2026-idul-adha", "2026-05-27", NATIONAL, "Hari Raya Idul Adha 1447 H", "Eid al-Adha 1447 H", True, SKB_2026),
    _row("2026-waisak", "2026-05-31", NATIONAL, "Hari Raya Waisak 2570 BE", "Vesak Day 2570 BE", True, SKB_2026),
    _row("2026-pancasila", "2026-06-01", NATIONAL, "Hari Lahir Pancasila", "Pancasila Day", True, SKB_2026),
    _row("2026-islamic-new-year", "2026-06-16", NATIONAL, "1 Muharam Tahun Baru Islam 1448 H", "Islamic New Year 1448 H", True, SKB_2026),
    _row("2026-independence", "2026-08-17", NATIONAL, "Proklamasi Kemerdekaan Republik Indonesia", "Independence Day", True, SKB_2026),
    _row("2026-maulid", "2026-08-25", NATIONAL, "Maulid Nabi Muhammad SAW", "Birthday of the Prophet Muhammad", True, SKB_2026),
    _row("2026-christmas", "2026-12-25", NATIONAL, "Kelahiran Yesus Kristus (Natal)", "Christmas Day", True, SKB_2026),
    # --- 2026: cuti bersama (SKB, confirmed) ---
    _row("2026-cb-imlek", "2026-02-16", CUTI_BERSAMA, "Cuti bersama Tahun Baru Imlek 2577 Kongzili", "Cuti bersama (collective leave) for Chinese New Year", True, SKB_2026),
    _row("2026-cb-nyepi", "2026-03-18", CUTI_BERSAMA, "Cuti bersama Hari Suci Nyepi", "Cuti bersama (collective leave) for Nyepi", True, SKB_2026),
    _row("2026-cb-idul-fitri-1", "2026-03-20", CUTI_BERSAMA, "Cuti bersama Idul Fitri 1447 H", "Cuti bersama (collective leave) for Eid al-Fitr", True, SKB_2026),
    _row("2026-cb-idul-fitri-2", "2026-03-23", CUTI_BERSAMA, "Cuti bersama Idul Fitri 1447 H", "Cuti bersama (collective leave) for Eid al-Fitr", True, SKB_2026),
    _row("2026-cb-idul-fitri-3", "2026-03-24", CUTI_BERSAMA, "Cuti bersama Idul Fitri 1447 H", "Cuti bersama (collective leave) for Eid al-Fitr", True, SKB_2026),
    _row("2026-cb-ascension", "2026-05-15", CUTI_BERSAMA, "Cuti bersama Kenaikan Yesus Kristus", "Cuti bersama (collective leave) for the Ascension", True, SKB_2026),
    _row("2026-cb-idul-adha", "2026-05-28", CUTI_BERSAMA, "Cuti bersama Idul Adha 1447 H", "Cuti bersama (collective leave) for Eid al-Adha", True, SKB_2026),
    _row("2026-cb-christmas", "2026-12-24", CUTI_BERSAMA, "Cuti bersama Kelahiran Yesus Kristus (Natal)", "Cuti bersama (collective leave) for Christmas", True, SKB_2026),
    # --- 2027: national holidays (fixed dates certain; the rest estimated) ---
    _row("2027-new-year", "2027-01-01", NATIONAL, "Tahun Baru 2027 Masehi", "New Year's Day 2027", True, FIXED),
    _row("2027-isra-mikraj", "2027-01-06", NATIONAL, "Isra Mikraj Nabi Muhammad SAW", "Isra' Mi'raj of the Prophet Muhammad", False, HIJRI),
    _row("2027-imlek", "2027-02-06", NATIONAL, "Tahun Baru Imlek 2578 Kongzili", "Chinese New Year 2578", False, CHINESE),
    _row("2027-nyepi", "2027-03-08", NATIONAL, "Hari Suci Nyepi (Tahun Baru Saka 1949)", "Nyepi, Day of Silence (Saka New Year 1949)", False, LUNAR),
    _row("2027-idul-fitri-1", "2027-03-10", NATIONAL, "Hari Raya Idul Fitri 1448 H", "Eid al-Fitr 1448 H", False, HIJRI),
    _row("2027-idul-fitri-2", "2027-03-11", NATIONAL, "Hari Raya Idul Fitri 1448 H (hari kedua)", "Eid al-Fitr 1448 H (second day)", False, HIJRI),
    _row("2027-good-friday", "2027-03-26", NATIONAL, "Wafat Yesus Kristus", "Good Friday", False, EASTER),
    _row("2027-easter", "2027-03-28", NATIONAL, "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday", False, EASTER),
    _row("2027-labour-day", "2027-05-01", NATIONAL, "Hari Buruh Internasional", "International Labour Day", True, FIXED),
    _row("2027-ascension", "2027-05-06", NATIONAL, "Kenaikan Yesus Kristus", "Ascension of Jesus Christ", False, EASTER),
    _row("2027-idul-adha", "2027-05-17", NATIONAL, "Hari Raya Idul Adha 1448 H", "Eid al-Adha 1448 H", False, HIJRI),
    _row("2027-waisak", "2027-05-20", NATIONAL, "Hari Raya Waisak 2571 BE", "Vesak Day 2571 BE", False, LUNAR),
    _row("2027-pancasila", "2027-06-01", NATIONAL, "Hari Lahir Pancasila", "Pancasila Day", True, FIXED),
    _row("2027-islamic-new-year", "2027-06-06", NATIONAL, "1 Muharam Tahun Baru Islam 1449 H", "Islamic New Year 1449 H", False, HIJRI),
    _row("2027-maulid", "2027-08-15", NATIONAL, "Maulid Nabi Muhammad SAW", "Birthday of the Prophet Muhammad", False, HIJRI),
    _row("2027-independence", "2027-08-17", NATIONAL, "Proklamasi Kemerdekaan Republik Indonesia", "Independence Day", True, FIXED),
    _row("2027-christmas", "2027-12-25", NATIONAL, "Kelahiran Yesus Kristus (Natal)", "Christmas Day", True, FIXED),
]
# fmt: on

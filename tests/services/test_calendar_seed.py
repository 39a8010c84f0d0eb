"""The seeded national calendar: the 2026 SKB 3 Menteri as published, 2027 estimates marked as
such, and a seed command that is idempotent and never overwrites staff corrections."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from services.workflow.data.holidays import HOLIDAYS
from services.workflow.models import Holiday

pytestmark = pytest.mark.django_db


def easter(year: int) -> dt.date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def rows(year=None, kind=None):
    return [
        row
        for row in HOLIDAYS
        if (year is None or row["date"].startswith(str(year)))
        and (kind is None or row["kind"] == kind)
    ]


def dates(year, kind):
    return sorted(row["date"] for row in rows(year, kind))


# --- the data -----------------------------------------------------------------------------------


def test_2026_is_the_published_skb_17_holidays_and_8_days_of_cuti_bersama():
    assert dates(2026, "national") == [
        "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-21", "2026-03-22",
        "2026-04-03", "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-27", "2026-05-31",
        "2026-06-01", "2026-06-16", "2026-08-17", "2026-08-25", "2026-12-25",
    ]  # fmt: skip
    assert dates(2026, "cuti_bersama") == [
        "2026-02-16", "2026-03-18", "2026-03-20", "2026-03-23", "2026-03-24", "2026-05-15",
        "2026-05-28", "2026-12-24",
    ]  # fmt: skip
    assert all(row["confirmed"] and "1497/2025" in row["source"] for row in rows(2026))


def test_2027_marks_what_is_certain_and_what_is_estimated():
    fixed = {"01-01", "05-01", "06-01", "08-17", "12-25"}
    for row in rows(2027):
        assert row["confirmed"] == (row["date"][5:] in fixed), row
        assert row["kind"] == "national"  # no cuti bersama before the SKB
        if not row["confirmed"]:
            assert row["source"].startswith("Estimate"), row


def test_the_easter_dates_follow_the_computus():
    for year in (2026, 2027):
        by_key = {row["key"]: dt.date.fromisoformat(row["date"]) for row in rows(year)}
        assert by_key[f"{year}-easter"] == easter(year)
        assert by_key[f"{year}-good-friday"] == easter(year) - dt.timedelta(days=2)
        assert by_key[f"{year}-ascension"] == easter(year) + dt.timedelta(days=39)


def test_every_row_is_well_formed():
    keys = [row["key"] for row in HOLIDAYS]
    assert len(keys) == len(set(keys))
    for row in HOLIDAYS:
        assert row["key"].startswith(row["date"][:4])
        dt.date.fromisoformat(row["date"])
        assert row["kind"] in Holiday.Kind.values
        assert row["name_id"] and row["name_en"] and row["source"]


# --- the command --------------------------------------------------------------------------------


def seed() -> str:
    out = StringIO()
    call_command("seed_holidays", stdout=out)
    return out.getvalue()


def test_seeding_twice_creates_each_date_once():
    first = seed()
    assert f"{len(HOLIDAYS)} created, 0 already present" in first
    assert "2027 has no cuti bersama" in first
    assert "2026 has no cuti bersama" not in first
    estimated = sum(1 for row in HOLIDAYS if not row["confirmed"])
    assert f"{estimated} estimated date(s) are not confirmed yet" in first
    stored = Holiday.objects.get(seed_key="2026-idul-fitri-1")
    assert (stored.date, stored.kind, stored.name_id, stored.name_en, stored.confirmed) == (
        dt.date(2026, 3, 21),
        "national",
        "Hari Raya Idul Fitri 1447 H",
        "Eid al-Fitr 1447 H",
        True,
    )
    assert stored.agency is None and stored.is_active

    second = seed()
    assert f"0 created, {len(HOLIDAYS)} already present" in second
    assert Holiday.objects.count() == len(HOLIDAYS)


def test_a_correction_made_in_the_admin_survives_a_new_seed():
    seed()
    corrected = Holiday.objects.get(seed_key="2027-idul-fitri-1")
    corrected.date, corrected.confirmed, corrected.source = dt.date(2027, 3, 9), True, "SKB 2027"
    corrected.save()
    switched_off = Holiday.objects.get(seed_key="2027-nyepi")
    switched_off.is_active = False
    switched_off.save()

    seed()
    corrected.refresh_from_db()
    switched_off.refresh_from_db()
    assert (corrected.date, corrected.confirmed, corrected.source) == (
        dt.date(2027, 3, 9),
        True,
        "SKB 2027",
    )
    assert switched_off.is_active is False
    assert Holiday.objects.count() == len(HOLIDAYS)


def test_a_deleted_date_comes_back_with_the_next_seed():
    seed()
    Holiday.objects.filter(seed_key="2026-maulid").delete()
    assert "1 created" in seed()
    assert Holiday.objects.filter(seed_key="2026-maulid", date=dt.date(2026, 8, 25)).exists()

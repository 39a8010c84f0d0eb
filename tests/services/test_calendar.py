"""The working calendar: office hours, weekends, holidays, cuti bersama, local closures.

April 2026 (no holidays exist unless a test creates them): Mon 6, Tue 7, Wed 8, Thu 9, Fri 10,
Sat 11, Sun 12, Mon 13, Tue 14. Default hours (settings): Mon–Thu 07:30–12:00 and 13:00–16:00,
Fri 07:30–11:30 and 13:00–16:30.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.workflow.calendar import add_working_time, working_time_between
from services.workflow.models import Holiday, WorkingHours
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

WITA = ZoneInfo("Asia/Makassar")
H = dt.timedelta(hours=1)


def at(day, hour=0, minute=0, month=4):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


def closed(day, kind=Holiday.Kind.NATIONAL, agency=None, month=4, **fields):
    return Holiday.objects.create(
        date=dt.date(2026, month, day),
        kind=kind,
        agency=agency,
        name_id=fields.pop("name_id", f"Libur {day}"),
        name_en=fields.pop("name_en", f"Holiday {day}"),
        **fields,
    )


def add(start, **kwargs):
    return add_working_time(start=start, **kwargs)


# --- hours --------------------------------------------------------------------------------------


def test_hours_skip_the_lunch_break_and_the_night():
    assert add(at(6, 11), hours=2) == at(6, 14)  # 11–12, 13–14
    assert add(at(9, 15, 30), hours=1) == at(10, 8)  # 15:30–16:00, then Fri 07:30–08:00
    assert add(at(10, 11), hours=1) == at(10, 13, 30)  # Friday's break is 11:30–13:00
    assert add(at(6, 9), hours=0.25) == at(6, 9, 15)


def test_a_start_outside_office_hours_counts_from_the_next_opening():
    assert add(at(6, 7), hours=2) == at(6, 9, 30)
    assert add(at(6, 12, 30), hours=0.5) == at(6, 13, 30)
    assert add(at(6, 20), hours=1) == at(7, 8, 30)
    assert add(at(11, 10), hours=1) == at(13, 8, 30)  # Saturday → Monday


def test_time_runs_out_at_a_closing_not_at_the_next_opening():
    assert add(at(6, 7, 30), hours=7.5) == at(6, 16)
    assert add(at(6, 13), hours=3) == at(6, 16)
    assert add(at(6, 8), hours=4) == at(6, 12)  # the end of the morning, not 13:00


def test_nothing_to_add_is_the_start_itself():
    assert add(at(11, 10)) == at(11, 10)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add(at(6, 10), hours=-1)


# --- days ---------------------------------------------------------------------------------------


def test_days_keep_the_point_of_the_working_day():
    assert add(at(6, 10), days=5) == at(13, 10)  # Monday → next Monday
    assert add(at(10, 10), days=1) == at(13, 10)  # Friday → Monday
    assert add(at(6, 12, 30), days=1) == at(7, 12)  # in the break: the end of the morning


def test_whole_days_from_an_opening_end_at_a_closing():
    assert add(at(6, 7), days=5) == at(10, 16, 30)  # Monday before opening: Mon–Fri
    assert add(at(11, 10), days=1) == at(13, 16)  # Saturday: Monday is the one day
    assert add(at(9, 17), days=1) == at(10, 16, 30)  # Thursday after closing: Friday


def test_days_then_hours():
    assert add(at(6, 10), days=1, hours=3) == at(7, 14)


# --- closed days --------------------------------------------------------------------------------


def test_a_national_holiday_is_skipped():
    closed(8)  # Wednesday
    assert add(at(6, 10), days=3) == at(10, 10)
    assert add(at(7, 15), hours=2) == at(9, 8, 30)


def test_cuti_bersama_is_skipped():
    closed(13, kind=Holiday.Kind.CUTI_BERSAMA)  # Monday
    assert add(at(10, 10), days=1) == at(14, 10)
    assert add(at(10, 16), hours=1) == at(14, 8)


def test_a_local_closure_applies_to_its_agency_only():
    agency, other = AgencyFactory(), AgencyFactory()
    closed(7, kind=Holiday.Kind.LOCAL, agency=agency)
    assert add(at(6, 10), days=1, agency=agency) == at(8, 10)
    assert add(at(6, 10), days=1, agency=other) == at(7, 10)
    assert add(at(6, 10), days=1) == at(7, 10)


def test_a_local_closure_without_agency_applies_to_every_agency():
    closed(7, kind=Holiday.Kind.LOCAL)
    assert add(at(6, 10), days=1, agency=AgencyFactory()) == at(8, 10)
    assert add(at(6, 10), days=1) == at(8, 10)


def test_a_holiday_switched_off_in_the_admin_no_longer_closes():
    closed(7, is_active=False)
    assert add(at(6, 10), days=1) == at(7, 10)


def test_a_long_closure_beyond_the_first_stretch_loaded_is_still_skipped():
    # Every day from 6 April for 70 days is closed: the walk leaves the first stretch loaded.
    first = dt.date(2026, 4, 6)
    Holiday.objects.bulk_create(
        Holiday(date=first + dt.timedelta(days=n), kind="local", name_id="Tutup", name_en="Closed")
        for n in range(70)
    )
    assert add(at(6, 10), hours=1) == dt.datetime(2026, 6, 15, 8, 30, tzinfo=WITA)


# --- an agency's own office hours ----------------------------------------------------------------


def test_an_agency_with_its_own_hours_follows_them():
    puskesmas = AgencyFactory()
    for weekday in range(5):
        WorkingHours.objects.create(
            agency=puskesmas, weekday=weekday, opens_at=dt.time(8), closes_at=dt.time(14)
        )
    WorkingHours.objects.create(
        agency=puskesmas, weekday=5, opens_at=dt.time(8), closes_at=dt.time(12)
    )
    assert add(at(10, 13), hours=2, agency=puskesmas) == at(11, 9)  # Friday → Saturday
    assert add(at(6, 11), hours=2, agency=puskesmas) == at(6, 13)  # no lunch break
    assert add(at(10, 13), hours=2, agency=AgencyFactory()) == at(10, 15)  # default hours


def test_weekdays_an_agency_left_out_are_closed():
    agency = AgencyFactory()
    WorkingHours.objects.create(
        agency=agency, weekday=0, opens_at=dt.time(8), closes_at=dt.time(12)
    )
    assert add(at(6, 11), hours=2, agency=agency) == at(13, 9)  # Monday → next Monday


# --- time between -------------------------------------------------------------------------------


def test_working_time_between_two_moments():
    assert working_time_between(start=at(6, 7), end=at(7, 9)) == 9 * H
    assert working_time_between(start=at(10, 15), end=at(13, 8, 30)) == 2.5 * H
    assert working_time_between(start=at(13, 8, 30), end=at(10, 15)) == -2.5 * H
    assert working_time_between(start=at(11, 8), end=at(12, 20)) == dt.timedelta(0)


def test_working_time_between_skips_closed_days():
    closed(13, kind=Holiday.Kind.CUTI_BERSAMA)
    assert working_time_between(start=at(10, 15), end=at(14, 8, 30)) == 2.5 * H


def test_adding_and_measuring_agree():
    closed(8)
    starts = [at(6, 7), at(6, 11, 45), at(7, 16), at(9, 15, 59), at(10, 12), at(11, 9)]
    amounts = [0.25, 1, 3.5, 7.5, 8, 16, 40]
    for start in starts:
        for hours in amounts:
            end = add(start, hours=hours)
            assert working_time_between(start=start, end=end) == hours * H, (start, hours)


# --- queries ------------------------------------------------------------------------------------


def test_a_calendar_loads_in_bounded_queries(django_assert_num_queries):
    agency = AgencyFactory()
    closed(8)
    closed(9, kind=Holiday.Kind.LOCAL, agency=agency)
    # The closed days of the span.
    with django_assert_num_queries(1):
        assert add(at(6, 10), days=10) == at(21, 10)
    # The agency's office hours, the closed days of the span.
    with django_assert_num_queries(2):
        assert add(at(6, 10), days=10, agency=agency) == at(22, 10)
    with django_assert_num_queries(2):
        assert (
            working_time_between(start=at(6, 7), end=at(30, 17), agency=agency) == 17 * 7.5 * H
        )  # 19 weekdays, 2 closed

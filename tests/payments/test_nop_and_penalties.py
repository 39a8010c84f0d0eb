"""NOP validation (test-vectors §7) and penalty arithmetic (test-vectors §8, domain-facts §3.4)."""

import datetime as dt
from decimal import Decimal

import pytest

from payments import selectors
from payments.models import PenaltyRule
from payments.nop import NopError, nop_parse
from payments.penalties import months_late, penalty_amount
from tests.payments.factories import PbbBillFactory


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [
        ("64.71.010.001.001-0001.0", "64.71.010.001.001-0001.0"),
        ("647101000100100010", "64.71.010.001.001-0001.0"),
        ("64.71.010.001.001-0001.9", "64.71.010.001.001-0001.9"),
    ],
)
def test_valid_nops(raw, formatted):
    nop = nop_parse(raw)
    assert nop.formatted == formatted
    assert len(nop.digits) == 18
    assert (nop.kecamatan_code, nop.kelurahan_code) == ("010", "001")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("64.71.010.001.001-0001", "nop_invalid"),
        ("64.71.010.001.001-0001.00", "nop_invalid"),
        ("64.71.010.001.00A-0001.0", "nop_invalid"),
        ("65.71.010.001.001-0001.0", "nop_not_balikpapan"),
        ("64.72.010.001.001-0001.0", "nop_not_balikpapan"),
        ("64.71.010.001.001-0001.5", "nop_special_code"),
    ],
)
def test_invalid_nops(raw, code):
    with pytest.raises(NopError) as info:
        nop_parse(raw)
    assert info.value.code == code


def test_undocumented_special_code_is_kept_but_flagged_when_allowed():
    nop = nop_parse("64.71.010.001.001-0001.5", allow_undocumented_special_code=True)
    assert nop.needs_review is True
    assert nop_parse("64.71.010.001.001-0001.7").needs_review is False


DUE = dt.date(2025, 8, 31)


@pytest.mark.parametrize(
    ("paid_on", "months", "rule_a", "rule_b"),
    [
        ("2025-08-31", 0, 0, 0),
        ("2025-09-01", 1, 20_000, 10_000),
        ("2025-11-05", 3, 60_000, 30_000),
        ("2028-03-10", 31, 480_000, 240_000),
        ("2028-09-30", 37, 480_000, 240_000),
    ],
)
def test_worked_examples(paid_on, months, rule_a, rule_b):
    on = dt.date.fromisoformat(paid_on)
    assert months_late(due_date=DUE, on=on, part_month_counts=True) == months
    common = {
        "principal": 1_000_000,
        "due_date": DUE,
        "on": on,
        "cap_months": 24,
        "part_month_counts": True,
    }
    assert penalty_amount(rate_per_month=Decimal("0.02"), **common) == rule_a
    assert penalty_amount(rate_per_month=Decimal("0.01"), **common) == rule_b


def test_boundaries_of_a_month():
    # 30 September is one whole month after 31 August; 1 October starts the second.
    assert months_late(due_date=DUE, on=dt.date(2025, 9, 30), part_month_counts=True) == 1
    assert months_late(due_date=DUE, on=dt.date(2025, 10, 1), part_month_counts=True) == 2
    assert months_late(due_date=DUE, on=dt.date(2025, 9, 30), part_month_counts=False) == 1
    assert months_late(due_date=DUE, on=dt.date(2025, 9, 29), part_month_counts=False) == 0
    assert months_late(due_date=DUE, on=dt.date(2025, 8, 1), part_month_counts=True) == 0


def test_cap_is_reached_at_24_months_exactly():
    common = {
        "principal": 1_000_000,
        "due_date": DUE,
        "rate_per_month": Decimal("0.02"),
        "cap_months": 24,
        "part_month_counts": True,
    }
    assert penalty_amount(on=dt.date(2027, 8, 1), **common) == 480_000  # 24th started month
    assert penalty_amount(on=dt.date(2027, 7, 31), **common) == 460_000  # 23 months


@pytest.mark.django_db
def test_seeded_rules_and_the_rule_in_force_follows_the_date():
    rules = list(
        PenaltyRule.objects.order_by("effective_from").values_list(
            "effective_from", "rate_per_month", "cap_months", "part_month_counts"
        )
    )
    assert rules == [
        (dt.date(2010, 1, 1), Decimal("0.0200"), 24, True),
        (dt.date(2024, 1, 5), Decimal("0.0100"), 24, True),
    ]
    assert selectors.penalty_rule_in_force(on=dt.date(2024, 1, 4)).rate_per_month == Decimal("0.02")
    assert selectors.penalty_rule_in_force(on=dt.date(2024, 1, 5)).rate_per_month == Decimal("0.01")
    assert selectors.penalty_rule_in_force(on=dt.date(2009, 12, 31)) is None


@pytest.mark.django_db
def test_bill_penalty_uses_the_rule_in_force_on_the_day():
    bill = PbbBillFactory(principal=1_000_000, due_date=DUE)
    assert selectors.bill_penalty(bill=bill, on=dt.date(2025, 8, 31)) == 0
    assert selectors.bill_penalty(bill=bill, on=dt.date(2025, 9, 1)) == 10_000
    assert selectors.bill_penalty(bill=bill, on=dt.date(2028, 9, 30)) == 240_000
    old = PbbBillFactory(principal=1_000_000, due_date=dt.date(2020, 8, 31))
    assert selectors.bill_penalty(bill=old, on=dt.date(2021, 1, 1)) == 100_000  # 5 × 2 %


RULE = {
    "principal": 1_000_000,
    "due_date": DUE,
    "rate_per_month": Decimal("0.02"),
    "cap_months": 24,
}


@pytest.mark.parametrize(
    ("on", "started", "completed"),
    [
        ("2025-08-31", 0, 0),  # the due date itself: no penalty under either rule
        ("2025-09-01", 20_000, 0),  # one day after: a started month, no completed one
        ("2025-09-30", 20_000, 20_000),  # exactly one month after
        ("2025-10-01", 40_000, 20_000),  # one day into the second month
        ("2027-08-30", 480_000, 460_000),  # 23 completed months and a part
        ("2027-08-31", 480_000, 480_000),  # 24 completed: the cap
        ("2027-09-01", 480_000, 480_000),  # beyond the cap
        ("2031-01-01", 480_000, 480_000),
    ],
)
def test_part_month_rule_at_the_boundaries(on, started, completed):
    day = dt.date.fromisoformat(on)
    assert penalty_amount(on=day, part_month_counts=True, **RULE) == started
    assert penalty_amount(on=day, part_month_counts=False, **RULE) == completed


@pytest.mark.parametrize(
    ("principal", "half_up", "down", "up"),
    [
        (333_333, 3_333, 3_333, 3_334),  # 3.333,33
        (166_650, 1_667, 1_666, 1_667),  # 1.666,50
        (1_000_000, 10_000, 10_000, 10_000),  # exact
    ],
)
def test_rounding_is_a_field_of_the_rule(principal, half_up, down, up):
    common = {
        "principal": principal,
        "due_date": DUE,
        "on": dt.date(2025, 9, 1),
        "rate_per_month": Decimal("0.01"),
        "cap_months": 24,
        "part_month_counts": True,
    }
    assert penalty_amount(**common) == half_up  # the default
    assert penalty_amount(rounding="half_up", **common) == half_up
    assert penalty_amount(rounding="down", **common) == down
    assert penalty_amount(rounding="up", **common) == up


@pytest.mark.django_db
def test_bill_penalty_follows_the_rule_in_force_including_its_rounding():
    assert set(PenaltyRule.objects.values_list("rounding", flat=True)) == {"half_up"}
    bill = PbbBillFactory(principal=166_650, due_date=DUE)
    on = dt.date(2025, 9, 1)
    assert selectors.bill_penalty(bill=bill, on=on) == 1_667
    PenaltyRule.objects.filter(effective_from=dt.date(2024, 1, 5)).update(rounding="down")
    assert selectors.bill_penalty(bill=bill, on=on) == 1_666
    # the older rule governs a day before the newer one starts
    assert selectors.bill_penalty(bill=bill, on=dt.date(2024, 1, 4)) == 0  # not yet due
    old = PbbBillFactory(principal=166_650, due_date=dt.date(2023, 11, 30))
    assert selectors.bill_penalty(bill=old, on=dt.date(2024, 1, 4)) == 6_666  # 2 × 2 %, half up
    assert (
        selectors.bill_penalty(bill=old, on=dt.date(2024, 1, 5)) == 3_333
    )  # still 2 months, now 1 %


@pytest.mark.django_db
def test_a_paid_bill_and_a_retribusi_bill_have_no_penalty():
    from tests.payments.factories import RetribusiBillFactory

    assert (
        selectors.bill_penalty(
            bill=PbbBillFactory(due_date=DUE, is_paid=True), on=dt.date(2026, 1, 1)
        )
        == 0
    )
    assert (
        selectors.bill_penalty(bill=RetribusiBillFactory(due_date=DUE), on=dt.date(2026, 1, 1)) == 0
    )

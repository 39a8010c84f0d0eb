"""NIK, KK and phone rules (shared/test-vectors.md §5–6, domain-facts §2)."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts import identifiers


@pytest.mark.parametrize(
    "nik",
    ["6471051508900001", "6471065503020012", "6471054107990042", "3578080102030001"],
)
def test_valid_niks(nik):
    assert identifiers.parse_nik(nik).value == nik


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("647105150890001", "nik_format"),  # 15 digits
        ("64710515089000012", "nik_format"),  # 17 digits
        ("6471A51508900001", "nik_format"),  # a letter
        ("６４７１０５１５０８９００００１", "nik_format"),  # full-width digits are not ASCII
        ("", "nik_format"),
        ("0071051508900001", "nik_province"),  # zero province
        ("9971051508900001", "nik_province"),  # no such province
        ("6400051508900001", "nik_region"),  # zero kabupaten/kota
        ("6471001508900001", "nik_region"),  # zero kecamatan
        ("6471053208900001", "nik_birth_date"),  # day 32
        ("6471054008900001", "nik_birth_date"),  # day 40: between the male and female ranges
        ("6471057208900001", "nik_birth_date"),  # day 72 (female 32)
        ("6471050008900001", "nik_birth_date"),  # day 00
        ("6471051513900001", "nik_birth_date"),  # month 13
        ("6471051500900001", "nik_birth_date"),  # month 00
        ("6471053102900001", "nik_birth_date"),  # 31 February
        ("6471057102900001", "nik_birth_date"),  # 31 February, female
        ("6471051508900000", "nik_serial"),  # serial 0000
    ],
)
def test_invalid_niks_have_a_precise_code(nik, code):
    with pytest.raises(ValidationError) as exc:
        identifiers.parse_nik(nik)
    assert exc.value.code == code


def test_a_nik_from_another_province_is_valid_for_a_balikpapan_resident():
    parsed = identifiers.parse_nik("3578080102030001")
    assert parsed.region == "357808"


def test_unknown_kecamatan_codes_are_not_rejected():
    # Balikpapan has 6 kecamatan; code 99 may be a since-renamed one: accept it.
    assert identifiers.parse_nik("6471991508900001").region == "647199"


def test_female_day_and_leap_years():
    parsed = identifiers.parse_nik("6471054107990042")
    assert parsed.is_female and parsed.birth_day == 1 and parsed.birth_month == 7
    # 29 Feb 00 exists (2000 is a leap year even though 1900 is not).
    assert identifiers.parse_nik("6471052902000001").birth_day == 29
    # 29 Feb 01 exists in neither 1901 nor 2001.
    with pytest.raises(ValidationError):
        identifiers.parse_nik("6471052902010001")


def test_birth_date_picks_the_latest_century_not_in_the_future():
    import datetime as dt

    parsed = identifiers.parse_nik("6471051508900001")
    assert parsed.birth_date(today=dt.date(2026, 11, 25)) == dt.date(1990, 8, 15)
    parsed = identifiers.parse_nik("6471065503200012")
    assert parsed.birth_date(today=dt.date(2026, 11, 25)) == dt.date(2020, 3, 15)


@given(st.text(max_size=40))
def test_nik_parser_never_crashes(text):
    with contextlib.suppress(ValidationError):
        identifiers.parse_nik(text)


@pytest.mark.parametrize("kk", ["6471052003150004"])
def test_valid_kk(kk):
    identifiers.validate_kk_number(kk)


@pytest.mark.parametrize(
    ("kk", "code"),
    [
        ("6471053002150004", "kk_date"),
        ("6471054003150004", "kk_date"),  # no +40 rule on a KK
        ("6471052003150000", "kk_serial"),
        ("647105200315000", "kk_format"),
        ("0071052003150004", "kk_province"),
    ],
)
def test_invalid_kk(kk, code):
    with pytest.raises(ValidationError) as exc:
        identifiers.validate_kk_number(kk)
    assert exc.value.code == code


def test_mask():
    assert identifiers.mask_identifier("6471051508900001") == "6471********0001"
    assert identifiers.mask_identifier("") == ""


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("0812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("+6281234567890", "+6281234567890"),
        ("(0542) 421234", "+62542421234"),  # a Balikpapan landline
        ("+14155552671", "+14155552671"),  # a foreign number with its country code
    ],
)
def test_phone_normalisation(raw, e164):
    assert identifiers.normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "abc", "0812", "+62", "08123456789012345678", "+999123"])
def test_invalid_phones(raw):
    with pytest.raises(ValidationError) as exc:
        identifiers.normalize_phone(raw)
    assert exc.value.code == "phone_invalid"


@given(st.text(max_size=30))
def test_phone_normaliser_never_crashes(text):
    with contextlib.suppress(ValidationError):
        identifiers.normalize_phone(text)


def test_sealed_value_round_trips_and_digest_is_keyed(settings):
    token = identifiers.seal("6471051508900001")
    assert "6471051508900001" not in token
    assert identifiers.unseal(token) == "6471051508900001"
    first = identifiers.digest("6471051508900001")
    settings.NIK_HASH_KEY = "another-key"
    assert identifiers.digest("6471051508900001") != first

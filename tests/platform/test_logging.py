"""Personal data is removed from every log line, whatever logger wrote it."""

import logging

import pytest

from balikpapan_untuk_warga.logging import RedactPersonalData, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nik 6471051508900001 ok", "nik [id] ok"),
        ("kk 6471052003150004", "kk [id]"),
        ("nop 647101000100100010 and 64.71.010.001.001-0001.0", "nop [id] and [id]"),
        ("call 081234567890 or +6281234567890", "call [phone] or [phone]"),
        ("took 0.0024128269997163443s", "took 0.0024128269997163443s"),
        ("year 2026, order 123456789012", "year 2026, order 123456789012"),
    ],
)
def test_redact(text, expected):
    assert redact(text) == expected


def test_the_filter_rewrites_the_record_with_its_arguments():
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "user %s phone %s",
        ("6471051508900001", "081234567890"),
        None,
    )
    assert RedactPersonalData().filter(record) is True
    assert record.getMessage() == "user [id] phone [phone]"

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
        ("call +62 812-3456-7890 or 0812 3456 7890", "call [phone] or [phone]"),
        ("?phone=%2B6281234567890&x=1", "?phone=[phone]&x=1"),
        ("mail Budi.Santoso@example.co.id", "mail [email]"),
        ("Authorization: Bearer abc.def-123456", "Authorization: [redacted] [redacted]"),
        ("X-Session-Token: 7vyjhkb94nf29aj6", "X-Session-Token: [redacted]"),
        (
            '{"code": "ABC123", "session_token": "t0k3n"}',
            '{"code": "[redacted]", "session_token": "[redacted]"}',
        ),
        ("X-Hub-Signature-256: sha256=deadbeef", "X-Hub-Signature-256: [redacted]"),
        ("request abc123def456 done", "request abc123def456 done"),
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


def test_the_filter_redacts_the_traceback_and_drops_template_context_dumps():
    import sys

    try:
        raise ValueError("no user budi@example.test with NIK 6471051508900001")
    except ValueError:
        info = sys.exc_info()
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, info)
    RedactPersonalData().filter(record)
    assert "budi@example.test" not in record.exc_text
    assert "6471051508900001" not in record.exc_text
    assert "ValueError" in record.exc_text

    template = logging.LogRecord("django.template", logging.DEBUG, __file__, 1, "var", None, info)
    RedactPersonalData().filter(template)
    assert template.exc_info is None and not template.exc_text

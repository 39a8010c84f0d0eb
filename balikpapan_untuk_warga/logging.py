"""A logging filter that keeps personal data out of every log line.

NIK and KK numbers (16 digits), NOP (18 digits) and Indonesian phone numbers are replaced before a
record reaches any handler, whatever logger or library produced it.
"""

import logging
import re

# 16–18 digit identifiers (NIK, KK, NOP) written bare, and a NOP printed AA.BB.CCC.DDD.EEE-XXXX.Y;
# digits after a decimal point (durations, amounts) are not identifiers.
_IDENTIFIER = re.compile(
    r"(?<![\d.])(?:\d{16,18}|\d{2}\.\d{2}\.\d{3}\.\d{3}\.\d{3}-\d{4}\.\d)(?![\d])"
)
_PHONE = re.compile(r"(?<![\w+])(?:\+?62|0)8\d{7,12}(?!\d)")


def redact(text: str) -> str:
    """Replace NIK/KK/NOP-like numbers and phone numbers in ``text``."""
    return _PHONE.sub("[phone]", _IDENTIFIER.sub("[id]", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to crash on
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True

"""Log lines without personal data or secrets, each naming the request that caused it.

NIK and KK numbers (16 digits), NOP (18 digits), Indonesian phone numbers (any usual spelling),
email addresses and secrets (bearer tokens, session tokens, signatures, one-time codes, passwords,
written as ``name=value``, ``name: value`` or JSON) are replaced before a record reaches any
handler, whatever logger or library produced it — in the message, its arguments and the
exception's traceback. The formatters redact their finished line once more, so that extra fields
and anything a library put on the record are covered too.

Redaction is the net, not the plan: code logs ids (primary keys, tracking numbers), never the
person's data, and exceptions that quote input are not logged with their message.
"""

import logging
import re

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# 16–18 digit identifiers (NIK, KK, NOP) written bare, and a NOP printed AA.BB.CCC.DDD.EEE-XXXX.Y;
# digits after a decimal point (durations, amounts) are not identifiers.
_IDENTIFIER = re.compile(
    r"(?<![\d.])(?:\d{16,18}|\d{2}\.\d{2}\.\d{3}\.\d{3}\.\d{3}-\d{4}\.\d)(?![\d])"
)
# 08…, 628…, +628… with or without spaces, dots or dashes between the digits ("0812-3456-7890",
# "+62 812 3456 7890"), and the URL-encoded plus of a query string ("%2B628…").
_PHONE = re.compile(r"(?<![\w+])(?:%2[Bb]|\+)?(?:62[ .-]?|0)8(?:[ .-]?\d){7,12}(?![\d])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer|token|basic)(\s+)[A-Za-z0-9._~+/=-]{6,}")
# name=value / name: value / "name": "value" where the name says it is a secret.
_SECRET_FIELD = re.compile(
    r"(?i)((?:x-)?(?:session[_-]?token|access[_-]?token|refresh[_-]?token|id[_-]?token|"
    r"csrf(?:middleware)?token|sessionid|authorization|password\d?|passwd|secret|api[_-]?key|"
    r"(?:hub[_-])?signature(?:-256)?|verify[_-]?token|otp|code|key|token)"
    r"[\"']?\s*[:=]\s*[\"']?)((?:sha256=)?[^\s\"'&,;}\]]+)"
)


def redact(text: str) -> str:
    """Replace personal data and secrets in ``text``."""
    text = _BEARER.sub(r"\1\2[redacted]", text)
    text = _SECRET_FIELD.sub(r"\1[redacted]", text)
    text = _EMAIL.sub("[email]", text)
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
        if record.name == "django.template" and record.exc_info:
            # "Exception while resolving variable …" (DEBUG): the exception carries the whole
            # template context — an email's verification key, a code, a person's data.
            record.exc_info = None
            record.exc_text = None
        # Formatters reuse ``exc_text`` once it is set: every handler prints the redacted one.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RequestIdFilter(logging.Filter):
    """Puts the current request id (or ``-`` outside a request and its tasks) on the record."""

    def filter(self, record: logging.LogRecord) -> bool:
        from balikpapan_untuk_warga.request_id import get_request_id

        if not getattr(record, "request_id", None):
            record.request_id = get_request_id() or "-"
        return True


class TextFormatter(logging.Formatter):
    """``LOG_FORMAT=text``: one readable line, the request id in brackets, redacted."""

    def __init__(self, fmt=None, datefmt=None, style="%", **kwargs):
        super().__init__(
            fmt or "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
            datefmt,
            style,
            **kwargs,
        )

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return redact(super().format(record))


class JsonFormatter(_JsonFormatter):
    """``LOG_FORMAT=json``: one JSON object per line (time, level, logger, message, request_id,
    exc_info and any ``extra``), redacted as a whole."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("json_default", str)
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # Django puts the request object on django.request records; its path is in the message.
        log_data.pop("request", None)
        log_data.setdefault("request_id", getattr(record, "request_id", "-"))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

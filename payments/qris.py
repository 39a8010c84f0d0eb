"""QRIS (EMVCo merchant-presented mode) encoder and decoder.

A payload is a flat string of TLV data objects: a two-digit ID, a two-digit length (in
characters) and the value. Templates (26–51 merchant account information, 62 additional data,
64 language, 80–99 unreserved) hold TLVs of their own. The payload ends with ``6304`` and the
CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) of everything before the four CRC
characters, in uppercase hex (domain-facts §1.6).

:func:`decode` refuses anything malformed with :class:`QrisError`, whose ``reason`` is a stable
code and whose message names the tag; :func:`encode` and :func:`build_dynamic` only produce
payloads that :func:`decode` accepts.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

TEMPLATE_TAGS = frozenset({*(f"{n:02d}" for n in range(26, 52)), "62", "64"}) | frozenset(
    f"{n:02d}" for n in range(80, 100)
)
# (min, max) characters of the root tags with a fixed rule (domain-facts §1.2).
LENGTHS = {
    "00": (2, 2),
    "01": (2, 2),
    "52": (4, 4),
    "53": (3, 3),
    "54": (1, 13),
    "55": (2, 2),
    "56": (1, 13),
    "57": (1, 5),
    "58": (2, 2),
    "59": (1, 25),
    "60": (1, 15),
    "61": (1, 10),
    "63": (4, 4),
}
# Additional data (62) sub-tags 01–08 hold at most 25 characters, 09 at most 3.
ADDITIONAL_LENGTHS = {**{f"{n:02d}": 25 for n in range(1, 9)}, "09": 3}
_AMOUNT = re.compile(r"^(0|[1-9]\d*)(\.\d{0,2})?$")
_DIGITS = re.compile(r"^\d+$")
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*\Z")
_HEX4 = re.compile(r"^[0-9A-F]{4}$")


class QrisError(ValueError):
    """A payload that is not a valid QRIS; ``reason`` is a stable code, ``tag`` the culprit."""

    def __init__(self, reason: str, message: str, tag: str | None = None):
        super().__init__(message)
        self.reason = reason
        self.tag = tag


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of ``data`` (UTF-8) as four uppercase hex characters."""
    try:
        encoded = data.encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate cannot be in a real QR code
        raise QrisError(
            "encoding", "The payload contains characters that are not valid text."
        ) from exc
    return format(binascii.crc_hqx(encoded, 0xFFFF), "04X")


def parse_tlv(text: str, *, where: str = "payload") -> list[tuple[str, str]]:
    """Split ``text`` into (ID, value) pairs; refuses bad IDs, lengths, overruns and duplicates."""
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isascii() or not header.isdigit():
            raise QrisError("tlv", f"Malformed TLV header at position {position} in {where}.")
        tag, length = header[:2], int(header[2:])
        if length == 0:
            raise QrisError("tlv", f"Tag {tag} in {where} has length 00.", tag)
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise QrisError(
                "tlv",
                f"Tag {tag} in {where} declares {length} characters, {len(value)} follow.",
                tag,
            )
        if tag in seen:
            raise QrisError("duplicate", f"Tag {tag} appears twice in {where}.", tag)
        seen.add(tag)
        items.append((tag, value))
        position += 4 + length
    return items


@dataclass
class QrisPayload:
    """A decoded payload: the root tags in order, and the parsed children of templates."""

    tags: list[tuple[str, str]]
    templates: dict[str, dict[str, str]] = field(default_factory=dict)

    def get(self, tag: str, default: str | None = None) -> str | None:
        return dict(self.tags).get(tag, default)

    @property
    def is_dynamic(self) -> bool:
        return self.get("01") == "12"

    @property
    def amount(self) -> str | None:
        return self.get("54")

    @property
    def merchant_name(self) -> str | None:
        return self.get("59")

    @property
    def bill_number(self) -> str | None:
        return self.templates.get("62", {}).get("01")

    def encode(self) -> str:
        return encode(self.tags)


def _check_lengths(tags: list[tuple[str, str]]) -> None:
    for tag, value in tags:
        low, high = LENGTHS.get(tag, (1, 99))
        if not low <= len(value) <= high:
            raise QrisError(
                "length", f"Tag {tag} must be {low}–{high} characters, not {len(value)}.", tag
            )


def _check_rules(values: dict[str, str]) -> None:
    if values.get("00") != "01":
        raise QrisError("format", "Tag 00 (payload format indicator) must be 01.", "00")
    if "01" in values and values["01"] not in ("11", "12"):
        raise QrisError("format", "Tag 01 (point of initiation) must be 11 or 12.", "01")
    for tag in ("52", "58", "59", "60"):
        if tag not in values:
            raise QrisError("missing", f"Mandatory tag {tag} is missing.", tag)
    if not any(f"{n:02d}" in values for n in range(2, 52)):
        raise QrisError("missing", "No merchant account information (tags 02–51).", "26")
    for tag in ("52", "53", "55"):
        if tag in values and not _DIGITS.match(values[tag]):
            raise QrisError("format", f"Tag {tag} must be digits.", tag)
    if values.get("58") == "ID":
        if values.get("53") != "360":
            raise QrisError("format", "Tag 53 must be 360 (IDR) when the country is ID.", "53")
        if "61" not in values:
            raise QrisError("missing", "Tag 61 (postal code) is mandatory in Indonesia.", "61")
    if values.get("01", "11") == "11" and "51" not in values:
        raise QrisError("missing", "A static QRIS needs tag 51 (domestic repository).", "51")
    if "54" in values:
        amount = values["54"]
        if not _AMOUNT.match(amount) or float(amount) <= 0:
            raise QrisError("amount", f"Tag 54 {amount!r} is not a positive amount.", "54")


def _check_characters(tags: list[tuple[str, str]]) -> None:
    """EMVCo data objects are printable ASCII ("ans"); only the alternate-language template (64)
    may carry other UTF-8 text. Refused before the CRC is compared: a CRC-16 cannot tell every
    substituted multi-byte character from the original (hypothesis found such a collision)."""
    for tag, value in tags:
        if tag != "64" and not _PRINTABLE_ASCII.match(value):
            raise QrisError(
                "encoding", f"Tag {tag} must hold printable ASCII characters only.", tag
            )


def decode(payload: str) -> QrisPayload:
    """Parse and validate ``payload``; raises :class:`QrisError` with a clear reason."""
    if not isinstance(payload, str) or not payload:
        raise QrisError("empty", "The payload is empty.")
    tags = parse_tlv(payload)
    if tags[0][0] != "00":
        raise QrisError("order", "Tag 00 must come first.", "00")
    if tags[-1][0] != "63":
        raise QrisError("order", "Tag 63 (CRC) must come last.", "63")
    _check_characters(tags)
    crc = tags[-1][1]
    if len(crc) != 4 or not _HEX4.match(crc):
        raise QrisError("crc", "Tag 63 must be four uppercase hex characters.", "63")
    expected = crc16(payload[:-4])
    if crc != expected:
        raise QrisError("crc", f"CRC mismatch: the payload says {crc}, computed {expected}.", "63")
    _check_lengths(tags)
    values = dict(tags)
    _check_rules(values)
    templates: dict[str, dict[str, str]] = {}
    for tag, value in tags:
        if tag in TEMPLATE_TAGS:
            children = dict(parse_tlv(value, where=f"tag {tag}"))
            templates[tag] = children
            if tag == "62":
                for sub, sub_value in children.items():
                    limit = ADDITIONAL_LENGTHS.get(sub)
                    if limit is not None and len(sub_value) > limit:
                        raise QrisError(
                            "length", f"Tag 62.{sub} must be at most {limit} characters.", "62"
                        )
    return QrisPayload(tags=tags, templates=templates)


def tlv(tag: str, value: str) -> str:
    if not (len(tag) == 2 and tag.isdigit()) or not 1 <= len(value) <= 99:
        raise QrisError("length", f"Tag {tag} must hold 1–99 characters, not {len(value)}.", tag)
    return f"{tag}{len(value):02d}{value}"


def encode(tags: list[tuple[str, str]]) -> str:
    """Serialise ``tags`` (without 63) and append the CRC; the result is validated."""
    body = "".join(tlv(tag, value) for tag, value in tags if tag != "63") + "6304"
    payload = body + crc16(body)
    decode(payload)
    return payload


def additional_data(*, bill_number: str = "", reference: str = "", terminal: str = "") -> str:
    parts = [("01", bill_number), ("05", reference), ("07", terminal)]
    return "".join(tlv(tag, value) for tag, value in parts if value)


def to_dynamic(
    static: str,
    *,
    amount: int,
    bill_number: str = "",
    reference: str = "",
    terminal: str = "",
) -> str:
    """The dynamic form of ``static``: 01 = 12, 54 right after 53, 62 replaced when given."""
    if not isinstance(amount, int) or amount <= 0:
        raise QrisError("amount", "The amount must be a positive whole number of rupiah.", "54")
    source = decode(static)
    extra = additional_data(bill_number=bill_number, reference=reference, terminal=terminal)
    tags: list[tuple[str, str]] = []
    for tag, value in source.tags:
        if tag in ("63", "54"):
            continue
        if tag == "01":
            value = "12"
        if tag == "62" and extra:
            value = extra
        tags.append((tag, value))
        if tag == "53":
            tags.append(("54", str(amount)))
    if extra and "62" not in dict(tags):
        tags.insert(len(tags), ("62", extra))
    return encode(tags)


def build_dynamic(
    *,
    merchant_account: list[tuple[str, str]],
    mcc: str,
    merchant_name: str,
    merchant_city: str,
    postal_code: str,
    amount: int,
    bill_number: str = "",
    reference: str = "",
    terminal: str = "",
) -> str:
    """A dynamic (point of initiation 12) payload for ``amount`` whole rupiah."""
    if not isinstance(amount, int) or amount <= 0:
        raise QrisError("amount", "The amount must be a positive whole number of rupiah.", "54")
    tags = [("00", "01"), ("01", "12"), *merchant_account]
    tags += [
        ("52", mcc),
        ("53", "360"),
        ("54", str(amount)),
        ("58", "ID"),
        ("59", merchant_name),
        ("60", merchant_city),
        ("61", postal_code),
    ]
    extra = additional_data(bill_number=bill_number, reference=reference, terminal=terminal)
    if extra:
        tags.append(("62", extra))
    _check_lengths(tags)
    return encode(tags)

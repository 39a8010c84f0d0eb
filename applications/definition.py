"""A form definition (the ``spec`` of a published version) and the three things made from it:
the JSON Schema (draft 2020-12) the API serves, the UI hints the app and the portal render, and
the server-side validation of answers. All three read the same constants, so what the schema
admits is exactly what the server accepts (``tests/applications/test_schema_property.py``).

A spec is plain JSON::

    {"service_code", "title_id", "title_en", "intro_id", "intro_en", "working_days",
     "output": {"kind", "name_id", "name_en", "letter_template"},
     "requirements": [{"code", "label_id", "label_en", "required"}],
     "fields": [{"key", "type", "label_id", "label_en", "help_id", "help_en", "required",
                 "min_length", "max_length", "min_value", "max_value", "integer", "pattern",
                 "choices": [{"value", "label_id", "label_en"}], "requirement",
                 "show_when": {"field", "value"} | null}]}

Rules a reader needs: an answer is present or absent, never null; a present text is never empty;
a field whose condition is not met must be absent (the portal drops what it hid); file fields
are not answers but documents attached against their requirement.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts import identifiers

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TEXT_MAX = 200
LONG_TEXT_MAX = 4000
STREET_MAX = 300
YES = frozenset({"yes", "ya", "true"})
NO = frozenset({"no", "tidak", "false"})
CONDITION_SOURCES = frozenset({"choice", "multiple_choice", "yes_no"})
LENGTH_TYPES = frozenset({"text", "long_text", "multiple_choice"})
PATTERN_TYPES = frozenset({"text", "long_text"})
RANGE_TYPES = frozenset({"number"})
CHOICE_TYPES = frozenset({"choice", "multiple_choice"})

# --- exact patterns of the identifier types (the server checks these, then the project's own
# validators, which agree with them: test_identifier_patterns_agree_with_validators) ----------
_PROVINCES = "|".join(sorted(identifiers.PROVINCE_CODES))
_AREA = r"(?:0[1-9]|[1-9][0-9])"
_DAY_MONTH = (
    r"(?:(?:0[1-9]|1[0-9]|2[0-8]|4[1-9]|5[0-9]|6[0-8])(?:0[1-9]|1[0-2])"
    r"|(?:29|30|69|70)(?:0[13-9]|1[0-2])"
    r"|(?:31|71)(?:0[13578]|1[02]))[0-9]{2}"
    r"|(?:29|69)02(?:[02468][048]|[13579][26])"
)
_SERIAL = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
NIK_PATTERN = rf"^(?:{_PROVINCES}){_AREA}{_AREA}(?:{_DAY_MONTH}){_SERIAL}$"
# A Balikpapan NOP (64.71…) with or without its dots and dash; special code 0, 7 or 9.
NOP_PATTERN = r"^64\.?71\.?[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{4}\.?[079]$"
# Indonesian mobile numbers of the operators' allocated prefixes, 10–13 digits after the 0.
PHONE_PATTERN = r"^(?:\+62|0)8(?:1[1-9]|2[1-3]|3[1-38]|5[1-9]|7[78]|8[1-9]|9[5-9])[0-9]{6,8}$"
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
EMAIL_MAX = 254
DATE_PATTERN = r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"

_COMPILED = {
    "nik": re.compile(NIK_PATTERN),
    "nop": re.compile(NOP_PATTERN),
    "phone": re.compile(PHONE_PATTERN),
    "email": re.compile(EMAIL_PATTERN),
    "date": re.compile(DATE_PATTERN),
}


def city_bbox() -> tuple[float, float, float, float]:
    """(south, west, north, east) of the city, from ``APPLICATIONS_CITY_BBOX``."""
    south, west, north, east = settings.APPLICATIONS_CITY_BBOX
    return float(south), float(west), float(north), float(east)


def _lang(language: str | None) -> str:
    return "en" if (language or get_language() or "id").startswith("en") else "id"


def text_in(row: dict, name: str, language: str | None = None) -> str:
    """``row[name_id]`` or ``row[name_en]`` for the language, falling back to Indonesian."""
    lang = _lang(language)
    return row.get(f"{name}_{lang}") or row.get(f"{name}_id") or ""


def kelurahan_codes() -> list[str]:
    from services.models import Kelurahan

    return list(Kelurahan.objects.order_by("code").values_list("code", flat=True))


# --- definition checks (admin, publish) -------------------------------------------------------


def parse_choices(text: str) -> list[dict]:
    """``value|label id|label en`` per line → choice dicts (labels default to the value)."""
    choices = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        value = parts[0]
        label_id = parts[1] if len(parts) > 1 and parts[1] else value
        label_en = parts[2] if len(parts) > 2 and parts[2] else label_id
        choices.append({"value": value, "label_id": label_id, "label_en": label_en})
    return choices


def spec_problems(spec: dict) -> list[str]:
    """What makes a spec unpublishable, in words an agency admin understands (empty: fine)."""
    problems: list[str] = []
    requirement_codes = {r["code"] for r in spec.get("requirements", [])}
    seen: dict[str, dict] = {}
    if not spec.get("fields"):
        problems.append(_("The form has no fields."))
    for field in spec.get("fields", []):
        key, kind = field["key"], field["type"]
        name = f"{key}: "
        if kind in CHOICE_TYPES:
            values = [c["value"] for c in field.get("choices", [])]
            if not values:
                problems.append(name + _("a choice field needs its allowed choices."))
            elif len(set(values)) != len(values):
                problems.append(name + _("the choices repeat a value."))
        elif field.get("choices"):
            problems.append(name + _("only choice fields have choices."))
        if field.get("pattern"):
            if kind not in PATTERN_TYPES:
                problems.append(name + _("only text fields have a pattern."))
            else:
                try:
                    re.compile(field["pattern"])
                except re.error:
                    problems.append(name + _("the pattern is not a valid regular expression."))
        if (field.get("min_length") is not None or field.get("max_length") is not None) and (
            kind not in LENGTH_TYPES
        ):
            problems.append(name + _("only text and multiple-choice fields have a length."))
        low, high = field.get("min_length"), field.get("max_length")
        if low is not None and high is not None and low > high:
            problems.append(name + _("the minimum length is above the maximum."))
        if (field.get("min_value") is not None or field.get("max_value") is not None) and (
            kind not in RANGE_TYPES
        ):
            problems.append(name + _("only number fields have a range."))
        low, high = field.get("min_value"), field.get("max_value")
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            problems.append(name + _("the minimum value is above the maximum."))
        if kind == "file":
            if field.get("requirement") not in requirement_codes:
                problems.append(name + _("a file field must name one of the required documents."))
        elif field.get("requirement"):
            problems.append(name + _("only file fields name a document."))
        condition = field.get("show_when")
        if condition:
            source = seen.get(condition["field"])
            if source is None:
                problems.append(
                    name + _("the condition must refer to an earlier field of this form.")
                )
            elif source["type"] not in CONDITION_SOURCES:
                problems.append(
                    name + _("a condition can only test a choice, multiple-choice or yes/no field.")
                )
            elif source["type"] == "yes_no":
                if condition["value"].lower() not in YES | NO:
                    problems.append(name + _("a yes/no condition tests the value yes or no."))
            elif condition["value"] not in {c["value"] for c in source.get("choices", [])}:
                problems.append(name + _("the condition tests a value the field does not offer."))
        seen[key] = field
    return problems


# --- conditions -------------------------------------------------------------------------------


def _condition_met(spec_fields: dict, condition: dict | None, answers: dict) -> bool:
    if not condition:
        return True
    source = spec_fields[condition["field"]]
    value = answers.get(condition["field"])
    expected = condition["value"]
    if source["type"] == "yes_no":
        return value is (expected.lower() in YES)
    if source["type"] == "multiple_choice":
        return isinstance(value, list) and any(isinstance(v, str) and v == expected for v in value)
    return isinstance(value, str) and value == expected


def visible_keys(spec: dict, answers: dict) -> set[str]:
    fields = {f["key"]: f for f in spec["fields"]}
    return {f["key"] for f in spec["fields"] if _condition_met(fields, f.get("show_when"), answers)}


def _condition_schema(source: dict, value: str) -> dict:
    if source["type"] == "yes_no":
        test = {"const": value.lower() in YES}
    elif source["type"] == "multiple_choice":
        test = {"type": "array", "contains": {"const": value}}
    else:
        test = {"const": value}
    return {"properties": {source["key"]: test}, "required": [source["key"]]}


# --- JSON Schema and UI hints -----------------------------------------------------------------


def _number(value) -> float | int:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _text_bounds(field: dict, default_max: int) -> dict:
    return {
        "minLength": max(field.get("min_length") or 0, 1),
        "maxLength": field.get("max_length") or default_max,
    }


def field_schema(field: dict, language: str | None = None, kelurahan: list[str] | None = None):
    """The JSON Schema of one answer (``None`` for a file field: it is a document)."""
    kind = field["type"]
    schema: dict
    if kind in ("text", "long_text"):
        schema = {
            "type": "string",
            **_text_bounds(field, TEXT_MAX if kind == "text" else LONG_TEXT_MAX),
        }
        if field.get("pattern"):
            schema["pattern"] = field["pattern"]
    elif kind == "number":
        schema = {"type": "integer" if field.get("integer") else "number"}
        if field.get("min_value") is not None:
            schema["minimum"] = _number(field["min_value"])
        if field.get("max_value") is not None:
            schema["maximum"] = _number(field["max_value"])
    elif kind == "date":
        schema = {"type": "string", "format": "date", "pattern": DATE_PATTERN}
    elif kind == "choice":
        schema = {"type": "string", "enum": [c["value"] for c in field["choices"]]}
    elif kind == "multiple_choice":
        count = len(field["choices"])
        schema = {
            "type": "array",
            "items": {"type": "string", "enum": [c["value"] for c in field["choices"]]},
            "uniqueItems": True,
            "minItems": max(field.get("min_length") or 0, 1),
            "maxItems": min(field.get("max_length") or count, count),
        }
    elif kind == "yes_no":
        schema = {"type": "boolean"}
    elif kind == "nik":
        schema = {"type": "string", "pattern": NIK_PATTERN}
    elif kind == "nop":
        schema = {"type": "string", "pattern": NOP_PATTERN}
    elif kind == "phone":
        schema = {"type": "string", "pattern": PHONE_PATTERN}
    elif kind == "email":
        schema = {"type": "string", "pattern": EMAIL_PATTERN, "maxLength": EMAIL_MAX}
    elif kind == "address":
        codes = kelurahan if kelurahan is not None else kelurahan_codes()
        schema = {
            "type": "object",
            "properties": {
                "street": {"type": "string", "minLength": 1, "maxLength": STREET_MAX},
                "kelurahan": {"type": "string", "enum": codes},
            },
            "required": ["street", "kelurahan"],
            "additionalProperties": False,
        }
    elif kind == "location":
        south, west, north, east = city_bbox()
        schema = {
            "type": "object",
            "properties": {
                "latitude": {"type": "number", "minimum": south, "maximum": north},
                "longitude": {"type": "number", "minimum": west, "maximum": east},
            },
            "required": ["latitude", "longitude"],
            "additionalProperties": False,
        }
    else:
        return None
    schema["title"] = text_in(field, "label", language)
    if text_in(field, "help", language):
        schema["description"] = text_in(field, "help", language)
    return schema


def json_schema(spec: dict, language: str | None = None, *, schema_id: str = "") -> dict:
    """The JSON Schema (draft 2020-12) of a complete set of answers."""
    fields = {f["key"]: f for f in spec["fields"]}
    kelurahan = kelurahan_codes() if any(f["type"] == "address" for f in fields.values()) else []
    properties, required, conditions = {}, [], []
    for field in spec["fields"]:
        schema = field_schema(field, language, kelurahan)
        if schema is None:
            continue
        key = field["key"]
        properties[key] = schema
        condition = field.get("show_when")
        if condition:
            conditions.append(
                {
                    "if": _condition_schema(fields[condition["field"]], condition["value"]),
                    "then": {"required": [key]} if field["required"] else {},
                    "else": {"not": {"required": [key]}},
                }
            )
        elif field["required"]:
            required.append(key)
    schema = {
        "$schema": SCHEMA_DIALECT,
        "title": text_in(spec, "title", language),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if schema_id:
        schema["$id"] = schema_id
    if conditions:
        schema["allOf"] = conditions
    return schema


WIDGETS = {
    "text": "text",
    "long_text": "textarea",
    "number": "number",
    "date": "date",
    "choice": "select",
    "multiple_choice": "checkboxes",
    "yes_no": "radio",
    "nik": "nik",
    "nop": "nop",
    "phone": "tel",
    "email": "email",
    "address": "address",
    "location": "map",
    "file": "file",
}


def ui_hints(spec: dict, language: str | None = None) -> dict:
    """How to render the form: order, widgets, labels, choices' labels, conditions, uploads."""
    hints = {}
    for field in spec["fields"]:
        hint = {
            "widget": WIDGETS[field["type"]],
            "label": text_in(field, "label", language),
            "help": text_in(field, "help", language),
            "required": bool(field["required"]),
        }
        if field.get("choices"):
            hint["choices"] = [
                {"value": c["value"], "label": text_in(c, "label", language)}
                for c in field["choices"]
            ]
        if field["type"] == "file":
            hint["requirement"] = field["requirement"]
            hint["accept"] = ["image/jpeg", "image/png", "application/pdf"]
        if field["type"] == "location":
            south, west, north, east = city_bbox()
            hint["bounds"] = {"south": south, "west": west, "north": north, "east": east}
        if field.get("show_when"):
            hint["show_when"] = dict(field["show_when"])
        hints[field["key"]] = hint
    return {
        "order": [f["key"] for f in spec["fields"]],
        "fields": hints,
        "requirements": [
            {"code": r["code"], "label": text_in(r, "label", language), "required": r["required"]}
            for r in spec["requirements"]
        ],
    }


# --- server-side validation -------------------------------------------------------------------


class _Invalid(Exception):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_text(field: dict, value, default_max: int) -> str:
    if not isinstance(value, str):
        raise _Invalid(_("Enter text."), "invalid_type")
    bounds = _text_bounds(field, default_max)
    if len(value) < bounds["minLength"]:
        raise _Invalid(
            _("Enter at least %(n)d characters.") % {"n": bounds["minLength"]}, "min_length"
        )
    if len(value) > bounds["maxLength"]:
        raise _Invalid(
            _("Enter at most %(n)d characters.") % {"n": bounds["maxLength"]}, "max_length"
        )
    if field.get("pattern") and not re.search(field["pattern"], value):
        raise _Invalid(_("The value does not have the expected form."), "pattern")
    return value


def _check_identifier(kind: str, value, message) -> str:
    if not isinstance(value, str) or not _COMPILED[kind].match(value):
        raise _Invalid(message, f"invalid_{kind}")
    return value


def _check(field: dict, value, kelurahan: set[str] | None):
    """The cleaned value of one answer, or raise ``_Invalid``."""
    kind = field["type"]
    if kind in ("text", "long_text"):
        return _check_text(field, value, TEXT_MAX if kind == "text" else LONG_TEXT_MAX)
    if kind == "number":
        if field.get("integer"):
            if not _is_number(value) or (isinstance(value, float) and not value.is_integer()):
                raise _Invalid(_("Enter a whole number."), "invalid_type")
        elif not _is_number(value):
            raise _Invalid(_("Enter a number."), "invalid_type")
        if field.get("min_value") is not None and value < _number(field["min_value"]):
            raise _Invalid(
                _("The smallest allowed value is %(n)s.") % {"n": _number(field["min_value"])},
                "min_value",
            )
        if field.get("max_value") is not None and value > _number(field["max_value"]):
            raise _Invalid(
                _("The largest allowed value is %(n)s.") % {"n": _number(field["max_value"])},
                "max_value",
            )
        return value
    if kind == "date":
        _check_identifier("date", value, _("Enter a date as YYYY-MM-DD."))
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise _Invalid(_("Enter a real date."), "invalid_date") from None
        return value
    if kind == "choice":
        if not isinstance(value, str) or value not in {c["value"] for c in field["choices"]}:
            raise _Invalid(_("Choose one of the offered options."), "invalid_choice")
        return value
    if kind == "multiple_choice":
        allowed = {c["value"] for c in field["choices"]}
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _Invalid(_("Choose from the offered options."), "invalid_type")
        if any(v not in allowed for v in value):
            raise _Invalid(_("Choose only from the offered options."), "invalid_choice")
        if len(set(value)) != len(value):
            raise _Invalid(_("Choose each option once."), "duplicate_choice")
        schema = field_schema(field, kelurahan=[])
        if len(value) < schema["minItems"]:
            raise _Invalid(
                _("Choose at least %(n)d option(s).") % {"n": schema["minItems"]}, "min_length"
            )
        if len(value) > schema["maxItems"]:
            raise _Invalid(
                _("Choose at most %(n)d option(s).") % {"n": schema["maxItems"]}, "max_length"
            )
        return value
    if kind == "yes_no":
        if not isinstance(value, bool):
            raise _Invalid(_("Answer yes or no."), "invalid_type")
        return value
    if kind == "nik":
        _check_identifier("nik", value, _("Enter a valid 16-digit NIK."))
        try:
            identifiers.validate_nik(value)
        except DjangoValidationError as exc:
            raise _Invalid(exc.messages[0], exc.code or "invalid_nik") from None
        return value
    if kind == "nop":
        from payments.nop import NopError, nop_parse

        message = _("Enter a Balikpapan NOP of 18 digits (64.71…).")
        _check_identifier("nop", value, message)
        try:
            return nop_parse(value).formatted
        except NopError as exc:
            raise _Invalid(message, exc.code) from None
    if kind == "phone":
        _check_identifier("phone", value, _("Enter an Indonesian mobile number (08…)."))
        try:
            return identifiers.normalize_phone(value)
        except DjangoValidationError:
            raise _Invalid(_("Enter an Indonesian mobile number (08…)."), "invalid_phone") from None
    if kind == "email":
        if isinstance(value, str) and len(value) > EMAIL_MAX:
            raise _Invalid(_("Enter a valid email address."), "invalid_email")
        return _check_identifier("email", value, _("Enter a valid email address."))
    if kind == "address":
        if not isinstance(value, dict) or set(value) != {"street", "kelurahan"}:
            raise _Invalid(_("Give the street address and the kelurahan."), "invalid_address")
        street = value["street"]
        if not isinstance(street, str) or not 1 <= len(street) <= STREET_MAX:
            raise _Invalid(
                _("The street address has 1 to %(n)d characters.") % {"n": STREET_MAX},
                "invalid_address",
            )
        codes = kelurahan if kelurahan is not None else set(kelurahan_codes())
        if not isinstance(value["kelurahan"], str) or value["kelurahan"] not in codes:
            raise _Invalid(_("Choose a kelurahan of Balikpapan."), "invalid_kelurahan")
        return {"street": street, "kelurahan": value["kelurahan"]}
    if kind == "location":
        if not isinstance(value, dict) or set(value) != {"latitude", "longitude"}:
            raise _Invalid(_("Give a latitude and a longitude."), "invalid_location")
        lat, lon = value["latitude"], value["longitude"]
        if not _is_number(lat) or not _is_number(lon):
            raise _Invalid(_("Give a latitude and a longitude."), "invalid_location")
        south, west, north, east = city_bbox()
        if not (south <= lat <= north and west <= lon <= east):
            raise _Invalid(_("The location is outside Balikpapan."), "outside_city")
        return {"latitude": lat, "longitude": lon}
    raise _Invalid(_("This field takes no answer."), "unknown_field")


def validate_answers(spec: dict, answers, *, partial: bool = False) -> dict:
    """Clean ``answers`` against ``spec``; raise a DRF ``ValidationError`` whose attrs are
    ``answers.<key>`` with one error per field (code: ``required``, ``not_applicable``,
    ``unknown_field``, ``invalid_*``, ``min_*``/``max_*``, ``pattern`` …).

    ``partial`` (a draft): absent required fields are fine, and answers to fields that the
    current answers hide are dropped instead of refused.
    """
    if not isinstance(answers, dict):
        raise serializers.ValidationError(
            {"answers": [_("Expected an object of answers.")]}, code="invalid"
        )
    fields = {f["key"]: f for f in spec["fields"] if f["type"] != "file"}
    visible = visible_keys(spec, answers)
    needs_kelurahan = any(f["type"] == "address" for f in fields.values())
    kelurahan = set(kelurahan_codes()) if needs_kelurahan else set()
    errors: dict[str, list] = {}
    cleaned: dict = {}
    for key in answers:
        if key not in fields:
            errors[key] = [
                serializers.ErrorDetail(_("This form has no such field."), code="unknown_field")
            ]
    for key, field in fields.items():
        present = key in answers
        if key not in visible:
            if present and not partial:
                errors[key] = [
                    serializers.ErrorDetail(
                        _("This field does not apply to your other answers."),
                        code="not_applicable",
                    )
                ]
            continue
        if not present:
            if field["required"] and not partial:
                errors[key] = [
                    serializers.ErrorDetail(_("This field is required."), code="required")
                ]
            continue
        try:
            cleaned[key] = _check(field, answers[key], kelurahan)
        except _Invalid as exc:
            errors[key] = [serializers.ErrorDetail(str(exc.message), code=exc.code)]
    if errors:
        raise serializers.ValidationError({"answers": errors})
    return cleaned


def needed_requirements(spec: dict, answers: dict) -> list[dict]:
    """The documents this application needs: those always required, and those asked by a
    required file field that the answers show."""
    visible = visible_keys(spec, answers)
    asked = {
        f["requirement"]
        for f in spec["fields"]
        if f["type"] == "file" and f["required"] and f["key"] in visible
    }
    return [r for r in spec["requirements"] if r["required"] or r["code"] in asked]


def nik_keys(spec: dict) -> list[str]:
    return [f["key"] for f in spec["fields"] if f["type"] == "nik"]

"""Server-side validation of each field type and of the conditions, and the JSON Schema that
states the same rules."""

import jsonschema
import pytest
from rest_framework.exceptions import ValidationError

from applications import definition
from tests.applications.conftest import GOOD, NIK_SITI

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(form):
    return form.current_version.spec


def errors_of(spec, answers, partial=False) -> dict:
    try:
        definition.validate_answers(spec, answers, partial=partial)
    except ValidationError as exc:
        return {key: [e.code for e in errs] for key, errs in exc.detail["answers"].items()}
    return {}


def schema_ok(spec, answers) -> bool:
    validator = jsonschema.Draft202012Validator(
        definition.json_schema(spec), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(answers)


def test_the_good_answers_pass_and_are_cleaned(spec):
    cleaned = definition.validate_answers(spec, GOOD)
    assert cleaned["phone"] == "+6281234567890"  # normalised by phonenumbers
    assert cleaned["nik"] == NIK_SITI
    assert schema_ok(spec, GOOD)


GOOD_AND_BAD = [
    # (field, good values, (bad value, error code) pairs)
    ("name", ["Ab", "Siti Rahma"], [("A", "min_length"), ("x" * 21, "max_length"),
                                    ("Siti 2", "pattern"), (5, "invalid_type"), ("", "min_length")]),
    ("story", ["Cerita singkat"], [("x" * 51, "max_length"), ("", "min_length"), (["a"], "invalid_type")]),
    ("count", [1, 10, 4.0], [(0, "min_value"), (11, "max_value"), (2.5, "invalid_type"),
                              ("3", "invalid_type"), (True, "invalid_type")]),
    ("size", [0.5, 2.5, 1], [(0.4, "min_value"), (2.6, "max_value"), ("1", "invalid_type")]),
    ("day", ["2026-02-28", "2024-02-29"], [("2026-02-30", "invalid_date"), ("28-02-2026", "invalid_date"),
                                            ("20260228", "invalid_date"), (20260228, "invalid_date")]),
    ("kind", ["a", "b"], [("c", "invalid_choice"), ("A", "invalid_choice"), (1, "invalid_choice")]),
    ("tags", [["x"], ["x", "y"]], [([], "min_length"), (["x", "y", "z"], "max_length"),
                                    (["x", "x"], "duplicate_choice"), (["w"], "invalid_choice"),
                                    ("x", "invalid_type")]),
    ("agree", [False], [("no", "invalid_type"), (0, "invalid_type")]),
    ("nik", [NIK_SITI, "3578084101950001"], [("647105410799004", "invalid_nik"),
                                               ("6471053202990042", "invalid_nik"),
                                               ("9971054107990042", "invalid_nik"),
                                               ("6471054107990000", "invalid_nik")]),
    ("nop", ["64.71.050.002.003-0045.0", "647105000200300457"],
     [("64.72.050.002.003-0045.0", "invalid_nop"), ("64.71.050.002.003-0045.5", "invalid_nop"),
      ("6471", "invalid_nop")]),
    ("phone", ["081234567890", "+6281234567890"], [("0212345678", "invalid_phone"),
                                                   ("08123", "invalid_phone"), (812345678, "invalid_phone")]),
    ("email", ["siti@example.co.id"], [("siti@", "invalid_email"), ("si ti@example.com", "invalid_email"),
                                        ("a..b@example.com", "invalid_email")]),
    ("address", [{"street": "Jl. A", "kelurahan": "64.71.05.1002"}],
     [({"street": "Jl. A", "kelurahan": "99.99"}, "invalid_kelurahan"),
      ({"street": "", "kelurahan": "64.71.05.1002"}, "invalid_address"),
      ({"street": "Jl. A"}, "invalid_address"), ("Jl. A", "invalid_address")]),
    ("spot", [{"latitude": -1.25, "longitude": 116.85}],
     [({"latitude": -6.2, "longitude": 106.8}, "outside_city"),
      ({"latitude": "-1.25", "longitude": 116.85}, "invalid_location"),
      ({"latitude": -1.25}, "invalid_location")]),
]  # fmt: skip


@pytest.mark.parametrize(("key", "good", "bad"), GOOD_AND_BAD, ids=[row[0] for row in GOOD_AND_BAD])
def test_each_field_type_accepts_good_and_refuses_bad_values(spec, key, good, bad):
    for value in good:
        answers = {**GOOD, key: value}
        assert errors_of(spec, answers) == {}, value
        assert schema_ok(spec, answers), value
    for value, code in bad:
        answers = {**GOOD, key: value}
        if key == "agree":  # the reason is asked only when agree is false
            del answers["reason"]
        assert errors_of(spec, answers) == {key: [code]}, value
        assert not schema_ok(spec, answers), value


def test_required_unknown_and_null(spec):
    answers = {k: v for k, v in GOOD.items() if k != "name"}
    assert errors_of(spec, answers) == {"name": ["required"]}
    assert errors_of(spec, {**GOOD, "colour": "red"}) == {"colour": ["unknown_field"]}
    assert errors_of(spec, {**GOOD, "permit": "x"}) == {"permit": ["unknown_field"]}
    assert errors_of(spec, {**GOOD, "story": None}) == {"story": ["invalid_type"]}
    with pytest.raises(ValidationError) as exc:
        definition.validate_answers(spec, ["not", "an", "object"])
    assert "answers" in exc.value.detail


def test_conditions_require_shown_fields_and_refuse_hidden_ones(spec):
    # kind == other shows kind_other (required)
    assert errors_of(spec, {**GOOD, "kind": "other"}) == {"kind_other": ["required"]}
    assert errors_of(spec, {**GOOD, "kind": "other", "kind_other": "Jasa"}) == {}
    assert errors_of(spec, {**GOOD, "kind_other": "Jasa"}) == {"kind_other": ["not_applicable"]}
    # agree == no shows reason (required)
    no_reason = {k: v for k, v in GOOD.items() if k != "reason"}
    assert errors_of(spec, no_reason) == {"reason": ["required"]}
    assert errors_of(spec, {**no_reason, "agree": True}) == {}
    assert errors_of(spec, {**GOOD, "agree": True}) == {"reason": ["not_applicable"]}
    # a multiple choice containing z shows the optional tag_note
    assert errors_of(spec, {**GOOD, "tags": ["z"]}) == {}
    assert errors_of(spec, {**GOOD, "tags": ["z"], "tag_note": "ok"}) == {}
    assert errors_of(spec, {**GOOD, "tag_note": "ok"}) == {"tag_note": ["not_applicable"]}
    for answers, ok in [
        ({**GOOD, "kind": "other"}, False),
        ({**GOOD, "kind": "other", "kind_other": "Jasa"}, True),
        ({**GOOD, "kind_other": "Jasa"}, False),
        ({**GOOD, "agree": True}, False),
        ({**GOOD, "tags": ["z"], "tag_note": "ok"}, True),
        ({**GOOD, "tag_note": "ok"}, False),
    ]:
        assert schema_ok(spec, answers) is ok, answers


def test_a_draft_may_be_incomplete_and_drops_what_its_answers_hide(spec):
    cleaned = definition.validate_answers(
        spec, {"kind": "a", "kind_other": "Jasa", "name": "Siti"}, partial=True
    )
    assert cleaned == {"kind": "a", "name": "Siti"}
    assert errors_of(spec, {"count": 99}, partial=True) == {"count": ["max_value"]}


def test_documents_follow_the_conditions(spec):
    assert [r["code"] for r in definition.needed_requirements(spec, GOOD)] == ["ktp"]
    shown = {**GOOD, "agree": True}
    del shown["reason"]
    assert [r["code"] for r in definition.needed_requirements(spec, shown)] == ["ktp", "old_permit"]


def test_the_schema_and_hints_describe_the_form(spec):
    schema = definition.json_schema(spec, "en")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == [
        "name",
        "count",
        "day",
        "kind",
        "tags",
        "agree",
        "nik",
        "phone",
        "address",
    ]
    assert "permit" not in schema["properties"]  # a file is a document, not an answer
    assert schema["properties"]["count"] == {
        "type": "integer", "minimum": 1, "maximum": 10, "title": "Count"
    }  # fmt: skip
    assert schema["properties"]["address"]["properties"]["kelurahan"]["enum"] == ["64.71.05.1002"]
    hints = definition.ui_hints(spec, "id")
    assert hints["order"][-1] == "permit"
    assert hints["fields"]["permit"] == {
        "widget": "file", "label": "Izin lama", "help": "", "required": True,
        "requirement": "old_permit", "accept": ["image/jpeg", "image/png", "application/pdf"],
        "show_when": {"field": "agree", "value": "yes"},
    }  # fmt: skip
    assert hints["fields"]["kind"]["choices"][2] == {"value": "other", "label": "Lain"}


def test_identifier_patterns_agree_with_the_project_validators():
    """Every NIK the pattern admits passes accounts.identifiers, and vice versa (sampled)."""
    import random
    import re

    from django.core.exceptions import ValidationError as DjangoValidationError

    from accounts.identifiers import validate_nik

    pattern = re.compile(definition.NIK_PATTERN)
    rng = random.Random(7)
    for _ in range(20000):
        nik = (
            "".join(rng.choice("0123456789") for _ in range(4))
            + rng.choice(["00", "01", "71"])
            + f"{rng.randint(0, 79):02d}{rng.randint(0, 13):02d}{rng.randint(0, 99):02d}"
            + "".join(rng.choice("0123456789") for _ in range(4))
        )
        try:
            validate_nik(nik)
            valid = True
        except DjangoValidationError:
            valid = False
        assert bool(pattern.match(nik)) is valid, nik


def test_spec_problems_name_what_to_fix(agency, category, kelurahan):
    from applications import services
    from applications.exceptions import FormInvalid
    from tests.applications.conftest import make_form

    form = make_form(
        agency,
        category,
        code="rusak",
        publish=False,
        fields=[
            {
                "key": "a",
                "field_type": "text",
                "label_id": "A",
                "label_en": "A",
                "show_when_field": "b",
                "show_when_value": "x",
            },
            {
                "key": "b",
                "field_type": "choice",
                "label_id": "B",
                "label_en": "B",
                "choices": "y|Y|Y",
            },
            {
                "key": "c",
                "field_type": "file",
                "label_id": "C",
                "label_en": "C",
                "requirement_code": "nope",
            },
            {
                "key": "d",
                "field_type": "text",
                "label_id": "D",
                "label_en": "D",
                "show_when_field": "b",
                "show_when_value": "z",
            },
        ],
        requirements=[],
    )
    problems = definition.spec_problems(services.form_spec(form))
    assert problems == [
        "a: the condition must refer to an earlier field of this form.",
        "c: a file field must name one of the required documents.",
        "d: the condition tests a value the field does not offer.",
    ]
    with pytest.raises(FormInvalid):
        services.form_publish(actor=None, form=form)
    assert form.versions.count() == 0

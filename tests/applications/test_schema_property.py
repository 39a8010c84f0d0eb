"""The schema served matches what the server validates.

Answers are generated from the JSON Schema the API serves and sent to the server's validation
endpoint: every generated set is accepted. Then one answer at a time is disturbed (a value of
the right type without its constraints, a missing or an extra key) and the server's verdict must
equal the served schema's verdict (jsonschema, formats checked).

hypothesis-jsonschema 0.23.1 (the latest) fails on the installed Hypothesis 6.170 (it uses a
removed private API), so ``from_schema`` below is our own strategy: it reads only the served
schema — the keywords the module serves (object, string, integer, number, boolean, array,
enum, pattern, lengths, range, format date, and ``allOf`` of ``if``/``then``/``else``).
"""

import datetime as dt

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.applications.conftest import api

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
CONSTRAINTS = {
    "pattern",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "enum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "format",
}


def _string(schema: dict):
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if schema.get("format") == "date":
        strategy = st.dates().map(dt.date.isoformat)
    elif "pattern" in schema:
        strategy = st.from_regex(schema["pattern"], fullmatch=True)
    else:
        return st.text(min_size=low, max_size=high if high is not None else 50)
    return strategy.filter(lambda v: low <= len(v) and (high is None or len(v) <= high))


def from_schema(schema: dict):
    """A strategy for instances of ``schema`` (the subset the module serves)."""
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "number":
        low, high = schema.get("minimum"), schema.get("maximum")
        return st.one_of(
            st.floats(low, high, allow_nan=False, allow_infinity=False),
            st.integers(
                None if low is None else int(-(-low // 1)),
                None if high is None else int(high // 1),
            ).filter(lambda v: (low is None or v >= low) and (high is None or v <= high)),
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        items = schema["items"]
        return st.lists(
            from_schema(items),
            min_size=schema.get("minItems", 0),
            max_size=schema.get("maxItems", 5),
            unique=schema.get("uniqueItems", False),
        )
    if kind == "object":
        return _object(schema)
    raise AssertionError(f"keyword not served: {schema}")


def _object(schema: dict):
    properties, required = schema["properties"], set(schema.get("required", []))
    conditions = schema.get("allOf", [])

    @st.composite
    def build(draw):
        out = {}
        for key, sub in properties.items():
            if key in required or draw(st.booleans()):
                out[key] = draw(from_schema(sub))
        for rule in conditions:  # in field order: a condition's source comes earlier
            target = rule["else"]["not"]["required"][0]
            if jsonschema.Draft202012Validator(rule["if"]).is_valid(out):
                if rule["then"].get("required") and target not in out:
                    out[target] = draw(from_schema(properties[target]))
            else:
                out.pop(target, None)
        return out

    return build()


@pytest.fixture
def served(form):
    response = api().get("/api/v1/permohonan/forms/izin_uji/")
    assert response.status_code == 200
    return response.json()["json_schema"]


def _relaxed(schema: dict) -> dict:
    """The property's type without its constraints (values near the edge of validity)."""
    if schema.get("type") == "object":
        return {
            "type": "object",
            "properties": {k: _relaxed(v) for k, v in schema["properties"].items()},
            "required": schema.get("required", []),
            "additionalProperties": False,
        }
    if schema.get("type") == "array":
        return {"type": "array", "items": _relaxed(schema["items"]), "maxItems": 4}
    relaxed = {k: v for k, v in schema.items() if k not in CONSTRAINTS | {"title", "description"}}
    if relaxed.get("type") == "string":
        relaxed["maxLength"] = 30
    return relaxed


def _verdict(citizen, answers) -> int:
    response = api(citizen).post(
        "/api/v1/permohonan/forms/izin_uji/validate/", {"answers": answers}, format="json"
    )
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        attrs = {e["attr"] for e in response.json()["errors"]}
        assert all(a.startswith("answers") for a in attrs), attrs
    return response.status_code


def test_every_answer_set_generated_from_the_served_schema_is_accepted(served, citizen):
    @SETTINGS
    @given(answers=from_schema(served))
    def check(answers):
        assert _verdict(citizen, answers) == 200, answers

    check()


def test_the_server_agrees_with_the_served_schema_near_its_edges(served, citizen):
    validator = jsonschema.Draft202012Validator(
        served, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    keys = sorted(served["properties"])

    @st.composite
    def disturbed(draw):
        answers = dict(draw(from_schema(served)))
        key = draw(st.sampled_from(keys))
        how = draw(st.sampled_from(["relax", "drop", "add"]))
        if how == "relax":
            answers[key] = draw(from_schema(_relaxed(served["properties"][key])))
        elif how == "drop":
            answers.pop(key, None)
        else:
            answers[key] = draw(from_schema(served["properties"][key]))
        return answers

    seen = {True: 0, False: 0}

    @SETTINGS
    @given(answers=disturbed())
    def check(answers):
        expected = 200 if validator.is_valid(answers) else 400
        seen[expected == 200] += 1
        assert _verdict(citizen, answers) == expected, answers

    check()
    assert seen[True] and seen[False]  # both verdicts were exercised

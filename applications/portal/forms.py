"""The portal's HTML form built from a form definition (the same spec the API serves as JSON
Schema). Inputs are only collected and converted here; the rules are checked by the service
(``definition.validate_answers``), whose field errors are put back on the inputs."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from applications import definition

ACCEPT = "image/jpeg,image/png,application/pdf"
_INTEGER = re.compile(r"^-?[0-9]+$")
_DECIMAL = re.compile(r"^-?[0-9]+(?:[.,][0-9]+)?$")


def _number(raw: str):
    """``"12"`` → 12, ``"1,5"`` → 1.5; anything else stays text (the service refuses it)."""
    if _INTEGER.match(raw):
        return int(raw)
    if _DECIMAL.match(raw):
        return float(raw.replace(",", "."))
    return raw


def document_inputs(spec: dict) -> list[dict]:
    """Requirements that no file field asks for: the form adds an upload for each at the end."""
    asked = {f["requirement"] for f in spec["fields"] if f["type"] == "file"}
    return [r for r in spec["requirements"] if r["code"] not in asked]


class DefinitionForm(forms.Form):
    """Inputs of one spec. ``groups`` pairs each definition field with its inputs for the
    template (an address and a location have two)."""

    def __init__(self, *args, spec: dict, kelurahan=(), attached=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.groups: list[tuple[dict, list[str]]] = []
        attached = set(attached)
        for field in spec["fields"]:
            names = self._add(field, list(kelurahan), attached)
            if field["required"]:  # announced; checked by the service, per condition
                for name in names:
                    self.fields[name].widget.attrs["aria-required"] = "true"
            self.groups.append((field, names))
        self.extra_documents = []
        for requirement in document_inputs(spec):
            name = f"doc__{requirement['code']}"
            self.fields[name] = forms.FileField(
                label=definition.text_in(requirement, "label"),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                help_text=_already(requirement["code"], attached),
            )
            self.extra_documents.append(name)

    def _add(self, field: dict, kelurahan: list, attached: set) -> list[str]:
        key, kind = field["key"], field["type"]
        label = definition.text_in(field, "label")
        help_text = definition.text_in(field, "help")
        common = {"label": label, "required": False, "help_text": help_text}
        if kind == "address":
            self.fields[f"{key}__street"] = forms.CharField(
                label=_("%(label)s: street, number, RT") % {"label": label},
                required=False,
                max_length=definition.STREET_MAX,
                help_text=help_text,
                widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
            )
            self.fields[f"{key}__kelurahan"] = forms.CharField(
                label=_("%(label)s: kelurahan") % {"label": label},
                required=False,
                widget=forms.Select(choices=[("", "—"), *kelurahan]),
            )
            return [f"{key}__street", f"{key}__kelurahan"]
        if kind == "location":
            for part, part_label in (("latitude", _("latitude")), ("longitude", _("longitude"))):
                self.fields[f"{key}__{part}"] = forms.CharField(
                    label=f"{label}: {part_label}",
                    required=False,
                    help_text=help_text if part == "latitude" else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "data-geo": part}),
                )
            return [f"{key}__latitude", f"{key}__longitude"]
        if kind == "file":
            common["help_text"] = " ".join(
                filter(None, [help_text, str(_already(field["requirement"], attached))])
            )
            self.fields[key] = forms.FileField(
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}), **common
            )
        elif kind == "long_text":
            self.fields[key] = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        elif kind in ("choice", "yes_no"):
            if kind == "choice":
                choices = [(c["value"], definition.text_in(c, "label")) for c in field["choices"]]
            else:
                choices = [("yes", _("Yes")), ("no", _("No"))]
            widget = forms.RadioSelect if kind == "yes_no" or len(choices) <= 4 else forms.Select
            if widget is forms.Select:
                choices = [("", "—"), *choices]
            self.fields[key] = forms.ChoiceField(choices=choices, widget=widget, **common)
        elif kind == "multiple_choice":
            self.fields[key] = forms.MultipleChoiceField(
                choices=[(c["value"], definition.text_in(c, "label")) for c in field["choices"]],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        else:
            attrs = {
                "number": {"inputmode": "decimal"},
                "date": {"type": "date"},
                "nik": {"inputmode": "numeric", "autocomplete": "off", "maxlength": "16"},
                "nop": {"inputmode": "numeric", "autocomplete": "off"},
                "phone": {"type": "tel", "autocomplete": "tel"},
                "email": {"type": "email", "autocomplete": "email"},
            }.get(kind, {})
            self.fields[key] = forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
        return [key]

    # --- conversion -------------------------------------------------------------------------

    def answers(self) -> dict:
        """The answers as the API would send them, without those the answers hide (the script
        hides them in the browser; without it they are dropped here)."""
        data, answers = self.data, {}
        for field, _names in self.groups:
            key, kind = field["key"], field["type"]
            if kind == "file":
                continue
            if kind == "multiple_choice":
                values = [v for v in data.getlist(key) if v]
                if values:
                    answers[key] = values
                continue
            if kind == "address":
                street = data.get(f"{key}__street", "").strip()
                kelurahan = data.get(f"{key}__kelurahan", "").strip()
                if street or kelurahan:
                    answers[key] = {"street": street, "kelurahan": kelurahan}
                continue
            if kind == "location":
                lat = data.get(f"{key}__latitude", "").strip()
                lon = data.get(f"{key}__longitude", "").strip()
                if lat or lon:
                    answers[key] = {"latitude": _number(lat), "longitude": _number(lon)}
                continue
            raw = data.get(key, "").strip()
            if not raw:
                continue
            if kind == "number":
                answers[key] = _number(raw)
            elif kind == "yes_no":
                answers[key] = (
                    raw in definition.YES if raw in definition.YES | definition.NO else raw
                )
            else:
                answers[key] = raw
        visible = definition.visible_keys(self.spec, answers)
        return {key: value for key, value in answers.items() if key in visible}

    def uploads(self, answers: dict) -> dict:
        """``{requirement code: uploaded file}`` of the shown file fields and extra documents."""
        visible = definition.visible_keys(self.spec, answers)
        files = {}
        for field, _names in self.groups:
            if field["type"] == "file" and field["key"] in visible:
                upload = self.files.get(field["key"])
                if upload:
                    files[field["requirement"]] = upload
        for name in self.extra_documents:
            upload = self.files.get(name)
            if upload:
                files[name.removeprefix("doc__")] = upload
        return files

    def add_service_errors(self, detail: dict) -> list[str]:
        """Put ``answers.<key>`` and ``documents.<code>`` errors on their inputs; return the
        messages that have no input."""
        rest: list[str] = []
        inputs = {field["key"]: names for field, names in self.groups}
        by_requirement = {
            field["requirement"]: field["key"]
            for field, _n in self.groups
            if field["type"] == "file"
        }
        for section, errors in detail.items():
            if section not in ("answers", "documents") or not isinstance(errors, dict):
                rest += _flat(errors)
                continue
            for key, messages in errors.items():
                if section == "answers":
                    names = inputs.get(key)
                else:
                    target = by_requirement.get(key)
                    names = inputs.get(target) if target else [f"doc__{key}"]
                name = names[0] if names else None
                if name in self.fields:
                    for message in _flat(messages):
                        self.add_error(name, message)
                else:
                    rest += _flat(messages)
        return rest

    def describe_errors(self) -> None:
        """Radios and checkboxes: each input names the group's error (Django puts it on the
        fieldset only), so a screen reader reads it on the input that is invalid."""
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and isinstance(
                field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def initial_from(self, answers: dict) -> None:
        for field, _names in self.groups:
            key, value = field["key"], answers.get(field["key"])
            if value is None:
                continue
            if field["type"] == "address":
                self.initial[f"{key}__street"] = value.get("street", "")
                self.initial[f"{key}__kelurahan"] = value.get("kelurahan", "")
            elif field["type"] == "location":
                self.initial[f"{key}__latitude"] = value.get("latitude", "")
                self.initial[f"{key}__longitude"] = value.get("longitude", "")
            elif field["type"] == "yes_no":
                self.initial[key] = "yes" if value else "no"
            else:
                self.initial[key] = value


def _already(code: str, attached: set):
    return _("Already uploaded; choose a file only to replace it.") if code in attached else ""


def _flat(value) -> list[str]:
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _flat(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _flat(inner)]
    return [str(value)]

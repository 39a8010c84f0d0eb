"""One portal form for every request type, built from the type's declaration in ``types.py``.

The subject-data serializer names the fields (label, kind, choices, length) and the requirement
list names the documents; this module only turns them into HTML inputs and back. The form checks
types (a date is a date); what is required, and every rule, is the serializer's and the
service's, so the portal and the API refuse the same things with the same messages.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from civil_registry.types import KkNumberField, NikField, RequestType

ACCEPT = "image/jpeg,image/png,application/pdf"
DOCUMENT_PREFIX = "doc_"
LONG_TEXT = 300  # a serializer CharField longer than this is a textarea
YES_NO = (("", "—"), ("true", _("Yes")), ("false", _("No")))


def document_field_name(code: str) -> str:
    return f"{DOCUMENT_PREFIX}{code}"


def _numeric(attrs: dict) -> dict:
    return {**attrs, "inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}


def _list_help(child: serializers.Serializer) -> str:
    labels = ", ".join(str(f.label) for f in child.fields.values())
    return str(_("One per line: %(fields)s (separated by commas).") % {"fields": labels})


def form_field(field: serializers.Field) -> forms.Field:
    """The HTML input for one serializer field (never required at form level: see above)."""
    common = {"label": field.label, "required": False}
    if isinstance(field, serializers.ListSerializer):
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}), help_text=_list_help(field.child), **common
        )
    if isinstance(field, serializers.BooleanField):
        return forms.ChoiceField(choices=YES_NO, **common)
    if isinstance(field, serializers.ChoiceField):
        return forms.ChoiceField(choices=[("", "—"), *field.choices.items()], **common)
    if isinstance(field, serializers.DateField):
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if isinstance(field, NikField | KkNumberField):
        return forms.CharField(
            max_length=16,
            widget=forms.TextInput(attrs=_numeric({"maxlength": 16})),
            help_text=_("16 digits."),
            **common,
        )
    max_length = getattr(field, "max_length", None)
    widget = forms.Textarea(attrs={"rows": 3}) if (max_length or 0) > LONG_TEXT else None
    return forms.CharField(max_length=max_length, widget=widget, **common)


class CivilRequestForm(forms.Form):
    """The subject data and the documents of one request type.

    ``spec``: the type; ``request``: the request being edited (``None`` on creation);
    ``members``: household members the applicant may choose as the person concerned (creation
    only). Every field is optional here; the service decides what a submission needs.
    """

    def __init__(self, *args, spec: RequestType, request=None, members=(), **kwargs):
        self.spec = spec
        self.request_obj = request
        initial = self._initial(spec, request) if request is not None else {}
        super().__init__(*args, initial=initial, **kwargs)
        serializer = spec.serializer()
        self.subject_names = list(serializer.fields)
        self.optional_names = set()
        present = set()
        if request is not None:
            present = {link.requirement for link in request.documents.all()}
        if request is None and members:
            self.fields["subject_member"] = forms.ChoiceField(
                label=_("The person concerned"),
                required=False,
                choices=[("", _("Myself")), *((str(m.uuid), m.full_name) for m in members)],
            )
        for name, field in serializer.fields.items():
            self.fields[name] = form_field(field)
            stored_nik = name == spec.nik_field and request is not None
            if not field.required or stored_nik:
                self.optional_names.add(name)
            if stored_nik and request.subject_nik_sealed:
                self.fields[name].help_text = _("Saved as %(masked)s; leave empty to keep it.") % {
                    "masked": request.subject_nik_masked
                }
        self.document_names = []
        for requirement in spec.requirements:
            name = document_field_name(requirement.code)
            self.fields[name] = forms.FileField(
                label=requirement.label,
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                help_text=_("JPEG, PNG or PDF."),
            )
            self.document_names.append(name)
            if not requirement.required or requirement.code in present:
                self.optional_names.add(name)

    @staticmethod
    def _initial(spec: RequestType, request) -> dict:
        initial = {}
        serializer = spec.serializer()
        for name, value in request.subject_data.items():
            field = serializer.fields.get(name)
            if isinstance(field, serializers.ListSerializer) and isinstance(value, list):
                initial[name] = "\n".join(
                    ", ".join(str(row.get(key, "")) for key in field.child.fields)
                    for row in value
                    if isinstance(row, dict)
                )
            elif isinstance(value, bool):
                initial[name] = "true" if value else "false"
            else:
                initial[name] = value
        return initial

    def subject_data(self) -> dict:
        """The values given, shaped for the type's serializer. An empty input is left out (the
        stored value stays), except for a text the serializer allows to be blank."""
        serializer = self.spec.serializer()
        data = {}
        for name in self.subject_names:
            value = self.cleaned_data.get(name)
            field = serializer.fields[name]
            if value in (None, ""):
                if getattr(field, "allow_blank", False) and name in self.data:
                    data[name] = ""
                continue
            if isinstance(field, serializers.ListSerializer):
                keys = list(field.child.fields)
                data[name] = [
                    dict(
                        zip(
                            keys,
                            (part.strip() for part in line.rsplit(",", len(keys) - 1)),
                            strict=False,  # a short line misses a field: the serializer says so
                        )
                    )
                    for line in value.splitlines()
                    if line.strip()
                ]
            elif isinstance(value, dt.date):
                data[name] = value.isoformat()
            else:
                data[name] = value
        return data

    def documents(self) -> dict:
        """``{requirement code: uploaded file}`` for the files chosen."""
        return {
            name.removeprefix(DOCUMENT_PREFIX): self.cleaned_data[name]
            for name in self.document_names
            if self.cleaned_data.get(name)
        }

    def add_service_errors(self, detail) -> None:
        """Put the service's errors (``subject_data.<field>``, ``documents.<code>``) on the
        fields they are about; anything else becomes a form-wide error."""
        if not isinstance(detail, dict):
            self.add_error(None, list(_flatten(detail)))
            return
        for key, value in detail.items():
            if key == "subject_data" and isinstance(value, dict):
                for name, errors in value.items():
                    target = name if name in self.fields else None
                    self.add_error(target, list(_flatten(errors)))
            elif key == "documents" and isinstance(value, dict):
                for code, errors in value.items():
                    name = document_field_name(code)
                    self.add_error(name if name in self.fields else None, list(_flatten(errors)))
            else:
                self.add_error(None, list(_flatten(value)))

    def error_summary(self) -> list[tuple[str, str]]:
        """``(field id or "", "label: message")`` for every error, in the form's order."""
        rows = [("", str(message)) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            for message in self.errors.get(name, []):
                rows.append((self[name].auto_id, f"{field.label}: {message}"))
        return rows


class FileCheckForm(forms.Form):
    """The public check of a file against an issued document (the file is only hashed)."""

    file = forms.FileField(
        label=_("The file you received"),
        required=False,
        help_text=_(
            "The PDF as you received it. It is not kept: only its fingerprint is compared."
        ),
    )
    sha256 = forms.RegexField(
        label=_("Or its SHA-256 fingerprint"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        required=False,
        help_text=_("64 hexadecimal characters."),
        error_messages={"invalid": _("Enter the 64 hexadecimal characters of the fingerprint.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            data["digest"] = upload.sha256
        elif data.get("sha256"):
            data["digest"] = data["sha256"].strip().lower()
        elif not self.errors:
            raise forms.ValidationError(_("Choose the file to check."), code="required")
        return data


def _flatten(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _flatten(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _flatten(inner)
    else:
        yield str(value)

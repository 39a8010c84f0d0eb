from django import forms
from django.utils.translation import gettext_lazy as _

from civil_registry.types import CivilAktaKelahiranDataSerializer

ACCEPT = "image/jpeg,image/png,application/pdf"


def _file(label, required=True):
    return forms.FileField(
        label=label,
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("JPEG, PNG or PDF."),
    )


class BirthRequestForm(forms.Form):
    """The portal's akta kelahiran form; the subject data is checked again by the type's
    serializer in the service (one rule, two interfaces)."""

    child_name = forms.CharField(label=_("Child's full name"), max_length=150)
    child_sex = forms.ChoiceField(
        label=_("Sex"),
        choices=CivilAktaKelahiranDataSerializer().fields["child_sex"].choices.items(),
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_place = forms.CharField(label=_("Place of birth"), max_length=150)
    father_name = forms.CharField(label=_("Father's name"), max_length=150, required=False)
    mother_name = forms.CharField(label=_("Mother's name"), max_length=150)
    birth_attendant = forms.ChoiceField(
        label=_("Birth attendant"),
        choices=CivilAktaKelahiranDataSerializer().fields["birth_attendant"].choices.items(),
    )
    parents_kk_number = forms.CharField(
        label=_("Parents' KK number"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_letter = _file(_("Birth letter from the hospital or midwife"))
    parents_kk = _file(_("Parents' family card (KK)"))
    marriage_certificate = _file(_("Parents' marriage certificate"), required=False)
    statement_of_responsibility = _file(
        _("Signed statement of responsibility (SPTJM)"), required=False
    )

    DOCUMENT_FIELDS = (
        "birth_letter",
        "parents_kk",
        "marriage_certificate",
        "statement_of_responsibility",
    )

    def subject_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name not in self.DOCUMENT_FIELDS and self.cleaned_data.get(name) not in (None, "")
        }
        data["birth_date"] = data["birth_date"].isoformat()
        return data


class RevisionForm(forms.Form):
    """Replace documents of a request sent back for revision, then resubmit."""

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        for requirement in requirements:
            self.fields[requirement.code] = _file(requirement.label, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import identifiers
from accounts.models import User
from services.models import Kelurahan


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Language"), choices=User.Language.choices)
    home_kelurahan = forms.ModelChoiceField(
        label=_("Home kelurahan"),
        queryset=Kelurahan.objects.select_related("kecamatan"),
        required=False,
        empty_label=_("— choose —"),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=16,
        min_length=16,
        required=False,
        help_text=_("16 digits, as on your KTP-el or KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args, nik_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if nik_locked:
            self.fields["nik"].disabled = True
            self.fields["nik"].help_text = _(
                "Verified at an MPP counter; ask an officer there to change it."
            )

    def clean_nik(self) -> str:
        value = self.cleaned_data["nik"]
        if value and not self.fields["nik"].disabled:
            identifiers.validate_nik(value)
        return value

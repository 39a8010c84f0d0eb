from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import CorrectionRequest


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("Data to correct"), choices=CorrectionRequest.Field.choices)
    value = forms.CharField(
        label=_("Correct value"),
        max_length=150,
        help_text=_(
            "The name or NIK exactly as on your KTP-el, or the code of your kelurahan "
            "(e.g. 64.71.05.1002)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why is the recorded data wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ErasureForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and my personal data are deleted for good."),
    )

    def __init__(self, *args, needs_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_password:
            self.fields["password"].required = True
        else:
            del self.fields["password"]

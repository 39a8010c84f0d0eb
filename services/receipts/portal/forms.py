from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_(
            "The 16 letters and digits printed under the QR code, e.g. ABCD-EFGH-JKLM-NPQR."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

from django import forms
from django.utils.translation import gettext_lazy as _


class PropertyLinkForm(forms.Form):
    nop = forms.CharField(
        label=_("NOP"),
        max_length=40,
        help_text=_("18 digits, e.g. 64.71.010.001.001-0001.0"),
    )

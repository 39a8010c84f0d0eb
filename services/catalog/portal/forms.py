from django import forms
from django.utils.translation import gettext_lazy as _

from services.catalog.search import MAX_QUERY_LENGTH


class CatalogSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for a service"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}
        ),
        help_text=_("For example: akte lahir, KTP hilang, pajak bumi, izin usaha."),
    )

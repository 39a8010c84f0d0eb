from django import forms
from django.utils.translation import gettext_lazy as _

from health.models import Ticket


class NearForm(forms.Form):
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class BookForm(forms.Form):
    payer = forms.ChoiceField(label=_("Payer"), choices=Ticket.Payer.choices)
    member = forms.ModelChoiceField(
        label=_("For"),
        queryset=None,
        required=False,
        empty_label=_("Myself"),
        to_field_name="uuid",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members

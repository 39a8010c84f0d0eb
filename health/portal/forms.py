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


VISIT_ROWS = 4


class VisitPlanForm(forms.Form):
    """Up to four services (counter + person) of one household visit; empty rows are ignored.
    The order does not matter: the plan is ordered by what depends on what."""

    date = forms.DateField(
        label=_("Day of the visit"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: the earliest day with free places."),
    )
    payer = forms.ChoiceField(label=_("Payer"), choices=Ticket.Payer.choices)

    def __init__(self, *args, counters, members, **kwargs):
        super().__init__(*args, **kwargs)
        for row in range(1, VISIT_ROWS + 1):
            self.fields[f"point_{row}"] = forms.ModelChoiceField(
                label=_("Service %(row)d") % {"row": row},
                queryset=counters,
                required=row == 1,
                empty_label="—",
                to_field_name="uuid",
            )
            self.fields[f"member_{row}"] = forms.ModelChoiceField(
                label=_("For whom (service %(row)d)") % {"row": row},
                queryset=members,
                required=False,
                empty_label=_("Myself"),
                to_field_name="uuid",
            )

    def rows(self):
        """Bound fields per row, for the template."""
        return [(self[f"point_{r}"], self[f"member_{r}"]) for r in range(1, VISIT_ROWS + 1)]

    def steps(self) -> list[tuple]:
        data = self.cleaned_data
        return [
            (data[f"point_{r}"], data.get(f"member_{r}"))
            for r in range(1, VISIT_ROWS + 1)
            if data.get(f"point_{r}") is not None
        ]

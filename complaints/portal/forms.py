from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Category


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input (Django's documented pattern); cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ComplaintForm(forms.Form):
    text = forms.CharField(label=_("What is the problem?"), widget=forms.Textarea, max_length=4000)
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.filter(is_active=True, parent__isnull=False)
        | Category.objects.filter(is_active=True, children__isnull=True),
        required=False,
        to_field_name="code",
        help_text=_("Leave empty if unsure: we suggest one from your text."),
    )
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6)
    address = forms.CharField(label=_("Address description"), max_length=300, required=False)
    photos = MultipleImageField(label=_("Photos (at most 5)"), required=False)
    is_anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)
    identity_visible_to_agency = forms.BooleanField(
        label=_("The agency may see my name"), required=False
    )

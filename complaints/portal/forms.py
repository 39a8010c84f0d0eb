from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.models import Category
from services.models import Kelurahan


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
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    kelurahan = forms.ModelChoiceField(
        label=_("Kelurahan"),
        queryset=Kelurahan.objects.order_by("name"),
        required=False,
        to_field_name="code",
        help_text=_("Without the map: choose the kelurahan and describe the place below."),
    )
    address = forms.CharField(label=_("Address description"), max_length=300, required=False)
    photos = MultipleImageField(label=_("Photos (at most 5)"), required=False)
    use_photo_location = forms.BooleanField(
        label=_("Use the position stored in my photo"),
        required=False,
        help_text=_(
            "When no point is given and a photo carries its GPS position, we use it. The stored "
            "photo keeps no position or other metadata."
        ),
    )
    public_photos_allowed = forms.BooleanField(
        label=_("My photos may be shown publicly (faces and plates blurred)"), required=False
    )
    is_anonymous = forms.BooleanField(label=_("Report anonymously"), required=False)
    identity_visible_to_agency = forms.BooleanField(
        label=_("The agency may see my name"), required=False
    )


class TrackingForm(forms.Form):
    number = forms.RegexField(
        label=_("Ticket number"),
        regex=r"(?i)^\s*ADU-\d{4}-\d{6}\s*$",
        max_length=20,
        error_messages={"invalid": _("A ticket number looks like ADU-2026-000123.")},
        widget=forms.TextInput(attrs={"placeholder": "ADU-2026-000123", "autocomplete": "off"}),
    )

    def clean_number(self):
        return self.cleaned_data["number"].strip().upper()


class HotspotForm(forms.Form):
    since = forms.DateField(
        label=_("Since"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was it resolved?"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class NotFixedForm(forms.Form):
    note = forms.CharField(
        label=_("What is still wrong?"), max_length=4000, required=False, widget=forms.Textarea
    )

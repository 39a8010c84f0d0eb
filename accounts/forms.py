"""Forms shared by the portal's HTML views and the headless API (allauth uses the same classes)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Fields we add to allauth's signup, and the rule that an email or a phone is required."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self._field_errors():
            raise forms.ValidationError(
                _("Enter an email address or a phone number."), code="email_or_phone_required"
            )
        return cleaned

    def _field_errors(self) -> bool:
        return any(name in self.errors for name in ("email", "phone"))

    def signup(self, request, user) -> None:
        """Called by allauth after the user is saved; the adapter already stored our fields."""

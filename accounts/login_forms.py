"""Overrides of allauth forms (kept apart from accounts.forms, which allauth itself imports)."""

from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from django import forms
from django.utils.translation import gettext_lazy as _


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """allauth's form, but one of email or phone is required (both empty was a 500 in allauth)."""

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError(
                _("Enter an email address or a phone number."), code="email_or_phone_required"
            )
        return cleaned

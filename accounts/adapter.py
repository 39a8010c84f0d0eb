"""django-allauth adapter: phone numbers live on our ``User``, codes go out by SMS."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import identifiers, sms_cap
from services.sms import send_sms


class IndonesianPhoneField(PhoneField):
    """Accepts ``0812…``, ``62812…`` or ``+62812…`` and cleans to E.164."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs["validators"] = []
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"placeholder": "0812xxxxxxxx", "inputmode": "tel"})

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if not value:
            return value
        try:
            return identifiers.normalize_phone(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages, code="invalid_phone") from exc


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs: Any) -> Any:
        return IndonesianPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        try:
            return identifiers.normalize_phone(phone)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages, code="invalid_phone") from exc

    def save_user(self, request, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=False)
        user.email = (user.email or "").lower() or None
        full_name = form.cleaned_data.get("full_name")
        if full_name:
            user.full_name = full_name
        language = getattr(request, "LANGUAGE_CODE", "id")
        if language in {"id", "en"}:
            user.preferred_language = language
        if commit:
            user.save()
        return user

    # --- phone storage (allauth ships no phone model) ------------------------------------------

    def get_phone(self, user) -> tuple[str, bool] | None:
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # allauth also calls this on a user not saved yet, during signup
            user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user, phone: str) -> None:
        if user.phone == phone:
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str):
        try:
            phone = identifiers.normalize_phone(phone)
        except ValidationError:
            return None
        return get_user_model().objects.filter(phone=phone).order_by("pk").first()

    # --- SMS ---------------------------------------------------------------------------------

    def _send_code_sms(self, phone: str, body: str) -> None:
        """The one way a code message leaves: capped per phone and hour (``accounts.sms_cap``);
        beyond the cap a 429 with ``Retry-After`` and no provider call."""
        wait = sms_cap.reserve(phone)
        if wait is not None:
            raise sms_cap.too_many(getattr(self, "request", None), wait)
        send_sms(to=phone, body=body)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs: Any) -> None:
        self._send_code_sms(
            phone,
            _("Your Balikpapan Untuk Warga code is %(code)s. Never share it with anyone.")
            % {"code": code},
        )

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        self._send_code_sms(
            phone,
            _(
                "Someone asked for a Balikpapan Untuk Warga code for this number, but no account "
                "uses it. You can sign up in the app."
            ),
        )

    def send_account_already_exists_sms(self, phone: str) -> None:
        self._send_code_sms(
            phone,
            _(
                "Someone tried to sign up to Balikpapan Untuk Warga with this number, which already "
                "has an account. If it was you, log in or reset your password."
            ),
        )

"""Staff admin for the agency applications that log citizens in with their city account.

Replaces the admin that ``allauth.idp.oidc`` registers for ``Client``:

* the client secret is stored hashed, so it is shown exactly once — on a page of its own right
  after the client is added, or after staff generate a new one with the "Generate a new secret"
  action (confirmation first: the application stops working until it has the new secret). It is
  never put in a message (a cookie) and the hash is never shown;
* the free-text lists (redirect URIs, scopes, grant and response types) are checked: only the
  scopes this provider supports, known grant/response types, and redirect URIs that are
  ``https://`` (``http://`` only for localhost/loopback), without fragments or unsafe schemes.

``accounts/admin.py`` imports this module.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import allauth.idp.oidc.admin  # noqa: F401 — register allauth's admin first, then replace it
from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.admin import ClientAdmin as AllauthClientAdmin
from allauth.idp.oidc.models import Client
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.oidc import SUPPORTED_SCOPES

LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}
UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file", "blob", "about"}
SECRET_TEMPLATE = "idp/oidc/admin/client_secret.html"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def check_redirect_uri(uri: str) -> str | None:
    """Return why ``uri`` cannot be a redirect URI, or ``None`` when it can."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return _("not a valid address")
    scheme = parts.scheme.lower()
    if not scheme:
        return _("must be an absolute address (https://…)")
    if scheme in UNSAFE_SCHEMES:
        return _("this kind of address is not allowed")
    if parts.fragment or uri.endswith("#"):
        return _("must not contain a fragment (#…)")
    if scheme in {"http", "https"} and not parts.hostname:
        return _("must include a host name")
    if scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return _("must use https:// (http:// is allowed only for localhost)")
    return None


class ClientAdminForm(forms.ModelForm):
    class Meta:
        model = Client
        # Not the secret (hashed; shown once, see ClientAdmin) nor ``data`` (DCR metadata).
        fields = (
            "id",
            "name",
            "owner",
            "type",
            "redirect_uris",
            "cors_origins",
            "allow_uri_wildcards",
            "scopes",
            "default_scopes",
            "grant_types",
            "response_types",
            "skip_consent",
        )

    def _clean_lines(self, field: str, allowed, label) -> str:
        values = _lines(self.cleaned_data.get(field, ""))
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise forms.ValidationError(
                _("Unsupported %(what)s: %(values)s. Allowed: %(allowed)s."),
                params={"what": label, "values": ", ".join(unknown), "allowed": ", ".join(allowed)},
            )
        return "\n".join(dict.fromkeys(values))

    def clean_scopes(self) -> str:
        scopes = self._clean_lines("scopes", SUPPORTED_SCOPES, _("scope"))
        if "openid" not in _lines(scopes):
            raise forms.ValidationError(_("The openid scope is required."))
        return scopes

    def clean_default_scopes(self) -> str:
        return self._clean_lines("default_scopes", SUPPORTED_SCOPES, _("scope"))

    def clean_grant_types(self) -> str:
        return self._clean_lines("grant_types", Client.GrantType.values, _("grant type"))

    def clean_response_types(self) -> str:
        return self._clean_lines("response_types", Client.ResponseType.values, _("response type"))

    def clean_redirect_uris(self) -> str:
        uris = _lines(self.cleaned_data.get("redirect_uris", ""))
        errors = [f"{uri}: {reason}" for uri in uris if (reason := check_redirect_uri(uri))]
        if errors:
            raise forms.ValidationError(errors)
        return "\n".join(dict.fromkeys(uris))

    def clean(self):
        cleaned = super().clean()
        grants = _lines(cleaned.get("grant_types", ""))
        if Client.GrantType.AUTHORIZATION_CODE in grants and not _lines(
            cleaned.get("redirect_uris", "")
        ):
            self.add_error(
                "redirect_uris", _("The authorization code grant needs at least one redirect URI.")
            )
        default_scopes = set(_lines(cleaned.get("default_scopes", "")))
        if not default_scopes <= set(_lines(cleaned.get("scopes", ""))):
            self.add_error("default_scopes", _("Default scopes must be among the allowed scopes."))
        return cleaned


class ClientAdmin(AllauthClientAdmin):
    form = ClientAdminForm
    list_display = ("name", "id", "type", "owner", "skip_consent", "created_at")
    list_filter = ("type", "skip_consent", "allow_uri_wildcards", "created_at")
    search_fields = ("id", "name", "redirect_uris", "owner__email")
    readonly_fields = ("secret_status", "created_at")
    date_hierarchy = "created_at"
    ordering = ("name",)
    actions = ("generate_new_secret",)
    fieldsets = (
        (None, {"fields": ("id", "name", "owner", "type", "secret_status", "created_at")}),
        (
            _("Redirects and origins"),
            {
                "fields": ("redirect_uris", "cors_origins", "allow_uri_wildcards"),
            },
        ),
        (
            _("What the application may ask for"),
            {
                "fields": (
                    "scopes",
                    "default_scopes",
                    "grant_types",
                    "response_types",
                    "skip_consent",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        # The client ID may be chosen when adding; afterwards applications depend on it.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, "id") if obj else fields

    @admin.display(description=_("client secret"))
    def secret_status(self, obj: Client) -> str:
        if obj is None or obj.pk is None or obj._state.adding:
            return _("Generated when you save; shown once on the next page.")
        if obj.type == Client.Type.PUBLIC:
            return _("Not used: a public client proves itself with PKCE.")
        return _(
            "Stored hashed and cannot be shown again. If it is lost, use the "
            "“Generate a new secret” action in the list of clients."
        )

    def save_model(self, request, obj: Client, form, change) -> None:
        if not change:
            secret = get_adapter().generate_client_secret()
            obj.set_secret(secret)
            if obj.type == Client.Type.CONFIDENTIAL:
                request._oidc_new_secrets = [(obj, secret)]
        # Skip allauth's save_model: it puts the secret into a message (a cookie).
        admin.ModelAdmin.save_model(self, request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        secrets = getattr(request, "_oidc_new_secrets", None)
        if secrets:
            return self._secrets_page(request, secrets)
        return super().response_add(request, obj, post_url_continue)

    @admin.action(description=_("Generate a new secret"), permissions=["change"])
    def generate_new_secret(self, request, queryset):
        clients = list(queryset.filter(type=Client.Type.CONFIDENTIAL).order_by("name"))
        if not clients:
            self.message_user(
                request, _("Only confidential clients have a secret."), level="warning"
            )
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Generate a new secret?"),
                "opts": self.model._meta,
                "clients": clients,
                "confirm": True,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, SECRET_TEMPLATE, context)
        secrets = []
        for client in clients:
            secret = get_adapter().generate_client_secret()
            client.set_secret(secret)
            client.save(update_fields=["secret"])
            self.log_change(request, client, [{"changed": {"fields": ["secret"]}}])
            secrets.append((client, secret))
        return self._secrets_page(request, secrets)

    def _secrets_page(self, request, secrets) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": _("Client secret — shown only once"),
            "opts": self.model._meta,
            "secrets": secrets,
        }
        response = TemplateResponse(request, SECRET_TEMPLATE, context)
        response["Cache-Control"] = "no-store"
        return response


if admin.site.is_registered(Client):
    admin.site.unregister(Client)
admin.site.register(Client, ClientAdmin)

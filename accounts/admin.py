"""The staff admin for accounts: counter officers find citizens and verify NIKs in person;
agency admins manage their agency's staff. Full NIKs are shown only on request, and recorded."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts import identifiers, services
from accounts.access_log import StatedReasonAdminMixin
from accounts.models import AgencyMembership, PersonalDataAccess, User
from accounts.selectors import nik_for_viewer
from balikpapan_untuk_warga.api.errors import ApplicationError
from services.admin_tools import ReadOnlyAdminMixin, apply_each


def search_by_identifier(queryset, term: str, field: str):
    """A 16-digit search term is looked up by its digest: sealed identifiers cannot be LIKE-searched."""
    term = term.strip()
    if len(term) == 16 and term.isdigit():
        return queryset.filter(**{field: identifiers.digest(term)})
    return queryset.none()


class NikVerifiedFilter(admin.SimpleListFilter):
    title = _("NIK")
    parameter_name = "nik"

    def lookups(self, request, model_admin):
        return [
            ("verified", _("Verified")),
            ("unverified", _("Not verified yet")),
            ("missing", _("Not filled in")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "verified":
            return queryset.filter(nik_verified_at__isnull=False)
        if self.value() == "unverified":
            return queryset.filter(nik_digest__isnull=False, nik_verified_at__isnull=True)
        if self.value() == "missing":
            return queryset.filter(nik_digest__isnull=True)
        return queryset


class UserChangeForm(forms.ModelForm):
    new_nik = forms.CharField(
        label=_("New NIK"),
        required=False,
        max_length=16,
        help_text=_("Fill in only to change the NIK; a changed NIK must be verified again."),
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "email",
            "phone",
            "preferred_language",
            "home_kelurahan",
            "is_active",
            "is_staff",
            "is_superuser",
        ]

    def clean_new_nik(self) -> str:
        value = self.cleaned_data["new_nik"].strip()
        if value:
            identifiers.validate_nik(value)
        return value

    def clean_email(self):
        return (self.cleaned_data.get("email") or "").lower() or None

    def clean_phone(self):
        value = self.cleaned_data.get("phone")
        if not value:
            return None
        try:
            return identifiers.normalize_phone(value)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc


class FindByNikForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        min_length=16,
        max_length=16,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "autofocus": True}
        ),
    )

    def clean_nik(self) -> str:
        value = self.cleaned_data["nik"].strip()
        identifiers.validate_nik(value)
        return value


class MembershipInline(admin.TabularInline):
    model = AgencyMembership
    extra = 0
    autocomplete_fields = ["agency"]
    verbose_name = _("agency role")
    verbose_name_plural = _("agency roles")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(StatedReasonAdminMixin, DjangoUserAdmin):
    """Opening a citizen's account is outside any work item: a stated reason is asked first and
    the opening is logged (``accounts.access_log``)."""

    form = UserChangeForm
    add_form_template = None
    change_list_template = "admin/accounts/user/change_list.html"
    list_display = [
        "__str__",
        "email",
        "phone",
        "nik_display",
        "nik_verified",
        "is_staff",
        "date_joined",
    ]
    list_filter = [NikVerifiedFilter, "is_staff", "is_active", "home_kelurahan__kecamatan"]
    search_fields = ["full_name", "email", "phone"]
    search_help_text = _("Name, email or phone. To find a citizen by NIK use “Find by NIK”.")
    ordering = ["-date_joined"]
    list_select_related = ["home_kelurahan"]
    readonly_fields = [
        "uuid",
        "nik_display",
        "nik_verified_at",
        "nik_verified_by",
        "date_joined",
        "last_login",
    ]
    autocomplete_fields = ["home_kelurahan"]
    actions = ["verify_nik"]
    inlines = [MembershipInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "uuid",
                    "full_name",
                    "email",
                    "phone",
                    "preferred_language",
                    "home_kelurahan",
                ]
            },
        ),
        (_("NIK"), {"fields": ["nik_display", "new_nik", "nik_verified_at", "nik_verified_by"]}),
        (
            _("Access"),
            {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]},
        ),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]

    def access_reason_required(self, request, object_id: str) -> bool:
        return str(object_id) != str(request.user.pk)

    def access_log_subject_ids(self, obj):
        return [obj.pk]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not request.user.is_superuser:
            return [fs for fs in fieldsets if fs[0] != _("Access")]
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and not request.user.is_superuser:
            kwargs["fields"] = [
                "full_name",
                "email",
                "phone",
                "preferred_language",
                "home_kelurahan",
                "new_nik",
            ]
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("NIK"))
    def nik_display(self, obj: User):
        """Masked; the "show" page checks the permission and records the view."""
        if not obj.nik_digest:
            return "—"
        url = reverse("admin:accounts_user_nik", args=[obj.pk])
        return format_html('{} <a href="{}">{}</a>', obj.nik_masked, url, _("show in full"))

    @admin.display(description=_("NIK verified"), boolean=True)
    def nik_verified(self, obj: User) -> bool:
        return obj.is_nik_verified

    def save_model(self, request, obj, form, change):
        new_nik = form.cleaned_data.get("new_nik")
        if not change:
            super().save_model(request, obj, form, change)
            return
        super().save_model(request, obj, form, change)
        if new_nik:
            try:
                services.user_update_profile(actor=request.user, user=obj, nik=new_nik)
            except ApplicationError as exc:
                messages.error(request, str(exc.detail))

    @admin.action(
        description=_("Verify NIK (citizen present with KTP-el)"), permissions=["verify_nik"]
    )
    def verify_nik(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda user: services.user_verify_nik(actor=request.user, user=user),
            success=_("%(count)d NIK(s) verified."),
        )

    def has_verify_nik_permission(self, request) -> bool:
        return request.user.has_perm("accounts.verify_nik")

    def get_urls(self):
        return [
            path(
                "<int:pk>/nik/",
                self.admin_site.admin_view(self.reveal_nik_view),
                name="accounts_user_nik",
            ),
            path(
                "find-by-nik/",
                self.admin_site.admin_view(self.find_by_nik_view),
                name="accounts_user_find_by_nik",
            ),
            *super().get_urls(),
        ]

    def find_by_nik_view(self, request):
        """A POST form, so that a NIK never travels in a URL (URLs end up in access logs)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = FindByNikForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            found = search_by_identifier(User.objects.all(), form.cleaned_data["nik"], "nik_digest")
            user = found.first()
            if user is not None:
                return redirect("admin:accounts_user_change", user.pk)
            form.add_error("nik", _("No account has this NIK."))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Find a citizen by NIK"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/find_by_nik.html", context)

    def reveal_nik_view(self, request, pk: int):
        if not request.user.has_perm("accounts.view_full_nik"):
            raise PermissionDenied
        subject = get_object_or_404(User, pk=pk)
        nik = nik_for_viewer(viewer=request.user, subject=subject, channel="admin")
        context = {
            **self.admin_site.each_context(request),
            "title": _("NIK of %(name)s") % {"name": subject},
            "subject": subject,
            "nik": nik,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/user/reveal_nik.html", context)


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency", "role", "created_at"]
    list_filter = ["role", "agency"]
    search_fields = ["user__full_name", "user__email", "agency__name", "agency__short_name"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]

    def _admin_agencies(self, request):
        return AgencyMembership.objects.filter(
            user=request.user, role=AgencyMembership.Role.AGENCY_ADMIN
        ).values("agency")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency__in=self._admin_agencies(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            from services.models import Agency

            kwargs["queryset"] = Agency.objects.filter(pk__in=self._admin_agencies(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.membership_grant(
                actor=request.user, user=obj.user, agency=obj.agency, role=obj.role
            )


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "accessor", "subject", "field", "channel"]
    list_filter = ["field", "channel"]
    search_fields = ["accessor__full_name", "accessor__email", "subject__full_name"]
    date_hierarchy = "at"
    list_select_related = ["accessor", "subject"]


# The OIDC client admin and the household/delegation admin live in their own modules.
import accounts.admin_households  # noqa: E402
import accounts.admin_oidc  # noqa: E402, F401
from accounts import access_log_admin, consent_admin  # noqa: E402, F401

"""The staff admin for households (KK), delegations and actions on someone's behalf.

Everything here is read-only; the only writes are two actions that call the same services as the
API: confirming a KK after seeing it at the counter, and revoking a delegation. KK numbers and NIKs
are sealed: they are shown masked and searched by their digest.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import households, identifiers
from accounts.access_log import AccessLoggedAdminMixin, ReasonKind
from accounts.models import Delegation, Household, HouseholdMember, ProxyAction
from services.admin_tools import ReadOnlyAdminMixin, apply_each


def _identifier_term(term: str) -> str | None:
    """A search term that is a 16-digit KK number or NIK (spaces and dots allowed), else None."""
    digits = "".join(ch for ch in term if ch not in " .-")
    return digits if len(digits) == 16 and digits.isascii() and digits.isdigit() else None


class HouseholdConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Waiting for confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(confirmed_at__isnull=True)
        return queryset


class HouseholdMemberInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = HouseholdMember
    extra = 0
    can_delete = False
    fields = ["full_name", "relationship", "sex", "birth_date", "nik_masked", "user"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description=_("NIK"))
    def nik_masked(self, member: HouseholdMember) -> str:
        return member.nik_masked or "—"


@admin.register(Household)
class HouseholdAdmin(AccessLoggedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    access_log_reason_kind = ReasonKind.SERVICE  # the KK is seen to confirm it at the counter

    def access_log_subject_ids(self, obj):
        # who recorded the KK and every member with an account (one query)
        return [obj.recorded_by_id, *obj.members.values_list("user_id", flat=True)]

    list_display = ["kk_display", "kelurahan", "is_confirmed", "recorded_by", "updated_at"]
    list_filter = [HouseholdConfirmedFilter, "kelurahan"]
    list_select_related = ["kelurahan", "recorded_by"]
    search_fields = ["recorded_by__full_name", "recorded_by__email", "recorded_by__phone"]
    search_help_text = _(
        "A full 16-digit KK number, or the name, email or phone of who recorded it."
    )
    ordering = ["-updated_at"]
    fields = [
        "uuid",
        "kk_display",
        "address",
        "kelurahan",
        "recorded_by",
        "confirmed_at",
        "confirmed_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [HouseholdMemberInline]
    actions = ["confirm"]

    @admin.display(description=_("KK number"))
    def kk_display(self, household: Household) -> str:
        return household.kk_masked

    @admin.display(description=_("confirmed"), boolean=True)
    def is_confirmed(self, household: Household) -> bool:
        return household.is_confirmed

    def get_search_results(self, request, queryset, search_term):
        kk_number = _identifier_term(search_term)
        if kk_number is not None:  # a sealed number is found by its digest, never by LIKE
            return queryset.filter(kk_digest=identifiers.digest(kk_number)), False
        return super().get_search_results(request, queryset, search_term)

    def has_confirm_permission(self, request) -> bool:
        return households.may_confirm_household(request.user)

    @admin.action(description=_("Confirm KK (in person)"), permissions=["confirm"])
    def confirm(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda household: households.household_confirm(actor=request.user, household=household),
            success=_("%(count)d household(s) confirmed."),
        )


class DelegationActiveFilter(admin.SimpleListFilter):
    title = _("active now")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active")), ("no", _("Not active (revoked, ended or not started)"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(households.delegation_active_q())
        if self.value() == "no":
            return queryset.exclude(households.delegation_active_q())
        return queryset


class DelegationRevokedFilter(admin.SimpleListFilter):
    title = _("revoked")
    parameter_name = "revoked"

    def lookups(self, request, model_admin):
        return [("yes", _("Revoked")), ("no", _("Not revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=True)
        return queryset


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "grantor",
        "grantee",
        "services_display",
        "valid_from",
        "valid_until",
        "is_active",
        "revoked_at",
    ]
    list_filter = [DelegationActiveFilter, DelegationRevokedFilter]
    list_select_related = ["grantor", "grantee"]
    search_fields = ["grantor__full_name", "grantor__email", "grantee__full_name", "grantee__email"]
    date_hierarchy = "valid_from"
    fields = [
        "uuid",
        "grantor",
        "grantee",
        "service_codes",
        "valid_from",
        "valid_until",
        "consent_text",
        "consented_at",
        "revoked_at",
        "revoked_by",
        "created_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description=_("services"))
    def services_display(self, delegation: Delegation) -> str:
        return ", ".join(delegation.service_codes or [])

    @admin.display(description=_("active now"), boolean=True)
    def is_active(self, delegation: Delegation) -> bool:
        return delegation.is_active_at(timezone.now())

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("accounts.change_delegation")

    @admin.action(description=_("Revoke delegation"), permissions=["revoke"])
    def revoke(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda delegation: households.delegation_revoke(
                actor=request.user, delegation=delegation
            ),
            success=_("%(count)d delegation(s) revoked."),
        )


@admin.register(ProxyAction)
class ProxyActionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "subject_display", "basis", "service_code", "description"]
    list_filter = ["basis", "service_code"]
    list_select_related = ["actor", "subject_user", "subject_member"]
    search_fields = ["actor__full_name", "actor__email", "subject_name", "service_code"]
    date_hierarchy = "at"
    fields = [
        "uuid",
        "at",
        "actor",
        "subject_user",
        "subject_member",
        "subject_name",
        "basis",
        "delegation",
        "service_code",
        "description",
    ]
    readonly_fields = fields

    @admin.display(description=_("on behalf of"))
    def subject_display(self, action: ProxyAction) -> str:
        if action.subject_member_id is not None:
            return action.subject_member.full_name
        if action.subject_user_id is not None:
            return str(action.subject_user)
        return action.subject_name

    def get_search_results(self, request, queryset, search_term):
        nik = _identifier_term(search_term)
        if nik is not None:  # the NIK of the person acted for, by its digest
            digest = identifiers.digest(nik)
            return queryset.filter(
                Q(subject_user__nik_digest=digest) | Q(subject_member__nik_digest=digest)
            ), False
        return super().get_search_results(request, queryset, search_term)

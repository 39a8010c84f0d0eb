"""A read-only admin of the receipts an agency issued, with a revoke action.

The list holds only what :func:`~services.receipts.selectors.receipt_list_for_staff` gives the
staff member (their agencies' receipts); revoking goes through
:func:`~services.receipts.services.receipt_revoke`, which checks the same again.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from services.admin_tools import ReadOnlyAdminMixin, apply_each
from services.receipts import payloads, selectors, services
from services.receipts.models import Receipt
from services.uploads.admin import is_agency_staff


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tracking_number", "kind", "title", "issuer", "status", "issued_at"]
    list_filter = ["kind", "status"]
    show_full_result_count = False
    search_fields = ["tracking_number", "code"]
    fields = [
        "tracking_number",
        "title",
        "kind",
        "issuer",
        "status",
        "issued_at",
        "revoked_at",
        "masked_name",
        "code_display",
        "verification_link",
        "key_id",
        "signature",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return selectors.receipt_list_for_staff(user=request.user)

    def get_search_results(self, request, queryset, search_term):
        code = payloads.normalise_code(search_term)
        if len(code) == payloads.CODE_LENGTH:  # a code as printed, ABCD-EFGH-…, finds it too
            search_term = code
        return super().get_search_results(request, queryset, search_term)

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request)

    def has_revoke_permission(self, request) -> bool:
        return is_agency_staff(request)

    @admin.action(description=_("Revoke the selected receipts"), permissions=["revoke"])
    def revoke(self, request, queryset):
        apply_each(
            self,
            request,
            queryset,
            lambda receipt: services.receipt_revoke(receipt=receipt, actor=request.user),
            success=_("%(count)d receipt(s) revoked."),
        )

    @admin.display(description=_("verification code"))
    def code_display(self, receipt: Receipt) -> str:
        return payloads.format_code(receipt.code)

    @admin.display(description=_("public verification page"))
    def verification_link(self, receipt: Receipt) -> str:
        url = payloads.verification_path(receipt)
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, url)

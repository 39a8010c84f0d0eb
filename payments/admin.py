"""The admin for BPPDRD (Bapenda) staff: bills, payments, imports, penalty rules, the daily
reconciliation report. Staff of other agencies see nothing of it."""

from __future__ import annotations

import csv
import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access_log import AccessLoggedAdminMixin
from payments import selectors, services
from payments.models import (
    Bill,
    BillImport,
    Payment,
    PaymentEvent,
    PenaltyRule,
    TaxObject,
    WebhookDelivery,
)
from services.admin_tools import ReadOnlyAdminMixin
from services.uploads.admin import is_agency_staff


class RevenueStaffOnly:
    """The section is offered to agency staff at no query of its own (the platform's check reads
    the role permissions the admin loads anyway); which rows they see is the selector's business:
    BPPDRD staff see all, staff of another agency see nothing (empty lists, 404 on an object,
    403 on the import, the report and adding a penalty rule)."""

    def has_module_permission(self, request) -> bool:
        return is_agency_staff(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if selectors.is_revenue_staff(request.user) else queryset.none()


class BillImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Bill)
class BillAdmin(AccessLoggedAdminMixin, RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    def access_log_subject_ids(self, obj):
        return selectors.bill_citizen_ids(bill=obj)

    list_display = ["number", "kind", "tax_year", "payer_name", "principal", "due_date", "is_paid"]
    list_filter = ["kind", "is_paid", "tax_year"]
    search_fields = ["number", "tax_object__nop", "payer_name"]
    list_select_related = ["tax_object"]
    change_list_template = "payments/admin/bill_change_list.html"

    def get_queryset(self, request):
        return selectors.bill_list_for(user=request.user)

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="payments_bill_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not selectors.is_revenue_staff(request.user):
            raise PermissionDenied
        form = BillImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            record = services.bills_import(actor=request.user, file=upload, file_name=upload.name)
            messages.info(
                request,
                _(
                    "Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, errors %(errors)d."
                )
                % {
                    "created": record.created,
                    "updated": record.updated,
                    "unchanged": record.unchanged,
                    "errors": len(record.errors),
                },
            )
            return redirect(reverse("admin:payments_billimport_change", args=[record.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import bills"),
            "form": form,
            "columns": services.CSV_COLUMNS,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "payments/admin/bill_import.html", context)


@admin.register(Payment)
class PaymentAdmin(AccessLoggedAdminMixin, RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    access_log_subject_fields = ("payer",)
    list_display = ["order_id", "bill", "amount", "state", "needs_review", "provider", "created_at"]
    list_filter = ["state", "needs_review", "provider"]
    search_fields = ["order_id", "bill__number"]
    list_select_related = ["bill"]
    change_list_template = "payments/admin/payment_change_list.html"

    def get_queryset(self, request):
        return selectors.payment_list_for(user=request.user)

    def get_urls(self):
        return [
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="payments_payment_report",
            ),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """The daily reconciliation report (:func:`payment_daily_report`); ``?csv=1`` for CSV."""
        if not selectors.is_revenue_staff(request.user):
            raise PermissionDenied
        rows = payment_daily_report(user=request.user)
        if request.GET.get("csv"):
            response = HttpResponse(content_type="text/csv")
            response["Content-Disposition"] = 'attachment; filename="payments-report.csv"'
            writer = csv.writer(response)
            writer.writerow(["day", "channel", "paid", "total", "flagged", "refused"])
            for row in rows:
                writer.writerow(
                    [
                        row["day"],
                        row["provider"],
                        row["paid"],
                        row["total"],
                        row["flagged"],
                        row["refused"],
                    ]
                )
            return response
        context = {
            **self.admin_site.each_context(request),
            "title": _("Daily reconciliation report"),
            "rows": rows,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "payments/admin/payment_report.html", context)


def payment_daily_report(*, user, days: int = 31) -> list[dict]:
    """Per day (WITA; the day paid, else the day created) and channel: payments paid and their
    total, payments flagged for review (amount mismatch, a second payment of a paid bill), and
    notifications refused (bad signature, unknown payment, unreadable). Two queries."""
    from django.db.models.functions import Coalesce, TruncDate

    from payments.services import WITA

    since = services.today() - dt.timedelta(days=days)
    rows: dict[tuple, dict] = {}
    payments = (
        selectors.payment_list_for(user=user)
        .annotate(day=TruncDate(Coalesce("paid_at", "created_at"), tzinfo=WITA))
        .filter(day__gte=since)
        .values("day", "provider")
        .annotate(
            paid=Count("id", filter=Q(state="paid")),
            total=Sum("amount", filter=Q(state="paid"), default=0),
            flagged=Count("id", filter=Q(needs_review=True)),
        )
    )
    for row in payments:
        rows[(row["day"], row["provider"])] = {**row, "refused": 0}
    refused = (
        WebhookDelivery.objects.exclude(result=WebhookDelivery.Result.ACCEPTED)
        .annotate(day=TruncDate("received_at", tzinfo=WITA))
        .filter(day__gte=since)
        .values("day", "provider")
        .annotate(count=Count("id"))
    )
    if not selectors.is_revenue_staff(user):
        refused = refused.none()
    for row in refused:
        key = (row["day"], row["provider"])
        rows.setdefault(
            key,
            {"day": key[0], "provider": key[1], "paid": 0, "total": 0, "flagged": 0, "refused": 0},
        )["refused"] = row["count"]
    return sorted(rows.values(), key=lambda r: (-r["day"].toordinal(), r["provider"]))


@admin.register(PaymentEvent)
class PaymentEventAdmin(RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["payment", "provider", "status", "amount", "received_at"]
    list_filter = ["provider", "status"]
    search_fields = ["payment__order_id"]
    list_select_related = ["payment"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every notification the webhook received, refused ones too, as it arrived."""

    list_display = [
        "received_at",
        "provider",
        "result",
        "order_id",
        "gateway_status",
        "amount",
        "processed_at",
        "outcome",
    ]
    list_filter = [
        "result",
        "provider",
        "gateway_status",
        ("processed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["order_id", "reference"]
    date_hierarchy = "received_at"
    readonly_fields = [
        "received_at",
        "provider",
        "result",
        "order_id",
        "payment",
        "gateway_status",
        "status",
        "amount",
        "reference",
        "headers",
        "body",
        "body_truncated",
        "processed_at",
        "outcome",
    ]
    actions = ["apply_now"]

    @admin.action(description=_("Apply the selected accepted notifications now"))
    def apply_now(self, request, queryset):
        if not selectors.is_revenue_staff(request.user):
            raise PermissionDenied
        pending = queryset.filter(result=WebhookDelivery.Result.ACCEPTED, processed_at__isnull=True)
        ids = list(pending.values_list("pk", flat=True))
        for pk in ids:
            services.notification_process(delivery_id=pk)
        done = len(ids)
        self.message_user(
            request, _("%(count)d notification(s) applied.") % {"count": done}, messages.SUCCESS
        )


@admin.register(BillImport)
class BillImportAdmin(RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["file_name", "created", "updated", "unchanged", "created_at"]
    readonly_fields = [
        "file_name",
        "imported_by",
        "created",
        "updated",
        "unchanged",
        "errors",
        "created_at",
    ]


@admin.register(TaxObject)
class TaxObjectAdmin(RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["nop_formatted", "taxpayer_name", "kelurahan_name", "needs_review"]
    list_filter = ["needs_review"]
    search_fields = ["nop", "taxpayer_name"]


@admin.register(PenaltyRule)
class PenaltyRuleAdmin(RevenueStaffOnly, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rules are added (a new one from a date), never edited: past penalties stay explainable."""

    list_display = [
        "effective_from",
        "rate_per_month",
        "cap_months",
        "part_month_counts",
        "rounding",
        "legal_basis",
    ]
    fields = [
        "effective_from",
        "rate_per_month",
        "cap_months",
        "part_month_counts",
        "rounding",
        "legal_basis",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return is_agency_staff(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not selectors.is_revenue_staff(request.user):
            raise PermissionDenied
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:  # pragma: no cover - change is not permitted
            return
        saved = services.penalty_rule_add(
            actor=request.user,
            effective_from=obj.effective_from,
            rate_per_month=obj.rate_per_month,
            cap_months=obj.cap_months,
            part_month_counts=obj.part_month_counts,
            rounding=obj.rounding,
            legal_basis=obj.legal_basis,
        )
        obj.pk = saved.pk

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from payments import selectors
from payments.models import Bill, Payment, PropertyLink
from payments.nop import format_nop
from payments.services import today


class PaymentBillSerializer(serializers.ModelSerializer):
    """A bill with what is due today (principal + the penalty of the rule in force)."""

    nop = serializers.SerializerMethodField()
    penalty = serializers.SerializerMethodField()
    total_due = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = [
            "uuid",
            "kind",
            "number",
            "nop",
            "tax_year",
            "payer_name",
            "description",
            "object_address",
            "kelurahan_name",
            "land_area",
            "land_class",
            "building_area",
            "building_class",
            "njop",
            "principal",
            "penalty",
            "total_due",
            "due_date",
            "is_overdue",
            "is_paid",
            "paid_at",
        ]
        read_only_fields = fields

    def _penalty(self, bill: Bill) -> int:
        rules = self.context.get("rules")
        if rules is None:
            rules = self.context["rules"] = selectors.penalty_rules()
        return selectors.bill_penalty(bill=bill, on=self.context.get("on") or today(), rules=rules)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_nop(self, bill: Bill) -> str | None:
        return format_nop(bill.tax_object.nop) if bill.tax_object_id else None

    @extend_schema_field(serializers.IntegerField())
    def get_penalty(self, bill: Bill) -> int:
        return self._penalty(bill)

    @extend_schema_field(serializers.IntegerField())
    def get_total_due(self, bill: Bill) -> int:
        return 0 if bill.is_paid else bill.principal + self._penalty(bill)

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, bill: Bill) -> bool:
        return not bill.is_paid and bill.due_date < (self.context.get("on") or today())


class PaymentSerializer(serializers.ModelSerializer):
    bill = serializers.UUIDField(source="bill.uuid", read_only=True)
    bill_number = serializers.CharField(source="bill.number", read_only=True)
    state_label = serializers.CharField(source="get_state_label", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "uuid",
            "order_id",
            "bill",
            "bill_number",
            "state",
            "state_label",
            "principal",
            "penalty",
            "amount",
            "qr_string",
            "expires_at",
            "paid_at",
            "created_at",
        ]
        read_only_fields = fields


class PaymentQrSerializer(PaymentSerializer):
    """The payment with its QR as SVG markup and a PNG data URI (while it can be paid)."""

    qr_svg = serializers.SerializerMethodField()
    qr_png = serializers.SerializerMethodField()

    class Meta(PaymentSerializer.Meta):
        fields = [*PaymentSerializer.Meta.fields, "qr_svg", "qr_png"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_qr_svg(self, payment: Payment) -> str | None:
        from payments.qr_images import qr_svg

        return qr_svg(payment.qr_string) if payment.state == "pending" else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_qr_png(self, payment: Payment) -> str | None:
        import base64

        from payments.qr_images import qr_png

        if payment.state != "pending":
            return None
        return "data:image/png;base64," + base64.b64encode(qr_png(payment.qr_string)).decode()


class PaymentPropertySerializer(serializers.ModelSerializer):
    nop = serializers.CharField(source="tax_object.nop_formatted", read_only=True)
    address = serializers.CharField(source="tax_object.address", read_only=True)
    kelurahan_name = serializers.CharField(source="tax_object.kelurahan_name", read_only=True)

    class Meta:
        model = PropertyLink
        fields = ["id", "nop", "address", "kelurahan_name", "created_at"]
        read_only_fields = fields


class PaymentPropertyLinkInputSerializer(serializers.Serializer):
    nop = serializers.CharField(max_length=40)


class PaymentLookupQuerySerializer(serializers.Serializer):
    nop = serializers.CharField(max_length=40)


class PaymentLookupBillSerializer(serializers.Serializer):
    tax_year = serializers.IntegerField()
    principal = serializers.IntegerField()
    penalty = serializers.IntegerField()
    total_due = serializers.IntegerField()
    due_date = serializers.DateField()
    is_paid = serializers.BooleanField()


class PaymentLookupSerializer(serializers.Serializer):
    nop = serializers.CharField()
    taxpayer_name = serializers.CharField(help_text="Masked.")
    kelurahan_name = serializers.CharField()
    bills = PaymentLookupBillSerializer(many=True)


class PaymentWebhookAckSerializer(serializers.Serializer):
    received = serializers.BooleanField()

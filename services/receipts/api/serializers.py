from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from drf_standardized_errors.openapi_serializers import ClientErrorEnum
from rest_framework import serializers

from services.receipts import payloads
from services.receipts.exceptions import ReceiptError404Code
from services.receipts.models import Receipt
from services.receipts.selectors import VerificationResult

# What the verification API answers with 200 (an unknown code is a 404).
VERIFICATION_RESULTS = [
    choice for choice in VerificationResult.choices if choice[0] != VerificationResult.UNKNOWN
]


class ReceiptIssuerSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReceiptPublicSerializer(serializers.ModelSerializer):
    """The public facts of a receipt: what anyone holding its code may see."""

    issuer = ReceiptIssuerSerializer()
    kind_display = serializers.CharField(source="get_kind_display")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Receipt
        fields = [
            "code",
            "kind",
            "kind_display",
            "issuer",
            "tracking_number",
            "title",
            "issued_at",
            "status",
            "status_display",
            "revoked_at",
            "masked_name",
        ]
        read_only_fields = fields


class ReceiptSerializer(ReceiptPublicSerializer):
    """A receipt as its owner sees it: the public facts, the signature and where to check it."""

    verification_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta(ReceiptPublicSerializer.Meta):
        fields = [
            "uuid",
            *ReceiptPublicSerializer.Meta.fields,
            "payload",
            "signature",
            "key_id",
            "verification_url",
            "pdf_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_verification_url(self, receipt: Receipt) -> str:
        return payloads.verification_url(receipt)

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, receipt: Receipt) -> str:
        path = reverse("api:receipt-pdf", args=[receipt.uuid])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReceiptVerificationSerializer(serializers.Serializer):
    result = serializers.ChoiceField(
        choices=VERIFICATION_RESULTS,
        help_text=(
            "`valid`: genuine and in force; `revoked`: genuine, withdrawn by the issuer; "
            "`tampered`: the record does not match its signature (its data is withheld)."
        ),
    )
    signature_valid = serializers.BooleanField()
    receipt = ReceiptPublicSerializer(allow_null=True)
    payload = serializers.CharField(
        allow_null=True, help_text="The signed canonical JSON (null when tampered)."
    )
    signature = serializers.CharField(
        allow_null=True, help_text="Base64url Ed25519 signature of `payload`."
    )
    key_id = serializers.CharField(allow_null=True)


class ReceiptPublicKeySerializer(serializers.Serializer):
    key_id = serializers.CharField()
    algorithm = serializers.CharField()
    public_key = serializers.CharField(help_text="PEM (SubjectPublicKeyInfo).")
    current = serializers.BooleanField(help_text="Whether new receipts are signed with it.")


class ReceiptUnknownErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ReceiptError404Code.choices)
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ReceiptUnknownErrorResponseSerializer(serializers.Serializer):
    """The shared error shape, for a verification code no receipt has."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ReceiptUnknownErrorSerializer(many=True)

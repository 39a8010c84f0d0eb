"""``/api/v1/pembayaran/``: my bills, paying a bill by QRIS, payment status, my properties, the
public NOP look-up and the gateway webhook. Views are thin: selectors read, services write."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_log import AccessLoggedAPIMixin
from balikpapan_untuk_warga.api.errors import ApplicationError
from balikpapan_untuk_warga.api.pagination import StrictLimitOffsetPagination
from balikpapan_untuk_warga.api.query import query_validated
from balikpapan_untuk_warga.api.represent import represent
from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from payments import selectors, services
from payments.api.serializers import (
    PaymentBillSerializer,
    PaymentLookupQuerySerializer,
    PaymentLookupSerializer,
    PaymentPropertyLinkInputSerializer,
    PaymentPropertySerializer,
    PaymentQrSerializer,
    PaymentSerializer,
    PaymentWebhookAckSerializer,
)
from payments.exceptions import NopNotFound, NopRejected
from payments.nop import NopError, nop_parse
from payments.providers import PROVIDERS, NotificationMalformed, SignatureInvalid, get_provider
from services.receipts.payloads import mask_name

logger = logging.getLogger(__name__)
TAGS = ["pembayaran"]


def _bill_or_404(request, uuid):
    bill = selectors.bill_get_for(user=request.user, uuid=uuid)
    if bill is None:
        raise NotFound(_("No bill found."))
    return bill


def _payment_or_404(request, uuid):
    payment = selectors.payment_get_for(user=request.user, uuid=uuid)
    if payment is None:
        raise NotFound(_("No payment found."))
    return payment


class BillListView(ListAPIView):
    serializer_class = PaymentBillSerializer
    pagination_class = StrictLimitOffsetPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.bill_list_for(user=self.request.user)

    @extend_schema(
        operation_id="payments_bills_list",
        description="My PBB and retribusi bills, oldest unpaid first, with what is due today.",
        tags=TAGS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BillDetailView(AccessLoggedAPIMixin, APIView):
    @extend_schema(
        operation_id="payments_bills_retrieve", responses=PaymentBillSerializer, tags=TAGS
    )
    def get(self, request, uuid):
        bill = _bill_or_404(request, uuid)
        if request.user.is_staff:  # revenue staff: the payer and the citizens linked to the NOP
            self.log_access(request, bill, subject_ids=selectors.bill_citizen_ids(bill=bill))
        return Response(PaymentBillSerializer(bill).data)


class BillPaymentCreateView(APIView):
    @extend_schema(
        operation_id="payments_bills_pay",
        description=(
            "Create a dynamic QRIS for the amount due now (201), or return the pending, unexpired "
            "one of this bill (200). A paid bill answers 409 `bill_already_paid`."
        ),
        request=None,
        responses={201: PaymentQrSerializer, 200: PaymentQrSerializer},
        tags=TAGS,
    )
    def post(self, request, uuid):
        bill = _bill_or_404(request, uuid)
        before = set(bill.payments.filter(state="pending").values_list("pk", flat=True))
        payment = services.payment_create(actor=request.user, bill=bill)
        code = status.HTTP_200_OK if payment.pk in before else status.HTTP_201_CREATED
        return Response(PaymentQrSerializer(payment).data, status=code)


class PaymentListView(ListAPIView):
    serializer_class = PaymentSerializer
    pagination_class = StrictLimitOffsetPagination
    filter_backends: list = []

    def get_queryset(self):
        return selectors.payment_list_for(user=self.request.user)

    @extend_schema(operation_id="payments_payments_list", tags=TAGS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PaymentDetailView(AccessLoggedAPIMixin, APIView):
    access_log_subject_fields = ("payer",)

    @extend_schema(
        operation_id="payments_payments_retrieve",
        description="The payment's state, for the app to poll (no gateway call).",
        responses=PaymentSerializer,
        tags=TAGS,
    )
    def get(self, request, uuid):
        payment = _payment_or_404(request, uuid)
        self.log_access(request, payment)
        return Response(represent(PaymentSerializer, payment))


class PropertyListView(APIView):
    @extend_schema(
        operation_id="payments_properties_list",
        responses=PaymentPropertySerializer(many=True),
        tags=TAGS,
    )
    def get(self, request):
        links = selectors.property_list_for(user=request.user)
        return Response(PaymentPropertySerializer(links, many=True).data)

    @extend_schema(
        operation_id="payments_properties_link",
        request=PaymentPropertyLinkInputSerializer,
        responses={201: PaymentPropertySerializer},
        tags=TAGS,
    )
    def post(self, request):
        data = PaymentPropertyLinkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.property_link(actor=request.user, nop=data.validated_data["nop"])
        return Response(PaymentPropertySerializer(link).data, status=status.HTTP_201_CREATED)


class LookupView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "lookup"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedThrottle()]

    @extend_schema(
        operation_id="payments_lookup",
        description="Public look-up by NOP: amounts due, the taxpayer's name masked. Throttled.",
        parameters=[OpenApiParameter("nop", OpenApiTypes.STR, required=True)],
        responses=PaymentLookupSerializer,
        tags=TAGS,
    )
    def get(self, request):
        query = query_validated(request, PaymentLookupQuerySerializer)
        try:
            nop = nop_parse(query["nop"], allow_undocumented_special_code=True)
        except NopError as exc:
            raise NopRejected(str(exc), code=exc.code) from None
        found = selectors.nop_lookup(nop=nop.digits, on=services.today())
        if found is None:
            raise NopNotFound()
        tax_object = found.tax_object
        data = {
            "nop": tax_object.nop_formatted,
            "taxpayer_name": mask_name(tax_object.taxpayer_name),
            "kelurahan_name": tax_object.kelurahan_name,
            "bills": [
                {
                    "tax_year": bill.tax_year,
                    "principal": bill.principal,
                    "penalty": penalty,
                    "total_due": 0 if bill.is_paid else bill.principal + penalty,
                    "due_date": bill.due_date,
                    "is_paid": bill.is_paid,
                }
                for bill, penalty in found.bills
            ],
        }
        return Response(represent(PaymentLookupSerializer, data))


class WebhookView(APIView):
    """The gateway's notification. The signature is checked over the raw body before anything
    is parsed or trusted; a bad one is 401 and changes nothing. Every delivery is stored for
    audit; an accepted one is applied by a Celery task right after the answer.

    Not rate-limited per address: a gateway delivers every payment of the city from a handful
    of addresses, and the anonymous limit (120 a minute) would turn the PBB due date's
    notifications into 429s and retries hours later. The signature is the gate; a forged
    delivery costs one HMAC and is refused with 401."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        operation_id="payments_webhook",
        description=(
            "Gateway notification (`sandbox` or `midtrans`). 401 `signature_invalid` when the "
            "signature is missing or wrong or the timestamp is outside the tolerance; 404 for an "
            "unknown order. An accepted notification is stored and applied right after the answer; "
            "replays change nothing."
        ),
        request=OpenApiTypes.OBJECT,
        responses={
            200: PaymentWebhookAckSerializer,
            401: OpenApiResponse(description="Bad signature."),
        },
        tags=TAGS,
    )
    def post(self, request, provider):
        if provider not in PROVIDERS:
            raise NotFound(_("Unknown payment provider."))
        try:
            services.webhook_receive(
                provider_code=provider,
                headers=request.headers,
                body=request.body,
                method=request.method,
                path=request.path,
            )
        except SignatureInvalid:
            logger.warning("Payment notification from %s refused: bad signature", provider)
            raise ApplicationError(
                _("The notification's signature is not valid."),
                code="signature_invalid",
                status_code=status.HTTP_401_UNAUTHORIZED,
            ) from None
        except NotificationMalformed:
            raise ApplicationError(
                _("The notification cannot be read."), code="notification_invalid"
            ) from None
        except services.UnknownPayment:
            logger.warning("Payment notification from %s for an unknown order", provider)
            raise NotFound(_("No payment found.")) from None
        return Response(get_provider(provider).acknowledgement())

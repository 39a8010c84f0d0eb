"""Portal pages: my bills, a bill, paying it by QRIS, the payment's status. Same services and
selectors as the API."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from balikpapan_untuk_warga.api.errors import ApplicationError
from payments import selectors, services
from payments.portal.forms import PropertyLinkForm
from payments.providers import SandboxProvider
from payments.qr_images import qr_png, qr_svg


def _rows(bills, on):
    rules = selectors.penalty_rules()
    rows = []
    for bill in bills:
        penalty = selectors.bill_penalty(bill=bill, on=on, rules=rules)
        rows.append(
            {
                "bill": bill,
                "penalty": penalty,
                "total": 0 if bill.is_paid else bill.principal + penalty,
                "is_overdue": not bill.is_paid and bill.due_date < on,
            }
        )
    return rows


@login_required
def bill_list(request):
    form = PropertyLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.property_link(actor=request.user, nop=form.cleaned_data["nop"])
        except ApplicationError as exc:
            form.add_error("nop", str(exc.detail))
        else:
            return redirect("payments:list")
    bills = selectors.bill_list_for(user=request.user)[:50]
    context = {
        "rows": _rows(bills, services.today()),
        "properties": selectors.property_list_for(user=request.user),
        "form": form,
    }
    return render(request, "payments/bill_list.html", context)


@login_required
def bill_detail(request, uuid):
    bill = selectors.bill_get_for(user=request.user, uuid=uuid)
    if bill is None:
        raise Http404
    if request.method == "POST":
        try:
            payment = services.payment_create(actor=request.user, bill=bill)
        except ApplicationError as exc:
            messages.error(request, str(exc.detail))
        else:
            return redirect("payments:payment", uuid=payment.uuid)
    (row,) = _rows([bill], services.today())
    return render(request, "payments/bill_detail.html", {"row": row, "bill": bill})


def _payment(request, uuid):
    payment = selectors.payment_get_for(user=request.user, uuid=uuid)
    if payment is None:
        raise Http404
    return payment


@login_required
def payment_detail(request, uuid):
    payment = _payment(request, uuid)
    from services.receipts.models import Receipt

    receipt = Receipt.objects.filter(
        object_type__app_label="payments", object_type__model="payment", object_id=payment.pk
    ).first()
    context = {
        "payment": payment,
        "qr_svg": qr_svg(payment.qr_string) if payment.state == "pending" else "",
        "receipt": receipt,
        "can_simulate": payment.state == "pending" and sandbox_pay_page_enabled(payment),
    }
    return render(request, "payments/payment_detail.html", context)


@login_required
def payment_qr_png(request, uuid):
    payment = _payment(request, uuid)
    return HttpResponse(qr_png(payment.qr_string), content_type="image/png")


def sandbox_pay_page_enabled(payment=None) -> bool:
    """The demo's "pay now" button: an explicit setting, and only for the sandbox acquirer."""
    return (
        settings.PAYMENTS_SANDBOX_PAY_PAGE
        and settings.PAYMENTS_PROVIDER == "sandbox"
        and (payment is None or payment.provider == "sandbox")
    )


@login_required
@require_POST
def payment_simulate(request, uuid):
    """Demo only: the sandbox acquirer "pays" and sends its signed callback through the same
    verification, storage and processing as a real webhook."""
    payment = _payment(request, uuid)
    if not sandbox_pay_page_enabled(payment):
        raise Http404
    body, headers = SandboxProvider().notification_for(
        order_id=payment.order_id, status="paid", amount=payment.amount
    )
    services.webhook_receive(provider_code="sandbox", headers=headers, body=body, path=request.path)
    return redirect("payments:payment", uuid=payment.uuid)

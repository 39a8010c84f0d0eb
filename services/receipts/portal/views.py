"""Portal pages: the public verification page (no login) and the owner's receipt page and PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from balikpapan_untuk_warga.api.throttling import ScopedThrottle
from services.receipts import payloads, selectors
from services.receipts.http import receipt_pdf_response
from services.receipts.pdf import receipt_facts
from services.receipts.portal.forms import VerifyCodeForm
from services.receipts.qr import receipt_qr_svg_data_uri


class _LookupScope:
    """The throttle scope the verification page shares with the verification API."""

    throttle_scope = "lookup"


def _throttled(request: HttpRequest) -> HttpResponse | None:
    if ScopedThrottle().allow_request(request, _LookupScope()):
        return None
    return render(request, "429.html", status=429)


@require_GET
def receipt_verify_form(request: HttpRequest) -> HttpResponse:
    """``/verifikasi/``: type the code printed on a receipt."""
    form = VerifyCodeForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "portal:receipt_verify", code=payloads.normalise_code(form.cleaned_data["code"])
        )
    return render(request, "receipts/verify_form.html", {"form": form})


@require_GET
def receipt_verify(request: HttpRequest, code: str) -> HttpResponse:
    """``/verifikasi/<code>/``: public, no login; what the QR code opens."""
    if refusal := _throttled(request):
        return refusal
    verification = selectors.receipt_verify(code=code, short_signature=request.GET.get("s") or None)
    status = 404 if verification.result == selectors.VerificationResult.UNKNOWN else 200
    context = {
        "verification": verification,
        "results": selectors.VerificationResult,
        "code": payloads.format_code(payloads.normalise_code(code))[:40],
        "facts": receipt_facts(verification.receipt) if verification.receipt else [],
    }
    response = render(request, "receipts/verify.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def receipt_detail(request: HttpRequest, uuid) -> HttpResponse:
    receipt = selectors.receipt_get_for(user=request.user, uuid=uuid)
    if receipt is None:
        raise Http404
    context = {
        "receipt": receipt,
        "facts": receipt_facts(receipt),
        "qr_src": receipt_qr_svg_data_uri(receipt),
        "verification_url": payloads.verification_url(receipt),
    }
    return render(request, "receipts/detail.html", context)


@login_required
@require_GET
def receipt_pdf(request: HttpRequest, uuid) -> HttpResponse:
    receipt = selectors.receipt_get_for(user=request.user, uuid=uuid)
    if receipt is None:
        raise Http404
    return receipt_pdf_response(receipt)

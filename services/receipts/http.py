"""The receipt PDF as an HTTP response (used by the API and the portal)."""

from django.http import HttpResponse

from services.receipts.models import Receipt
from services.receipts.pdf import render_receipt_pdf


def receipt_pdf_response(receipt: Receipt) -> HttpResponse:
    response = HttpResponse(render_receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bukti-{receipt.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

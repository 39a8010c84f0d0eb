"""The QR code on a receipt: the public verification URL (:func:`payloads.verification_url`)."""

from __future__ import annotations

import io

import segno

from services.receipts.models import Receipt
from services.receipts.payloads import verification_url

ERROR_CORRECTION = "m"  # survives a crease or a smudge on a printed receipt
PNG_SCALE = 8  # pixels per module in the PDF's image
PNG_BORDER = 4  # the quiet zone the standard asks for, in modules


def receipt_qr(receipt: Receipt) -> segno.QRCode:
    return segno.make_qr(verification_url(receipt), error=ERROR_CORRECTION, boost_error=False)


def receipt_qr_png(receipt: Receipt) -> bytes:
    out = io.BytesIO()
    receipt_qr(receipt).save(out, kind="png", scale=PNG_SCALE, border=PNG_BORDER)
    return out.getvalue()


def receipt_qr_svg_data_uri(receipt: Receipt) -> str:
    return receipt_qr(receipt).svg_data_uri(scale=4, border=PNG_BORDER)

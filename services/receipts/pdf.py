"""The receipt as a one-page A4 PDF (fpdf2, its built-in Helvetica and Courier: no font files).

The built-in fonts cover Latin-1, which is enough for Indonesian and English; other characters
(typographic dashes and quotes, letters outside Latin-1) are replaced by their closest ASCII.
"""

from __future__ import annotations

import io
import unicodedata

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from services.receipts import payloads
from services.receipts.models import Receipt
from services.receipts.qr import receipt_qr_png

_REPLACEMENTS = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-", "×": "x"}
)
QR_SIZE_MM = 55
SIGNATURE_LINE = 44  # characters of the signature per line


def pdf_text(text: str) -> str:
    """``text`` in Latin-1 (what the built-in PDF fonts can show)."""
    text = str(text).translate(_REPLACEMENTS)
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        text = "".join(
            char
            if ord(char) < 256
            else unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
            for char in text
        )
    return text


def local_datetime(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i") + " WITA"


def receipt_facts(receipt: Receipt) -> list[tuple[str, str]]:
    """The label/value pairs shown on the receipt, its page and its PDF."""
    facts = [
        (_("Kind"), receipt.get_kind_display()),
        (_("Issued by"), receipt.issuer.name),
        (_("Tracking number"), receipt.tracking_number),
        (_("Date"), local_datetime(receipt.issued_at)),
        (_("Name"), receipt.masked_name or "-"),
        (_("Status"), receipt.get_status_display()),
    ]
    if receipt.revoked_at:
        facts.append((_("Revoked on"), local_datetime(receipt.revoked_at)))
    facts.append((_("Verification code"), payloads.format_code(receipt.code)))
    return facts


def render_receipt_pdf(receipt: Receipt) -> bytes:
    # 30 MB with fontTools: loaded by the process that renders, not by every web worker.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(receipt.issued_at)
    pdf.set_title(pdf_text(f"{_('Receipt')} {receipt.tracking_number}"))
    pdf.set_author("Pemerintah Kota Balikpapan")
    pdf.set_creator("Balikpapan Untuk Warga")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font("Helvetica", "B", 11)
    pdf.set_text_color(11, 83, 148)
    pdf.cell(width, 6, pdf_text(_("Balikpapan Untuk Warga")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(width, 5, pdf_text(_("Balikpapan City Government")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(width, 9, pdf_text(_("Receipt")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(width, 7, pdf_text(receipt.title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    top = pdf.get_y()
    pdf.image(
        io.BytesIO(receipt_qr_png(receipt)),
        x=pdf.w - pdf.r_margin - QR_SIZE_MM,
        y=top,
        w=QR_SIZE_MM,
        h=QR_SIZE_MM,
        alt_text=pdf_text(_("QR code to verify this receipt")),
    )
    facts_width = width - QR_SIZE_MM - 6
    for label, value in receipt_facts(receipt):
        pdf.set_font("Helvetica", "", 9)
        pdf.set_text_color(74, 85, 99)
        pdf.cell(facts_width, 5, pdf_text(label), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", 12)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(facts_width, 6, pdf_text(value), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE_MM) + 6)

    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        width,
        5,
        pdf_text(
            _("Scan the QR code, or open the address below, to check that this receipt is genuine:")
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Courier", "", 9)
    pdf.multi_cell(
        width, 5, pdf_text(payloads.verification_url(receipt)), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 8)
    pdf.set_text_color(74, 85, 99)
    pdf.multi_cell(
        width,
        4,
        pdf_text(_("Ed25519 signature (key %(key)s):") % {"key": receipt.key_id}),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Courier", "", 8)
    signature = receipt.signature
    for start in range(0, len(signature), SIGNATURE_LINE):
        pdf.cell(width, 4, signature[start : start + SIGNATURE_LINE], new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(pdf.h - 20)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        width,
        4,
        pdf_text(
            _(
                "This receipt was issued electronically and needs no stamp or signature in ink. "
                "It shows no personal data beyond a masked name."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())

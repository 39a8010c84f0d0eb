"""The decision letter of a form whose output is a generated letter: the agency's template with
the application's data filled in, as a PDF (fpdf2, built-in fonts)."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import formats, timezone, translation

from applications import definition
from applications.models import Application
from services.receipts.pdf import pdf_text

_PLACEHOLDER = re.compile(r"\{(answer:[a-z][a-z0-9_]*|[a-z_]+)\}")


def _answer_text(field: dict | None, value) -> str:
    if field is None or value is None:
        return ""
    if field["type"] == "yes_no":
        return "Ya" if value else "Tidak"
    labels = {c["value"]: c["label_id"] for c in field.get("choices", [])}
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values())
    return str(labels.get(value, value))


def letter_text(*, application: Application) -> str:
    """The template with its placeholders filled (unknown placeholders stay as written).
    NIK answers appear masked: a letter travels further than the application."""
    spec = application.version.spec
    fields = {f["key"]: f for f in spec["fields"]}
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "tracking_number": application.tracking_number,
            "applicant_name": application.owner.full_name,
            "service_name": definition.text_in(spec, "title", "id"),
            "agency_name": application.agency.name,
            "decision_date": formats.date_format(
                timezone.localtime(application.decided_at or timezone.now()), "j F Y"
            ),
        }

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name.startswith("answer:"):
            key = name.split(":", 1)[1]
            return _answer_text(fields.get(key), application.answers.get(key))
        return str(values.get(name, match.group(0)))

    return _PLACEHOLDER.sub(replace, spec["output"]["letter_template"])


def decision_letter_pdf(*, application: Application) -> bytes:
    # 30 MB with fontTools: loaded by the process that renders, not by every web worker.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(pdf_text(application.tracking_number))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(
        0, 7, pdf_text(application.agency.name.upper()), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(
        0, 6, pdf_text("Pemerintah Kota Balikpapan"), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 11)
    for paragraph in letter_text(application=application).split("\n"):
        pdf.multi_cell(0, 6, pdf_text(paragraph) or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        5,
        pdf_text(f"Nomor permohonan: {application.tracking_number}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())

"""Demo data: the demo citizen's requests in every state, processed by the demo officer.
Idempotent: does nothing when the citizen already has civil registry requests."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

DEMO_CITIZEN = "warga@demo.balikpapan.test"
DEMO_OFFICER = "petugas@demo.balikpapan.test"
KK = "6471052003150004"


def demo_png(name: str = "dokumen.png", colour=(40, 120, 200)) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 200), colour)
    ImageDraw.Draw(image).text((20, 90), name, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def demo_pdf(name: str = "akta.pdf") -> SimpleUploadedFile:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


BIRTH = {
    "child_name": "Aisyah Putri Rahmawati",
    "child_sex": "P",
    "birth_date": "2026-10-02",
    "birth_place": "RSUD Beriman, Balikpapan",
    "father_name": "Andi Saputra",
    "mother_name": "Siti Rahmawati",
    "birth_attendant": "midwife",
    "parents_kk_number": KK,
}


def _birth_request(citizen, data=None):
    from civil_registry import services
    from services.uploads.services import document_upload

    request = services.request_create(
        actor=citizen, request_type="akta_kelahiran", subject_data=data or BIRTH
    )
    for code in ("birth_letter", "parents_kk", "marriage_certificate"):
        document = document_upload(owner=citizen, file=demo_png(f"{code}.png"), purpose=code)
        services.request_document_attach(
            actor=citizen, request=request, requirement=code, document_uuid=document.uuid
        )
    return request


def seed_civil_registry_demo(stdout=None) -> int:
    from accounts.models import User
    from civil_registry import services
    from civil_registry.models import CivilRequest

    citizen = User.objects.filter(email=DEMO_CITIZEN).first()
    officer = User.objects.filter(email=DEMO_OFFICER).first()
    if citizen is None or officer is None or not citizen.nik_digest:
        return 0
    if CivilRequest.objects.filter(owner=citizen).exists():
        return 0
    with transaction.atomic():
        # draft (a KK change, not yet complete)
        services.request_create(
            actor=citizen,
            request_type="kk",
            subject_data={"change_kind": "add_member", "kk_number": KK, "member_name": "Aisyah"},
        )
        submitted = _birth_request(citizen)
        services.request_submit(actor=citizen, request=submitted)

        def through(*steps, data=None):
            request = _birth_request(citizen, data)
            services.request_submit(actor=citizen, request=request)
            for step in steps:
                step(request)
            return request

        review = lambda r: services.request_start_review(actor=officer, request=r)  # noqa: E731
        revise = lambda r: services.request_ask_revision(  # noqa: E731
            actor=officer, request=r, note="Foto surat keterangan lahir buram; unggah ulang."
        )
        approve = lambda r: services.request_approve(actor=officer, request=r)  # noqa: E731
        issue = lambda r: services.request_issue(actor=officer, request=r, pdf=demo_pdf())  # noqa: E731
        complete = lambda r: services.request_complete(actor=officer, request=r)  # noqa: E731
        reject = lambda r: services.request_reject(  # noqa: E731
            actor=officer, request=r, reason="Data kelahiran sudah tercatat (akta ganda)."
        )
        through(review)
        through(review, revise)
        through(review, approve)
        through(review, approve, issue)
        through(review, approve, issue, complete)
        through(review, reject)
        cancelled = _birth_request(citizen)
        services.request_cancel(actor=citizen, request=cancelled, note="Salah isi data.")
    count = CivilRequest.objects.filter(owner=citizen).count()
    if stdout is not None:
        stdout.write(f"Civil registry: {count} demo requests in every state.")
    return count

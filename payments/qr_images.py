"""The QR code of a QRIS payload as SVG markup or PNG bytes (segno, pure Python)."""

import io

import segno


def qr_svg(payload: str) -> str:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title="QRIS"
    )
    return buffer.getvalue().decode()


def qr_png(payload: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()

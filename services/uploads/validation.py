"""Checking and cleaning an uploaded file, without touching the database or the storage.

The content decides what a file is: the first bytes are matched against the JPEG, PNG and PDF
signatures, and the client's file name and declared type are ignored (a PNG named ``scan.pdf`` is
accepted as a PNG and downloads as ``scan.png``; an executable named ``photo.jpg`` is refused).

* **Images**: in the request (:func:`inspect_file`) only Pillow's header is read (format, size,
  the pixel and bomb limits below, EXIF orientation) and the end-of-image marker looked for; the
  rest runs on the ``images`` Celery queue (:func:`clean_file`). There they are opened by Pillow
  restricted to the detected format, refused above
  ``UPLOAD_MAX_IMAGE_PIXELS`` before any pixel is decoded, decoded completely (a truncated file is
  an error, never silently padded), turned upright by their EXIF orientation, and re-encoded from
  the pixels alone: EXIF (GPS position, camera, time), XMP and comments are dropped; only the ICC
  colour profile (and PNG transparency) is kept. Pillow's decompression-bomb guard stays on and its
  warning is raised as an error, as a second line behind our own pixel limit.
* **PDFs** must start with a ``%PDF-x.y`` header, end with ``%%EOF``, parse with pypdf, not be
  encrypted and have 1 to ``UPLOAD_MAX_PDF_PAGES`` pages. They are stored as uploaded (rewriting a
  PDF can break its signatures and forms).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import unicodedata
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from balikpapan_untuk_warga.logging import redact
from services.uploads.exceptions import DocumentRejected
from services.uploads.models import Document

Kind = Document.Kind

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_TRAILER = b"%%EOF"
PDF_TRAILER_WINDOW = 1024  # %%EOF may be followed by a few bytes of whitespace or junk
JPEG_QUALITY = 90  # scans of identity cards must stay legible
MAX_NAME_LENGTH = 120
_NAME_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


@dataclass(frozen=True)
class CleanFile:
    """What will be stored: the (re-encoded) bytes and what was learnt about them."""

    content: bytes
    content_type: str
    sha256: str
    width: int | None = None
    height: int | None = None
    pages: int | None = None

    @property
    def size(self) -> int:
        return len(self.content)


def detect_kind(head: bytes) -> str | None:
    """The content type the leading bytes announce, or ``None`` for anything else."""
    if head.startswith(JPEG_MAGIC):
        return Kind.JPEG
    if head.startswith(PNG_MAGIC):
        return Kind.PNG
    if head.startswith(b"%PDF-"):
        return Kind.PDF
    return None


def read_limited(file, max_size: int) -> bytes:
    """Read ``file`` completely, refusing it without reading when its size is known to be over
    ``max_size``, and stopping after ``max_size + 1`` bytes when it is not."""
    size = getattr(file, "size", None)
    if size is not None and size > max_size:
        raise too_large(max_size)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_size + 1)
    if len(data) > max_size:
        raise too_large(max_size)
    if not data:
        raise DocumentRejected(_("The file is empty."), code="file_empty")
    return data


def too_large(max_size: int) -> DocumentRejected:
    return DocumentRejected(
        _("The file is larger than %(size)s MB.") % {"size": _megabytes(max_size)},
        code="file_too_large",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _kind_of(data: bytes) -> str:
    kind = detect_kind(data[:16])
    if kind is None:
        raise DocumentRejected(
            _("Only JPEG, PNG and PDF files are accepted."), code="file_type_not_allowed"
        )
    return kind


def clean_file(data: bytes) -> CleanFile:
    """Check ``data`` completely and return what to store, or raise :class:`DocumentRejected`:
    an image is decoded and re-encoded without its metadata. Run on the ``images`` queue
    (:func:`services.uploads.services.document_process`), not in the request."""
    kind = _kind_of(data)
    if kind == Kind.PDF:
        return _inspect_pdf(data)
    return _clean_image(data, kind)


def inspect_file(data: bytes) -> CleanFile:
    """The checks an upload answers with, cheap enough for the request: the type from the
    content, and for an image Pillow's header (format, size, pixel and bomb limits, EXIF
    orientation) and an end-of-image marker (a truncated file is refused at once), without
    decoding a pixel. The returned content is ``data`` as uploaded, metadata included: the caller
    stores it as not processed and has :func:`clean_file` run later. A PDF is checked completely,
    as before (it is never rewritten)."""
    kind = _kind_of(data)
    if kind == Kind.PDF:
        return _inspect_pdf(data)
    with _image_errors() as refusals:
        with _open_image(data, kind, refusals) as image:
            width, height = image.size
            orientation = _orientation(image)
        if not _is_complete(data, kind):
            raise refusals.invalid
    if orientation in _QUARTER_TURNS:  # stored upright by the processing: report it so
        width, height = height, width
    return CleanFile(
        content=data,
        content_type=kind,
        sha256=hashlib.sha256(data).hexdigest(),
        width=width,
        height=height,
    )


EXIF_ORIENTATION = 0x0112
_QUARTER_TURNS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
PNG_END = b"IEND\xaeB`\x82"  # the IEND chunk's type and CRC: the last 8 bytes of a PNG


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(EXIF_ORIENTATION) or 1)
    except Exception:  # a damaged EXIF block costs the orientation, not the upload
        return 1


def _is_complete(data: bytes, kind: str) -> bool:
    """Whether the file reaches its end marker: JPEG's EOI after the first scan (the segments
    before it are skipped by their lengths, so an EXIF thumbnail's EOI does not count), PNG's
    IEND chunk near the end. Truncation is by far the commonest damage of a phone upload."""
    if kind == Kind.PNG:
        return PNG_END in data[-PDF_TRAILER_WINDOW:]
    position, end = 2, len(data)
    while position + 4 <= end:
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xDA:  # start of scan: entropy-coded data up to EOI follows
            return data.find(b"\xff\xd9", position) != -1
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return False


@dataclass(frozen=True)
class _Refusals:
    bomb: DocumentRejected
    invalid: DocumentRejected


@contextmanager
def _image_errors():
    """Maps Pillow's many failure types to our two refusals (damaged; too many pixels)."""
    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    refusals = _Refusals(
        bomb=DocumentRejected(
            _("The image is too large: at most %(pixels)s megapixels are accepted.")
            % {"pixels": _megapixels(max_pixels)},
            code="image_too_large",
        ),
        invalid=DocumentRejected(
            _("The image is damaged or incomplete and cannot be read."), code="image_invalid"
        ),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield refusals
    except DocumentRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise refusals.bomb from None
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        IndexError,
        struct.error,
    ):
        raise refusals.invalid from None


@contextmanager
def _open_image(data: bytes, kind: str, refusals: _Refusals):
    """The image opened by its header only, refused above ``UPLOAD_MAX_IMAGE_PIXELS``."""
    # A phone's multi-frame JPEG (MPO) opens through the JPEG plugin; Pillow ≥ 12 registers no
    # separate "MPO" opener, and naming one made every unreadable JPEG a KeyError (a 500).
    formats = ["JPEG"] if kind == Kind.JPEG else ["PNG"]
    with Image.open(io.BytesIO(data), formats=formats) as image:
        width, height = image.size
        if width * height > settings.UPLOAD_MAX_IMAGE_PIXELS:
            raise refusals.bomb
        yield image


def _clean_image(data: bytes, kind: str) -> CleanFile:
    with _image_errors() as refusals, _open_image(data, kind, refusals) as image:
        image.load()  # decodes every pixel; truncated data raises OSError
        icc_profile = image.info.get("icc_profile")
        transparency = image.info.get("transparency")
        upright = _upright_copy(image)

    upright.info = {}  # drop EXIF, XMP, comments, text chunks: only the pixels go on
    options: dict = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    if kind == Kind.JPEG:
        if upright.mode not in ("L", "RGB"):  # CMYK and the like: browsers show them badly
            upright = upright.convert("RGB")
            options.pop("icc_profile", None)  # the profile described the old colour space
        options.update(quality=JPEG_QUALITY, optimize=True)
        pillow_format = "JPEG"
    else:
        if transparency is not None and upright.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
        options["optimize"] = True
        pillow_format = "PNG"
    out = io.BytesIO()
    upright.save(out, format=pillow_format, **options)
    content = out.getvalue()
    return CleanFile(
        content=content,
        content_type=kind,
        sha256=hashlib.sha256(content).hexdigest(),
        width=upright.width,
        height=upright.height,
    )


def _upright_copy(image: Image.Image) -> Image.Image:
    """A copy turned by its EXIF orientation; a copy as it is when the EXIF cannot be read."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # a damaged EXIF block costs the orientation, not the upload
        return image.copy()


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f}".removesuffix(".0")


def _inspect_pdf(data: bytes) -> CleanFile:
    invalid = DocumentRejected(
        _("The PDF is damaged or incomplete and cannot be read."), code="pdf_invalid"
    )
    if not PDF_HEADER.match(data) or PDF_TRAILER not in data[-PDF_TRAILER_WINDOW:]:
        raise invalid
    # 22 MB with fontTools: loaded by the process that checks a PDF, not by every web worker.
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise DocumentRejected(
                _("Password-protected PDFs are not accepted; upload the document without one."),
                code="pdf_encrypted",
            )
        pages = len(reader.pages)
    except DocumentRejected:
        raise
    except Exception:  # pypdf signals a broken file with many exception types
        raise invalid from None
    if pages < 1:
        raise invalid
    max_pages = settings.UPLOAD_MAX_PDF_PAGES
    if pages > max_pages:
        raise DocumentRejected(
            _("The PDF has more than %(pages)d pages.") % {"pages": max_pages},
            code="pdf_too_many_pages",
        )
    return CleanFile(
        content=data,
        content_type=Kind.PDF,
        sha256=hashlib.sha256(data).hexdigest(),
        pages=pages,
    )


def sanitise_name(name: str | None) -> str:
    """A display name for the file: no directories, control or reserved characters, NIK-like
    numbers or phone numbers (they are replaced, see ``balikpapan_untuk_warga.logging.redact``),
    at most :data:`MAX_NAME_LENGTH` characters with the extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _NAME_FORBIDDEN.sub("_", name)
    name = redact(" ".join(name.split())).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(extension) - 1] + "." + extension
        else:
            name = name[:MAX_NAME_LENGTH]
    return name or "document"

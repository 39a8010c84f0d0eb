"""Error codes raised by ``services.uploads`` (rendered in the shared error shape).

Upload refusals reach the API as a ``validation_error`` on the ``file`` field (``attr: "file"``),
so that a client can show them next to its file picker; elsewhere (portal, admin, modules) they are
:class:`DocumentRejected` with the same ``code``.

==========================  ====  ===========================================================
code                        HTTP  meaning
==========================  ====  ===========================================================
``file_empty``              400   the file has no content
``file_too_large``          400   the file (or the request carrying it) is larger than
                                  ``UPLOAD_MAX_SIZE``; refused before the file is read
``file_type_not_allowed``   400   the content is not JPEG, PNG or PDF (the file name and the
                                  declared type are ignored: the content decides)
``image_invalid``           400   a JPEG or PNG that cannot be decoded completely (damaged,
                                  truncated)
``image_too_large``         400   more pixels than ``UPLOAD_MAX_IMAGE_PIXELS`` or Pillow's
                                  decompression-bomb limit
``pdf_invalid``             400   no valid ``%PDF-x.y`` header, no ``%%EOF`` trailer, unreadable
                                  structure, or no page
``pdf_encrypted``           400   a password-protected PDF (staff could not open it)
``pdf_too_many_pages``      400   more pages than ``UPLOAD_MAX_PDF_PAGES``
``throttled``               429   the owner's daily upload quota (``UPLOAD_QUOTA_PER_DAY``
                                  documents, ``UPLOAD_QUOTA_BYTES_PER_DAY`` bytes) is spent;
                                  ``Retry-After`` says when room frees up; nothing is stored
``document_attached``       409   the document already belongs to an object (it can no longer
                                  be deleted, nor attached to another object)
``not_allowed``             403   only the owner may delete a document
==========================  ====  ===========================================================
"""

from balikpapan_untuk_warga.api.errors import ApplicationError, ConflictError

UPLOAD_ERROR_CODES = (
    "file_empty",
    "file_too_large",
    "file_type_not_allowed",
    "image_invalid",
    "image_too_large",
    "pdf_invalid",
    "pdf_encrypted",
    "pdf_too_many_pages",
)


class DocumentRejected(ApplicationError):
    """An upload was refused; ``code`` is one of :data:`UPLOAD_ERROR_CODES`."""

    default_code = "file_type_not_allowed"


class DocumentAttached(ConflictError):
    default_code = "document_attached"


class DocumentNotAllowed(ApplicationError):
    status_code = 403
    default_code = "not_allowed"


class UploadQuotaExceeded(DocumentRejected):
    """The daily upload quota is spent. ``wait`` (seconds) becomes the ``Retry-After`` header; the
    code is DRF's ``throttled`` so that the answer has the documented 429 shape."""

    status_code = 429
    default_code = "throttled"

    def __init__(self, detail, wait: int):
        super().__init__(detail=detail, code="throttled")
        self.wait = wait

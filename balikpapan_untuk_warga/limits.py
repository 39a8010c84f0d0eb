"""A request body is never larger than a setting: 413 in the shared error shape.

* ``multipart/form-data`` (file uploads): at most ``API_MAX_MULTIPART_BYTES``
  (``UPLOAD_MAX_FILES_PER_REQUEST`` files of ``UPLOAD_MAX_SIZE`` plus room for boundaries and form
  fields); every other body at most ``API_MAX_BODY_BYTES``.
* With a ``Content-Length`` the request is refused before a byte of its body is read.
* Without one (``Transfer-Encoding: chunked``, which the WSGI server marks with
  ``wsgi.input_terminated``) the body is read through a counting stream that stops at the limit;
  whatever the view was doing, the answer is then 413.
* Django's own ``RequestDataTooBig`` (form fields beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE``) is a
  400 by default; here it is a 413 too.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

CODE = "request_too_large"


class RequestBodyTooLarge(RequestDataTooBig):
    """Raised by :class:`BoundedStream` once the body goes past its limit."""


def body_limit(request: HttpRequest) -> int:
    content_type = request.META.get("CONTENT_TYPE", "")
    if content_type.lower().startswith("multipart/form-data"):
        return settings.API_MAX_MULTIPART_BYTES
    return settings.API_MAX_BODY_BYTES


class BoundedStream:
    """A file-like view of ``wsgi.input`` that raises after ``limit`` bytes."""

    def __init__(self, stream, limit: int, request: HttpRequest) -> None:
        self.stream = stream
        self.limit = limit
        self.request = request
        self.read_bytes = 0

    def _count(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            self.request._body_too_large = True
            raise RequestBodyTooLarge(f"The request body is larger than {self.limit} bytes.")
        return data

    def read(self, size: int = -1) -> bytes:
        # Never ask the server for more than one byte past the limit.
        room = self.limit + 1 - self.read_bytes
        if size is None or size < 0 or size > room:
            size = max(room, 1)
        return self._count(self.stream.read(size))

    def readline(self, size: int = -1) -> bytes:
        room = self.limit + 1 - self.read_bytes
        if size is None or size < 0 or size > room:
            size = max(room, 1)
        return self._count(self.stream.readline(size))

    def close(self) -> None:
        """The server owns ``wsgi.input``; nothing to close here."""

    def __iter__(self):
        while line := self.readline():
            yield line


def too_large_response(request: HttpRequest, limit: int) -> HttpResponse:
    detail = _("The request is too large: at most %(size)s bytes are accepted.") % {"size": limit}
    if request.path.startswith("/api/") or "json" in request.META.get("HTTP_ACCEPT", ""):
        response = JsonResponse(
            {"type": "client_error", "errors": [{"code": CODE, "detail": detail, "attr": None}]},
            status=413,
        )
    else:
        response = HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
    # The unread body stays on the connection: do not try to read the next request after it.
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request)
        raw_length = request.META.get("CONTENT_LENGTH")
        if raw_length:
            try:
                length = int(raw_length)
            except ValueError:
                length = 0
            if length > limit:
                return too_large_response(request, limit)
        elif request.META.get("wsgi.input_terminated") and "wsgi.input" in request.META:
            # A chunked body: Django would read nothing (no length); read it, bounded.
            request._stream = BoundedStream(request.META["wsgi.input"], limit, request)
        response = self.get_response(request)
        if getattr(request, "_body_too_large", False):
            return too_large_response(request, limit)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, RequestDataTooBig):
            return too_large_response(request, body_limit(request))
        return None

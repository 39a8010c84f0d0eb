"""Open311 answers in JSON or XML (the spec's element names), and its error format::

[{"code": 404, "description": "service_code X not found"}]
<errors><error><code>404</code><description>…</description></error></errors>
"""

from __future__ import annotations

import gzip
import json
import re

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

#: Child element name of each list-valued field (the "Spark convention" the spec's JSON follows).
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
#: Characters XML 1.0 cannot carry (control characters a text field might hold).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str, code: int | None = None):
        super().__init__(description)
        self.status = status
        self.code = code or status
        self.description = str(description)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return NOT_XML.sub("", str(value))


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _append(out: list[str], tag: str, value) -> None:
    """``value`` as the element ``tag``, in the bytes ElementTree would write (``<tag />`` when
    empty), written as strings: building an element tree of 1,000 requests cost several times the
    JSON."""
    if isinstance(value, dict | list):
        if not value:
            out.append(f"<{tag} />")
            return
        out.append(f"<{tag}>")
        if isinstance(value, dict):
            for key, child in value.items():
                _append(out, key, child)
        else:
            item_tag = LIST_ITEMS.get(tag, "item")
            for child in value:
                _append(out, item_tag, child)
        out.append(f"</{tag}>")
        return
    text = _text(value)
    out.append(f"<{tag}>{_escape(text)}</{tag}>" if text else f"<{tag} />")


def to_xml(root: str, item: str | None, data) -> bytes:
    out = ["<?xml version='1.0' encoding='utf-8'?>\n"]
    if item is None:
        _append(out, root, data)
    elif not data:
        out.append(f"<{root} />")
    else:
        out.append(f"<{root}>")
        for entry in data:
            _append(out, item, entry)
        out.append(f"</{root}>")
    return "".join(out).encode("utf-8", "xmlcharrefreplace")


def encode(data, *, fmt: str, root: str, item: str | None) -> bytes:
    """The body of an answer (what the requests list caches)."""
    if fmt == "xml":
        return to_xml(root, item, data)
    return json.dumps(data, ensure_ascii=False).encode()


def respond(body: bytes, *, fmt: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def accepts_gzip(request) -> bool:
    """Whether ``Accept-Encoding`` lists gzip (``gzip;q=0`` refuses it)."""
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            q = params.strip().lower().removeprefix("q=").strip() if params else "1"
            try:
                return float(q or "1") > 0
            except ValueError:
                return False
    return False


def respond_packed(request, packed: bytes, *, fmt: str) -> HttpResponse:
    """A cached answer as the client asks for it: its gzip form as stored (a tenth of the bytes
    for 1,000 requests, what HTTP clients ask for by default), else unpacked."""
    if accepts_gzip(request):
        response = respond(packed, fmt=fmt)
        response["Content-Encoding"] = "gzip"
    else:
        response = respond(gzip.decompress(packed), fmt=fmt)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def render(data, *, fmt: str, root: str, item: str | None, status: int = 200) -> HttpResponse:
    return respond(encode(data, fmt=fmt, root=root, item=item), fmt=fmt, status=status)


def render_errors(errors: list[Open311Error], *, fmt: str) -> HttpResponse:
    data = [{"code": e.code, "description": e.description} for e in errors]
    return render(data, fmt=fmt, root="errors", item="error", status=errors[0].status)

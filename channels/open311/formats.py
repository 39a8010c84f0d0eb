"""Open311 answers in JSON or XML (the spec's element names), and its error format::

[{"code": 404, "description": "service_code X not found"}]
<errors><error><code>404</code><description>…</description></error></errors>
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from django.http import HttpResponse

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
    return NOT_XML.sub("", str(value))


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, list):
        item_tag = LIST_ITEMS.get(tag, "item")
        for child in value:
            _append(element, item_tag, child)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str | None, data) -> bytes:
    element = ET.Element(root)
    if item is None:
        for key, value in data.items():
            _append(element, key, value)
    else:
        for entry in data:
            _append(element, item, entry)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(data, *, fmt: str, root: str, item: str | None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = to_xml(root, item, data)
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_errors(errors: list[Open311Error], *, fmt: str) -> HttpResponse:
    data = [{"code": e.code, "description": e.description} for e in errors]
    return render(data, fmt=fmt, root="errors", item="error", status=errors[0].status)

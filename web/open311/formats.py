"""Rendering Open311 answers as the specification writes them: JSON arrays/objects or XML documents."""
from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
# XML element names of list items, by the name of the list
ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format",
         "services": "service", "service_requests": "request", "errors": "error"}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        item_tag = ITEMS.get(element.tag, "item")
        for inner in value:
            _fill(ET.SubElement(element, item_tag), inner)
    else:
        element.text = _text(value)


def xml_document(root: str, value: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def render(fmt: str, root: str, value: Any, status: int = 200) -> Response:
    """`value` as JSON, or as XML under the element `root` (lists become repeated item elements)."""
    if fmt == "xml":
        return Response(xml_document(root, value), status=status, content_type=XML_TYPE)
    body = json.dumps(value, ensure_ascii=False)
    return Response(body, status=status, content_type=JSON_TYPE)


def error_answer(path: str, status: int, description: str) -> Response:
    """The specification's errors: `[{"code", "description"}]` or `<errors><error>...`."""
    fmt = "xml" if path.endswith(".xml") else "json"
    status = 400 if status == 422 else status
    return render(fmt, "errors", [{"code": status, "description": description}], status)


def _described(message: str, details: Any) -> str:
    if isinstance(details, dict):
        fields = "; ".join(f"{k}: {v}" for k, v in details.items() if isinstance(v, str))
        return f"{message} ({fields})" if fields else message
    return message


def error_renderer(status: int, code: str, message: str, details: Any) -> Response:
    """What web/errors.py calls for errors under /open311/ (registered by init_app)."""
    from flask import request

    return error_answer(request.path, status, _described(message, details))

"""Safe XML parsing: no DTDs, no entities, no network, before Spiff ever sees a document."""

from __future__ import annotations

import re

from lxml import etree

from engine.errors import Issue

_DTD_MARKERS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_BYTES = 5_000_000


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(filename: str, content: bytes) -> tuple[etree._Element | None, list[Issue]]:
    """Parse ``content`` safely; return the root element or the issues that stop parsing."""
    if not isinstance(content, (bytes, bytearray)):
        return None, [Issue("file content must be bytes", None, None, filename)]
    if len(content) > MAX_BYTES:
        return None, [Issue(f"file is larger than {MAX_BYTES} bytes", None, None, filename)]
    if not content.strip():
        return None, [Issue("file is empty", None, None, filename)]
    refused = Issue(
        "DOCTYPE/DTD and entity declarations are not allowed in BPMN or DMN files",
        None, None, filename,
    )
    # Checked on raw bytes first so no entity is ever handed to libxml2 for expansion.
    if _DTD_MARKERS.search(bytes(content)):
        return None, [refused]
    try:
        root = etree.fromstring(bytes(content), _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) else None
        return None, [Issue(f"malformed XML: {exc.msg}", None, line, filename)]
    except (ValueError, etree.LxmlError) as exc:
        return None, [Issue(f"malformed XML: {exc}", None, None, filename)]
    # A DOCTYPE in another encoding (UTF-16...) escapes the byte scan but not this check.
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        return None, [refused]
    return root, []

"""The names people gave their processes and decision tables («Обращение жителя»), read from the diagrams, for
screens that would otherwise show the technical key («appeal»)."""
from __future__ import annotations

import re
from functools import lru_cache

from flask import Flask, g
from sqlalchemy import select

from workflows.db import db
from workflows.runtime.models import ProcessVersion

# A start tag holds no "<": stopping there keeps the search linear (with [^>], every "<process" of a long comment
# scanned on to the comment's end: 72 KB of them took 8 s).
_NAMED = r'<(?:\w+:)?(?:process|decision)\b[^<>]*?\bid="{key}"[^<>]*>'
_NAME = re.compile(r'\bname="([^"]*)"')


@lru_cache(maxsize=512)
def name_in(content: bytes, key: str) -> str | None:
    """The `name` of the process or decision `key` in a diagram's XML (None when it has none)."""
    text = content.decode("utf-8", errors="replace")
    element = re.search(_NAMED.format(key=re.escape(key)), text)
    found = _NAME.search(element.group(0)) if element else None
    return _unescape(found.group(1)) if found and found.group(1).strip() else None


def _unescape(value: str) -> str:
    for entity, char in (("&quot;", '"'), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        value = value.replace(entity, char)
    return value


def process_name(key: str | None) -> str:
    """«Обращение жителя» for `appeal` (the newest version's name); the key itself when unnamed or unknown."""
    if not key:
        return ""
    cache: dict[str, str] = g.setdefault("otklik_process_names", {})
    if key not in cache:
        content = db.session.scalar(select(ProcessVersion.content).where(ProcessVersion.key == key)
                                    .order_by(ProcessVersion.id.desc()).limit(1))
        cache[key] = (name_in(bytes(content), key) if content else None) or key
    return cache[key]


def init_app(app: Flask) -> None:
    app.add_template_filter(process_name, "process_name")

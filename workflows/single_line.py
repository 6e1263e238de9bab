"""Single-line columns stay single-line: CR, LF and other control characters become spaces on flush.

Every `String(n)` column (not `Text`) is a single line on screen, in an e-mail subject, a feed or an
export; a line break there would forge a header or a feed entry. Multi-line text lives in `Text`.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String, Text, event, inspect
from sqlalchemy.orm import Session

CONTROL = re.compile("[\x00-\x1f\x7f\u2028\u2029]+")
_KEYS: dict[type, tuple[str, ...]] = {}


def one_line(value: str) -> str:
    """`value` with every run of control characters (CR, LF, tab, ...) turned into one space."""
    return CONTROL.sub(" ", value)


def _single_line_keys(cls: type) -> tuple[str, ...]:
    keys = _KEYS.get(cls)
    if keys is None:
        mapper: Any = inspect(cls)
        keys = tuple(attr.key for attr in mapper.column_attrs
                     if len(attr.columns) == 1 and isinstance(attr.columns[0].type, String)
                     and not isinstance(attr.columns[0].type, Text))
        _KEYS[cls] = keys
    return keys


@event.listens_for(Session, "before_flush")
def _flatten(session: Session, context: Any, instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        for key in _single_line_keys(type(obj)):
            value = obj.__dict__.get(key)
            if isinstance(value, str) and CONTROL.search(value):
                setattr(obj, key, one_line(value))

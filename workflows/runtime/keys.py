"""The key a deployed file is stored under, shared by the deploy (definitions) and its rehearsal."""
from __future__ import annotations

from pathlib import PurePath

from engine import DiagramInfo


def key_for(filename: str, info: DiagramInfo) -> str:
    """The file's stem when it names one of the file's processes or tables, else the first of them."""
    stem = PurePath(filename).stem
    return stem if stem in info.ids else info.ids[0]

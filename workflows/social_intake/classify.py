"""`otklik social classify`: JSON lines in, one analysis per line out (the instance model when present)."""
from __future__ import annotations

from typing import TextIO

from workflows.registry.address_index import registry_index
from workflows.social import classify_stream
from workflows.social_intake.understanding import classifier


def classify_stdin(source: TextIO, out: TextIO) -> int:
    return classify_stream(source, out, classifier(), registry_index())

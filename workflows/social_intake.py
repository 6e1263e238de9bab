"""Batch classification of social-network posts against the building registry."""
from __future__ import annotations

from typing import TextIO


def classify_stdin(source: TextIO, out: TextIO) -> int:
    from workflows.registry.address_index import registry_index
    from workflows.social import PostClassifier, classify_stream

    return classify_stream(source, out, PostClassifier.load(), registry_index())

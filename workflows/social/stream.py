"""The body of `otklik social classify`: JSON lines in, one JSON line out per input line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # types only: importing workflows.social must not load the classifier (numpy, morphology)
    from workflows.addresses import AddressIndex
    from workflows.social.classifier import PostClassifier


def _error(post_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"id": post_id, "error": code, "message": message}


def classify_line(line: str, classifier: PostClassifier, index: AddressIndex | None) -> dict[str, Any]:
    """Answer for one input line; a bad line yields an error object instead of raising."""
    try:
        post = json.loads(line)
    except ValueError as exc:
        return _error(None, "invalid_json", str(exc))
    if not isinstance(post, dict):
        return _error(None, "invalid_input", "each line must be a JSON object with id and text")
    post_id, text = post.get("id"), post.get("text")
    if not isinstance(text, str):
        return _error(post_id, "invalid_input", "text must be a string")
    try:
        result = classifier.analyse(text, index)
    except Exception as exc:  # one odd post must never stop the stream
        return _error(post_id, "analysis_failed", f"{type(exc).__name__}: {exc}")
    return {
        "id": post_id,
        "is_complaint": result.is_complaint,
        "category": result.category,
        "emergency": result.emergency,
        "address": result.address,
        "building_id": result.building_id,
        "confidence": result.confidence,
    }


def classify_stream(lines: Iterable[str], out: TextIO, classifier: PostClassifier, index: AddressIndex | None) -> int:
    """Classify JSON lines {"id", "text"}; write one JSON line per non-blank input; return lines written."""
    written = 0
    for line in lines:
        if not line.strip():
            continue
        out.write(json.dumps(classify_line(line, classifier, index), ensure_ascii=False) + "\n")
        out.flush()
        written += 1
    return written

"""Real-world diagrams (bpmn-miwg corpus) never crash validation or the runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine import DiagramInvalid, EngineError, ProcessRun, build_spec, inspect_diagram, load_spec
from tests.engine.conftest import DATA, T0, StubServices

CORPUS = sorted((DATA / "bpmn-corpus").glob("*.bpmn"))


def test_corpus_is_present() -> None:
    assert len(CORPUS) == 64


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_file_is_accepted_or_refused_with_messages(path: Path) -> None:
    content = path.read_bytes()
    try:
        info = inspect_diagram(path.name, content)
    except DiagramInvalid as exc:
        assert exc.issues and all(issue.message.strip() for issue in exc.issues)
        return
    for process_id in info.ids:
        try:
            spec = load_spec(build_spec(process_id, {path.name: content}, {}))
            ProcessRun.start(spec, {}, T0, StubServices())
        except EngineError:
            pass

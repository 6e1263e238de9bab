"""build_spec / load_spec: the serialized spec bundle stored once per deployed version."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from engine.errors import DiagramInvalid, Issue
from engine.memo import ContentMemo, digest
from engine.model import ProcessSpec
from engine.parser import EngineParser, issue_from_exception, line_index
from engine.serializer import SERIALIZER_VERSION, spec_from_dict, spec_to_dict
from engine.validation import bpmn_issues, dmn_issues, parse_root

BUNDLE_FORMAT = "otklik-spec/1"


def _add_files(parser: EngineParser, files: Mapping[str, bytes], kind: str) -> tuple[list[Issue], dict]:
    issues: list[Issue] = []
    lines: dict[str, int] = {}
    for filename, content in files.items():
        try:
            root = parse_root(filename, content)
        except DiagramInvalid as exc:
            issues += exc.issues
            continue
        found = bpmn_issues(root, filename) if kind == "bpmn" else dmn_issues(root, filename)
        if found:
            issues += found
            continue
        lines.update(line_index(root))
        try:
            if kind == "bpmn":
                parser.add_bpmn_xml(root, filename)
            else:
                parser.add_dmn_xml(root, filename)
        except Exception as exc:
            issues.append(issue_from_exception(exc, filename, lines))
    return issues, lines


_BUILT: ContentMemo[str] = ContentMemo(64)  # bundles as JSON, built once per process (engine/memo.py)


def build_spec(process_id: str, bpmn_files: Mapping[str, bytes], dmn_files: Mapping[str, bytes]) -> dict[str, Any]:
    """Parse the files together and serialize ``process_id`` with every process it calls.

    Raises DiagramInvalid when a file is invalid, the process is unknown, or a called
    process or decision is missing. The same files again give a copy of the bundle built the first time.
    """
    key = (process_id, tuple((name, digest(content)) for name, content in sorted(bpmn_files.items())),
           tuple((name, digest(content)) for name, content in sorted(dmn_files.items())))
    built = _BUILT.get(key, lambda: json.dumps(_build_spec(process_id, bpmn_files, dmn_files)))
    loaded: dict[str, Any] = json.loads(built)
    return loaded


def _build_spec(process_id: str, bpmn_files: Mapping[str, bytes], dmn_files: Mapping[str, bytes]
                ) -> dict[str, Any]:
    parser = EngineParser(require_decisions=True)
    dmn_problems, _ = _add_files(parser, dmn_files, "dmn")
    bpmn_problems, lines = _add_files(parser, bpmn_files, "bpmn")
    if dmn_problems or bpmn_problems:
        raise DiagramInvalid(dmn_problems + bpmn_problems)
    if process_id not in parser.get_process_ids():
        known = ", ".join(sorted(parser.get_process_ids())) or "none"
        raise DiagramInvalid([Issue(f"no executable process {process_id!r} (found: {known})")])
    try:
        top = parser.get_spec(process_id)
        subprocesses = parser.get_subprocess_specs(process_id)
        return {
            "format": BUNDLE_FORMAT,
            "serializer_version": SERIALIZER_VERSION,
            "process_id": process_id,
            "spec": spec_to_dict(top),
            "subprocess_specs": {name: spec_to_dict(sp) for name, sp in subprocesses.items()},
        }
    except DiagramInvalid:
        raise
    except Exception as exc:
        raise DiagramInvalid([issue_from_exception(exc, "", lines)]) from exc


def load_spec(data: dict[str, Any]) -> ProcessSpec:
    """Deserialize a bundle from build_spec; cache the result per version, it is shareable."""
    try:
        return ProcessSpec(
            process_id=data["process_id"],
            spec=spec_from_dict(data["spec"]),
            subprocess_specs={name: spec_from_dict(sp) for name, sp in data["subprocess_specs"].items()},
        )
    except Exception as exc:
        raise DiagramInvalid([Issue(f"cannot load the spec bundle: {type(exc).__name__}: {exc}")]) from exc


def element_name(spec: ProcessSpec, element_id: str) -> str | None:
    """The name a diagram gives the element (None when it has none or there is no such element)."""
    for workflow_spec in (spec.spec, *spec.subprocess_specs.values()):
        for task_spec in workflow_spec.task_specs.values():
            if getattr(task_spec, "bpmn_id", None) == element_id:
                name = getattr(task_spec, "bpmn_name", None)
                return str(name) if name else None
    return None

"""Deploying the bundled bpmn/ files without ever replacing what a person chose.

A bundled file is deployed when its process has no version yet, or when the current version came from an
earlier bundled deploy (nobody deployed or activated a version since) and the file changed.
"""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workflows.errors import ValidationFailed
from workflows.runtime import definitions
from workflows.runtime.keys import key_for
from workflows.runtime.models import ProcessVersion


@dataclass
class BundledOutcome:
    deployed: list[str] = field(default_factory=list)  # "key vN"
    kept: list[str] = field(default_factory=list)  # keys whose current version a person chose
    refused: list[str] = field(default_factory=list)  # why the changed bundled files could not go in


def _person_chose(current: ProcessVersion) -> bool:
    return current.source != "bundled" or current.activated_by_id is not None


def deploy_bundled(paths: Sequence[Path]) -> BundledOutcome:
    outcome = BundledOutcome()
    files = [(path.name, path.read_bytes()) for path in paths]
    wanted = []
    for (filename, content), (_, _, info) in zip(files, definitions.inspect_files(files), strict=True):
        key = key_for(filename, info)
        current = definitions.current_version(key)
        if current is None:
            wanted.append((filename, content))
        elif _person_chose(current):
            outcome.kept.append(key)
        elif current.content_hash != hashlib.sha256(content).hexdigest():
            wanted.append((filename, content))
    if not wanted:
        return outcome
    try:
        versions = definitions.deploy(wanted, None, source="bundled")
    except ValidationFailed as err:
        details = err.details if isinstance(err.details, dict) else {}
        outcome.refused = [str(e.get("message")) for e in details.get("errors") or []] or [err.message]
        return outcome
    outcome.deployed = [f"{v.key} v{v.version}" for v in versions]
    return outcome

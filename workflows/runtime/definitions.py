"""Deploying BPMN/DMN files as immutable versions and building the spec an instance runs on."""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select

from engine import DiagramInfo, DiagramInvalid, ProcessSpec, build_spec, inspect_diagram, load_spec
from workflows import clock
from workflows.audit import service as audit
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.runtime.interfaces import interface_issues
from workflows.runtime.keys import key_for
from workflows.runtime.models import ProcessVersion, SpecBundle
from workflows.runtime.rehearsal import rehearse

MAX_FILE_BYTES = 2 * 1024 * 1024
REFUSED = "диаграмму нельзя развернуть: исправьте отмеченные места"


def _issues_payload(err: DiagramInvalid, filename: str) -> list[dict[str, object]]:
    return [{"message": i.message, "element_id": i.element_id, "line": i.line, "file": i.file or filename}
            for i in err.issues]


def inspect_files(files: Sequence[tuple[str, bytes]]) -> list[tuple[str, bytes, DiagramInfo]]:
    """Validate every file; raise ValidationFailed listing all issues of all files."""
    inspected: list[tuple[str, bytes, DiagramInfo]] = []
    issues: list[dict[str, object]] = []
    for filename, content in files:
        if len(content) > MAX_FILE_BYTES:
            issues.append({"message": f"file is larger than {MAX_FILE_BYTES} bytes", "element_id": None,
                           "line": None, "file": filename})
            continue
        try:
            info = inspect_diagram(filename, content)
        except DiagramInvalid as err:
            issues.extend(_issues_payload(err, filename))
            continue
        inspected.append((filename, content, info))
    if issues:
        raise ValidationFailed(REFUSED, {"errors": issues})
    return inspected


@dataclass
class Checked:
    inspected: list[tuple[str, bytes, DiagramInfo]]
    overridden: list[dict[str, object]]  # rehearsal problems an admin overrode (with a reason)
    rehearsal_seconds: float


def check_files(files: Sequence[tuple[str, bytes]], override_reason: str | None = None) -> Checked:
    """inspect_files, the interface checks, then the rehearsal (scenarios and table values) of the candidates.

    Interface problems always refuse; rehearsal problems refuse unless `override_reason` is given.
    """
    inspected = inspect_files(files)
    issues = interface_issues(inspected, current_version)
    if issues:
        raise ValidationFailed(REFUSED, {"errors": [
            {"message": i.message, "element_id": i.element_id, "line": i.line, "file": i.file} for i in issues]})
    rehearsal = rehearse(inspected, current_version)
    if rehearsal.issues and not (override_reason or "").strip():
        raise ValidationFailed(REFUSED, {"errors": rehearsal.issues, "overridable": True})
    return Checked(inspected, rehearsal.issues, rehearsal.seconds)


def deploy(files: Sequence[tuple[str, bytes]], deployed_by_id: int | None = None,
           source: str = "person", override_reason: str | None = None) -> list[ProcessVersion]:
    """Deploy files as new current versions, all or nothing. Content equal to the current version returns it.

    `source` is "bundled" for the files of bpmn/ deployed by `demo load`, "person" otherwise. With
    `override_reason` (an admin's), failing scenarios and table values do not refuse; the reason and what
    was overridden go to the audit log.
    """
    checked = check_files(files, override_reason)
    versions = [_store_version(filename, content, info, deployed_by_id, source)
                for filename, content, info in checked.inspected]
    _check_buildable(versions)
    if checked.overridden:
        for version in versions:
            audit.record("deploy_override", version.key, deployed_by_id,
                         {"version": version.version, "reason": (override_reason or "").strip(),
                          "errors": checked.overridden}, version_id=version.id)
    db.session.commit()
    return versions


def _store_version(filename: str, content: bytes, info: DiagramInfo, deployed_by_id: int | None,
                   source: str = "person") -> ProcessVersion:
    key = key_for(filename, info)
    digest = hashlib.sha256(content).hexdigest()
    current = current_version(key)
    if current is not None and current.content_hash == digest:
        return current
    number = (db.session.scalar(select(func.max(ProcessVersion.version)).where(ProcessVersion.key == key)) or 0) + 1
    version = ProcessVersion(
        kind=info.kind, key=key, version=number, ids=list(info.ids), filename=PurePath(filename).name,
        called_decisions=list(info.called_decisions), called_processes=list(info.called_processes),
        content=content, content_hash=digest, deployed_by_id=deployed_by_id, source=source,
        activation=next_activation(), activated_at=clock.now(), activated_by_id=deployed_by_id,
    )
    db.session.add(version)
    db.session.flush()
    return version


def _check_buildable(versions: Iterable[ProcessVersion]) -> None:
    """A process whose decisions are all deployed must build; refuse the deploy otherwise."""
    for version in versions:
        if version.kind != "bpmn":
            continue
        try:
            spec_bundle_for(version.key)
        except NotFound:
            continue  # a called decision is not deployed yet: it may come in a later deploy
        except DiagramInvalid as err:
            db.session.rollback()
            raise ValidationFailed(REFUSED,
                                   {"errors": _issues_payload(err, version.filename)}) from err


def current_version(key: str) -> ProcessVersion | None:
    """The version new instances use (and deploys are checked against): the one activated last.

    A deploy activates its new version; `activate` makes an earlier one current again.
    """
    return db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key)
                             .order_by(func.coalesce(ProcessVersion.activation, 0).desc(),
                                       ProcessVersion.id.desc()).limit(1))


def next_activation() -> int:
    """A number above every activation so far (a counter, not a time: the clock may stand still in tests)."""
    return (db.session.scalar(select(func.max(ProcessVersion.activation))) or 0) + 1


def latest_version(key: str) -> ProcessVersion | None:
    return db.session.scalar(
        select(ProcessVersion).where(ProcessVersion.key == key).order_by(ProcessVersion.version.desc()).limit(1)
    )


def _latest_containing(kind: str, element_id: str) -> ProcessVersion:
    """The current version of the file that defines the process or decision."""
    exact = current_version(element_id)
    if exact is not None and exact.kind == kind:
        return exact
    for candidate in db.session.scalars(
        select(ProcessVersion).where(ProcessVersion.kind == kind).order_by(ProcessVersion.id.desc())
    ):
        if element_id in candidate.ids:
            return current_version(candidate.key) or candidate
    raise NotFound(f"ни одна развёрнутая схема {kind.upper()} не задаёт {element_id!r}")


def _dependencies(root: ProcessVersion) -> list[ProcessVersion]:
    """The root version and, transitively, the latest versions of what it calls."""
    seen: dict[int, ProcessVersion] = {root.id: root}
    pending = [root]
    while pending:
        current = pending.pop()
        needed = [("dmn", d) for d in current.called_decisions] + [("bpmn", p) for p in current.called_processes]
        for kind, element_id in needed:
            if kind == "bpmn" and element_id in current.ids:
                continue
            dep = _latest_containing(kind, element_id)
            if dep.id not in seen:
                seen[dep.id] = dep
                pending.append(dep)
    return list(seen.values())


@dataclass(frozen=True)
class LatestBundle:
    """The spec a new instance of a process starts on, as remembered between starts."""

    newest_version_id: int  # the newest deployed version of anything when this was resolved
    newest_activation: object  # the newest activation of any version then (an activation changes what is current)
    id: int
    bundle_hash: str
    version: int  # the process's own version number
    spec: ProcessSpec


_latest_bundles: dict[tuple[str, str], LatestBundle] = {}


def _newest_and_held_hash(bundle_id: int) -> tuple[int, object, str | None]:
    """One query: the newest version id and activation, and the hash of the bundle stored under `bundle_id`."""
    held = select(SpecBundle.bundle_hash).where(SpecBundle.id == bundle_id).scalar_subquery()
    with db.session.no_autoflush:  # deploys flush their versions themselves; the caller's changes can wait
        newest, activation, digest = db.session.execute(
            select(func.max(ProcessVersion.id), func.max(ProcessVersion.activation), held)).one()
    return newest or 0, activation, digest


def latest_bundle(process_id: str) -> LatestBundle:
    """The spec for the latest versions of the process and what it calls (built once, then remembered).

    Which bundle is latest changes only with a deploy, so it is remembered per process until the newest
    version id changes — one small query per start instead of resolving every dependency. The query also
    reads the remembered bundle's hash, which guards against an id reused after a rolled-back deploy.
    """
    key = (str(db.engine.url), process_id)
    known = _latest_bundles.get(key)
    newest, activation, held_hash = _newest_and_held_hash(known.id if known is not None else 0)
    if known is not None and (known.newest_version_id, known.newest_activation, known.bundle_hash) == (
            newest, activation, held_hash):
        return known
    bundle = _resolve_bundle(process_id)
    latest = LatestBundle(newest, activation, bundle.id, bundle.bundle_hash, bundle.process_version.version,
                          spec_cache.get(bundle))
    _latest_bundles[key] = latest
    return latest


def spec_bundle_for(process_id: str) -> SpecBundle:
    """The stored bundle that new instances of the process start on."""
    bundle = db.session.get(SpecBundle, latest_bundle(process_id).id)
    if bundle is None:  # cannot happen: latest_bundle has just read or written it
        raise NotFound(f"процесс {process_id!r} не развёрнут")
    return bundle


def _resolve_bundle(process_id: str) -> SpecBundle:
    root = _latest_containing("bpmn", process_id)
    versions = _dependencies(root)
    ids = sorted(v.id for v in versions)
    # Content hashes, not ids, name the bundle: ids repeat across databases, the spec cache is process-wide.
    contents = sorted(v.content_hash for v in versions)
    bundle_hash = hashlib.sha256(json.dumps([process_id, contents]).encode()).hexdigest()
    bundle = db.session.scalar(select(SpecBundle).where(SpecBundle.bundle_hash == bundle_hash))
    if bundle is not None:
        return bundle
    bpmn = {v.filename + f"#{v.id}": v.content for v in versions if v.kind == "bpmn"}
    dmn = {v.filename + f"#{v.id}": v.content for v in versions if v.kind == "dmn"}
    spec = build_spec(process_id, bpmn, dmn)
    bundle = SpecBundle(bundle_hash=bundle_hash, process_id=process_id, process_version_id=root.id,
                        version_ids=ids, spec=spec)
    db.session.add(bundle)
    db.session.flush()
    return bundle


class _SpecCache:
    """Deserialized specs by bundle hash: bundles are immutable, so a process-wide LRU is safe."""

    def __init__(self, size: int = 64) -> None:
        self._items: OrderedDict[str, ProcessSpec] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, bundle: SpecBundle) -> ProcessSpec:
        return self.by_hash(bundle.bundle_hash, lambda: bundle.spec)

    def by_hash(self, bundle_hash: str, stored: Callable[[], dict[str, Any]]) -> ProcessSpec:
        """The spec of the bundle with this hash; `stored` gives the bundle's stored spec on a miss."""
        with self._lock:
            spec = self._items.get(bundle_hash)
            if spec is not None:
                self._items.move_to_end(bundle_hash)
                return spec
        spec = load_spec(stored())
        with self._lock:
            self._items[bundle_hash] = spec
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return spec


spec_cache = _SpecCache()


def list_versions() -> list[ProcessVersion]:
    return list(db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.key, ProcessVersion.version)))

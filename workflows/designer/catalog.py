"""Every deployed process and decision table: versions, who deployed them, instances running on each."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from engine import DiagramInvalid, with_diagram
from workflows.accounts.names import display_names
from workflows.db import db
from workflows.errors import NotFound
from workflows.runtime import definitions
from workflows.runtime.models import ProcessInstance, ProcessVersion, SpecBundle

ACTIVE_STATUSES = ("running", "waiting", "error")


@dataclass
class VersionRow:
    id: int
    key: str
    kind: str
    version: int
    filename: str
    deployed_at: datetime
    deployed_by: str
    running: int
    current: bool = False


@dataclass
class ProcessRow:
    key: str
    kind: str
    versions: list[VersionRow] = field(default_factory=list)  # newest first

    @property
    def current(self) -> VersionRow:
        return next((v for v in self.versions if v.current), self.versions[0])

    @property
    def running(self) -> int:
        return sum(v.running for v in self.versions)


def running_counts() -> dict[int, int]:
    """Process version id -> instances not finished that run on it."""
    rows = db.session.execute(
        select(SpecBundle.process_version_id, func.count(ProcessInstance.id))
        .join(ProcessInstance, ProcessInstance.spec_bundle_id == SpecBundle.id)
        .where(ProcessInstance.status.in_(ACTIVE_STATUSES))
        .group_by(SpecBundle.process_version_id)
    ).all()
    return {version_id: count for version_id, count in rows}


def _deployers(versions: list[ProcessVersion]) -> dict[int, str]:
    return display_names(v.deployed_by_id for v in versions)


def process_catalog() -> list[ProcessRow]:
    """Processes first, then decision tables; each with its versions, newest first, the current one marked."""
    versions = list(db.session.scalars(select(ProcessVersion).order_by(ProcessVersion.key,
                                                                       ProcessVersion.version.desc())))
    counts, names = running_counts(), _deployers(versions)
    current_ids = {current.id for key in {v.key for v in versions}
                   if (current := definitions.current_version(key)) is not None}
    rows: dict[str, ProcessRow] = {}
    for v in versions:
        row = rows.setdefault(v.key, ProcessRow(v.key, v.kind))
        row.versions.append(VersionRow(
            v.id, v.key, v.kind, v.version, v.filename, v.deployed_at,
            names.get(v.deployed_by_id or 0, "система"), counts.get(v.id, 0), current=v.id in current_ids))
    return sorted(rows.values(), key=lambda r: (r.kind != "bpmn", r.key))


def get_version(version_id: int) -> ProcessVersion:
    version = db.session.get(ProcessVersion, version_id)
    if version is None:
        raise NotFound(f"no process version {version_id}")
    return version


def version_by_number(key: str, number: int) -> ProcessVersion:
    version = db.session.scalar(select(ProcessVersion).where(ProcessVersion.key == key,
                                                             ProcessVersion.version == number))
    if version is None:
        raise NotFound(f"no version {number} of {key}")
    return version


def drawable_content(version: ProcessVersion) -> bytes:
    """The file as the browser modeler needs it: a BPMN without diagram shapes gets a generated layout."""
    if version.kind != "bpmn":
        return bytes(version.content)
    try:
        return with_diagram(bytes(version.content), version.filename)
    except DiagramInvalid:
        return bytes(version.content)


def instances_on(version_id: int, limit: int = 100) -> list[ProcessInstance]:
    return list(db.session.scalars(
        select(ProcessInstance).join(SpecBundle, ProcessInstance.spec_bundle_id == SpecBundle.id)
        .where(SpecBundle.process_version_id == version_id).order_by(ProcessInstance.id.desc()).limit(limit)))

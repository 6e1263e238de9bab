"""Helpers for runtime tests: deploy fixture diagrams, make users."""
from __future__ import annotations

from pathlib import Path

from workflows.accounts.models import User
from workflows.db import db
from workflows.registry.models import Organization
from workflows.runtime.definitions import deploy

DATA = Path(__file__).resolve().parents[1] / "data" / "runtime"


def deploy_fixture(*names: str) -> None:
    deploy([(name, (DATA / name).read_bytes()) for name in names])


def make_org(name: str = "УК Тест", kind: str = "uk") -> Organization:
    org = Organization(name=name, kind=kind, resources=[])
    db.session.add(org)
    db.session.commit()
    return org


def make_user(login: str, role: str, org: Organization | None = None) -> User:
    user = User(login=login, role=role, organization_id=org.id if org else None, full_name=login)
    db.session.add(user)
    db.session.commit()
    return user

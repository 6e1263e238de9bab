"""Registering an appeal the way a request does: register_appeal flushes, and the request commits."""
from __future__ import annotations

from typing import Any

from workflows.appeals import intake
from workflows.db import db


def register_appeal(payload: dict[str, Any], actor: Any = None, **options: Any) -> intake.Registration:
    registration = intake.register_appeal(payload, actor, **options)
    db.session.commit()
    return registration

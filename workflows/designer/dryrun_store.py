"""Dry runs of deployed versions from the browser: the snapshot travels signed, never stored."""
from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from workflows import clock
from workflows.db import db
from workflows.designer.dryrun import DryRun, parse_moment
from workflows.errors import NotFound, ValidationFailed
from workflows.runtime.definitions import spec_bundle_for, spec_cache
from workflows.runtime.models import SpecBundle
from workflows.runtime.operations import script_functions

SALT = "otklik.designer.dry-run"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=SALT)


def _bundle_for_version(version_id: int | None, process_id: str) -> SpecBundle:
    if not version_id:
        return spec_bundle_for(process_id)
    bundle = db.session.scalar(select(SpecBundle).where(SpecBundle.process_version_id == version_id)
                               .order_by(SpecBundle.id.desc()).limit(1))
    if bundle is None:
        raise NotFound(f"версия {version_id} не собрана: разверните её решения")
    return bundle


def start(process_id: str, data: Any, results: Any, start_at: Any, version_id: int | None = None) -> dict[str, Any]:
    if not isinstance(results, dict):
        raise ValidationFailed("ответы сервисов должны быть объектом JSON", {"operations": "object expected"})
    bundle = _bundle_for_version(version_id, process_id)
    now = parse_moment(start_at) if start_at else clock.now()
    dry = DryRun.start(spec_cache.get(bundle), data, now, results, script_functions())
    return _answer(bundle, dry)


def _answer(bundle: SpecBundle, dry: DryRun) -> dict[str, Any]:
    token = _signer().dumps({"bundle_id": bundle.id, **dry.snapshot()})
    return {"token": token, "version_id": bundle.process_version_id, **dry.describe()}


def _load(token: Any) -> tuple[SpecBundle, DryRun]:
    try:
        snapshot = _signer().loads(str(token or ""))
    except BadSignature as err:
        raise ValidationFailed("пробный запуск устарел: начните заново", {"token": "bad signature"}) from err
    bundle = db.session.get(SpecBundle, int(snapshot.get("bundle_id") or 0))
    if bundle is None:
        raise NotFound("версия пробного запуска не найдена")
    return bundle, DryRun.restore(spec_cache.get(bundle), snapshot, script_functions())


def step(token: Any, action: Any, body: dict[str, Any]) -> dict[str, Any]:
    """One step of a dry run: complete a task, move the clock, or send a message."""
    bundle, dry = _load(token)
    if action == "complete":
        dry.complete(str(body.get("task") or ""), body.get("data") or {})
    elif action == "clock":
        dry.advance(parse_moment(body.get("to") or "", dry.now))
    elif action == "message":
        payload = body.get("payload") or {}
        if not isinstance(payload, dict):
            raise ValidationFailed("сообщение должно быть объектом JSON", {"payload": "object expected"})
        dry.send(str(body.get("name") or ""), payload)
    else:
        raise ValidationFailed("неизвестное действие", {"action": str(action)})
    return _answer(bundle, dry)

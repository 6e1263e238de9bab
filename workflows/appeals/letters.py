"""Written appeals to the city administration under 59-ФЗ (letter, e-mail, the city's site): channel `letter`.

sla.dmn's `letter` row gives forwarding to the competent body (7 days, the acceptance deadline — the
applicant hears who took it) and the answer (30 days); letter_deadlines.dmn gives the registration
deadline counted from the letter's arrival (3 days) and the one extension of the answer (up to 30 days,
with notice to the author). Every figure is in those tables; the days are calendar days moved off days off.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from engine.decide import decide
from engine.errors import EngineError
from engine.run import ProcessRun
from workflows import clock
from workflows.accounts.models import User
from workflows.appeals.deadlines import due_after, parse_duration
from workflows.appeals.history import add_event
from workflows.appeals.input import APPEAL_EXTENSION
from workflows.appeals.models import AWAITING_RESOLUTION, Appeal
from workflows.appeals.notify import notify_applicant
from workflows.appeals.queries import get_appeal
from workflows.errors import Conflict, ValidationFailed
from workflows.runtime.definitions import latest_version
from workflows.runtime.instances import commit, lock_instance, run_step
from workflows.validation import errors_of

DECISION = "letter_deadlines"
BREACH_TIMER = "resolve_breach"  # appeal.bpmn: the resolution deadline's boundary timer
CHANNEL = "letter"


def rules() -> dict[str, Any]:
    version = latest_version(DECISION)
    if version is None:
        raise Conflict("таблица сроков письменных обращений (letter_deadlines) не развёрнута")
    try:
        return decide(version.content, DECISION, {"channel": CHANNEL})
    except EngineError as err:
        raise Conflict(f"таблица сроков письменных обращений не вычисляется: {err}") from err


def received_at(payload: dict[str, Any], errors: dict[str, Any]) -> datetime | None:
    """When the letter arrived (ISO 8601 with offset); None: now. Only for the `letter` channel."""
    raw = payload.get("received_at")
    if raw in (None, ""):
        return None
    if payload.get("channel") != CHANNEL:
        errors["received_at"] = "только для письменных обращений (channel letter)"
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        errors["received_at"] = "время поступления в ISO 8601 со смещением, например 2026-12-23T10:00:00+03:00"
        return None
    if moment > clock.now() + timedelta(minutes=5):
        errors["received_at"] = "не может быть в будущем"
        return None
    return moment


def on_registered(appeal: Appeal, arrived: datetime | None) -> None:
    """The registration deadline, counted from the letter's arrival (in the registering transaction)."""
    table = rules()
    appeal.received_at = arrived or appeal.created_at
    appeal.register_due_at = due_after(appeal.received_at, str(table["register_within"]), str(table["calendar"]))
    add_event(appeal.id, "letter_received", None, {"received_at": appeal.received_at.isoformat(),
                                                   "register_due_at": appeal.register_due_at.isoformat(),
                                                   "registered_late": appeal.register_breached})


def extend_answer(appeal_id: int, payload: dict[str, Any], actor: User) -> Appeal:
    """The one extension of the answer's deadline with notice to the author (59-ФЗ ст. 12 ч. 2); commits."""
    appeal = get_appeal(appeal_id, actor)
    table = rules()
    errors = errors_of(APPEAL_EXTENSION, payload)
    days, reason = payload.get("days"), payload.get("reason")
    limit_days, _ = parse_duration(str(table["extension_within"]))
    if "days" in errors or not isinstance(days, int) or days > limit_days:  # the table's limit, not the schema's
        errors["days"] = f"целое число дней от 1 до {limit_days}"
    if errors:
        raise ValidationFailed("срок ответа не может быть продлён", errors)
    if appeal.channel != CHANNEL:
        raise Conflict("продлить срок ответа можно только письменному обращению (59-ФЗ)")
    if appeal.extended_due_at is not None and int(table.get("extensions_allowed") or 1) <= 1:
        raise Conflict("срок ответа уже продлевался: продлить можно один раз")
    if appeal.status not in AWAITING_RESOLUTION or appeal.resolve_due_at is None:
        raise Conflict("обращение уже рассмотрено")
    appeal.extended_due_at = due_after(appeal.resolve_due_at, f"P{days}D", str(table["calendar"]))
    appeal.extension_reason, appeal.due_at = str(reason).strip(), appeal.extended_due_at
    add_event(appeal.id, "extended", appeal.extension_reason, {"days": days,
                                                               "extended_due_at": appeal.extended_due_at.isoformat()},
              actor.id)
    notify_applicant(appeal, "extended", appeal.extension_reason)
    _move_breach_timer(appeal)
    commit()
    return appeal


def _move_breach_timer(appeal: Appeal) -> None:
    """The diagram escalates at the extended deadline, not at the first one."""
    if appeal.instance_id is None or appeal.extended_due_at is None:
        return
    due, now = appeal.extended_due_at, clock.now()
    run_step(lock_instance(appeal.instance_id), lambda run: _move(run, due, now), raise_errors=True)


def _move(run: ProcessRun, due: datetime, now: datetime) -> None:
    run.move_timer(BREACH_TIMER, due, now, ("deadlines", "resolve_due_at"))

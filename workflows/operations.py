"""The table of operations that service tasks in diagrams may call, composed in one place."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine import OperationInterface
from workflows.appeals.deadlines import parse_duration
from workflows.appeals.operations import appeal_operation_interfaces, appeal_operations
from workflows.appeals.routing import RESPONSIBLE_KINDS
from workflows.appeals.suspected import suspected_operations
from workflows.appeals.work import organization_errors
from workflows.calendar import add_working_days, is_working_day
from workflows.errors import ValidationFailed
from workflows.outages.operations import outage_operation_interfaces, outage_operations
from workflows.outages.suspected import check_confirmation
from workflows.runtime.operations import Operation, ServiceCall
from workflows.runtime.tasks import EVERY_TASK


def _echo(call: ServiceCall) -> Any:
    """Returns its parameters: lets designers test service-task wiring without side effects."""
    return dict(call.params)


def default_operations() -> dict[str, Operation]:
    return {"echo": _echo, **appeal_operations(), **suspected_operations(), **outage_operations()}


def default_form_checks() -> dict[str, Callable[..., dict[str, str]]]:
    """"process:task" → check(task, data) giving field errors before a completion runs the process on; the
    check under EVERY_TASK runs for every task."""
    return {EVERY_TASK: organization_errors, "network_fault:suspected_outage": check_confirmation}


def default_operation_interfaces() -> dict[str, OperationInterface | None]:
    """What each operation takes and returns; None: not declared (only its existence is checked)."""
    declared: dict[str, OperationInterface] = {**appeal_operation_interfaces(), **outage_operation_interfaces()}
    return {name: declared.get(name) for name in default_operations()}


def default_script_functions() -> dict[str, Callable[..., Any]]:
    return {"add_working_days": add_working_days, "is_working_day": is_working_day}


def _duration_problem(value: Any) -> str | None:
    try:
        parse_duration(value)
    except ValidationFailed:
        return "это не длительность ISO 8601 (например, PT2H или P1D)"
    return None


def _organization_kind_problem(value: Any) -> str | None:
    if value in RESPONSIBLE_KINDS:
        return None
    return f"такого вида организации нет (есть: {', '.join(RESPONSIBLE_KINDS)})"


def default_value_checks() -> dict[str, Callable[[Any], str | None]]:
    """Kind of value -> what is wrong with a value (None: fine); operations declare kinds for their parameters."""
    return {"duration": _duration_problem, "organization_kind": _organization_kind_problem}

"""The table of operations that service tasks in diagrams may call, composed in one place."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workflows.runtime.operations import Operation, ServiceCall


def _echo(call: ServiceCall) -> Any:
    """Returns its parameters: lets designers test service-task wiring without side effects."""
    return dict(call.params)


def default_operations() -> dict[str, Operation]:
    from workflows.appeals.operations import appeal_operations
    from workflows.appeals.suspected import suspected_operations
    from workflows.outages.operations import outage_operations

    return {"echo": _echo, **appeal_operations(), **suspected_operations(), **outage_operations()}


def default_form_checks() -> dict[str, Callable[..., dict[str, str]]]:
    """"process:task" → check(task, data) giving field errors before a completion runs the process on."""
    from workflows.appeals.suspected import check_confirmation

    return {"network_fault:suspected_outage": check_confirmation}


def default_script_functions() -> dict[str, Callable[..., Any]]:
    from workflows.calendar import add_working_days, is_working_day

    return {"add_working_days": add_working_days, "is_working_day": is_working_day}

"""The application's services in one typed container, built once by create_app (workflows.wiring.build_services).

Every module reaches them through `services()` (the current app's) or `services_of(app)`; there is no other
string-keyed lookup and no "if it is wired" fall-back: a missing piece fails `Services.check()` at start-up.
Tests replace a piece on the container, e.g. `services_of(app).clock = FakeClock()`.

This module imports nothing of the features, so that every layer may import it.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from flask import Flask, current_app

if TYPE_CHECKING:  # types only: this module imports nothing of the features (see above)
    from huey import Huey

    from connectors import Connector
    from workflows.clock import Clock
    from workflows.delivery.ratelimit import Limiter

KEY = "otklik.services"

Handler = Callable[..., Any]  # inbound: handler(event, argument) -> answer | None

# What services enqueue by name after their commit: the queue must define every one.
REQUIRED_TASKS = ("fire_timer", "propagate_incident", "handle_inbound", "social_dispatch", "social_poll_source",
                  "social_retrain", "outage_fan_out")
# Inbound kinds every app answers.
REQUIRED_HANDLERS = ("ack", "@stopped", "@command", "@message", "@contact")


class WiringError(RuntimeError):
    """The application was built without a service it needs (raised at start-up)."""


class Scheduling(Protocol):
    """What services call to get background work done after their commit (workflows.queue.Scheduler)."""

    def timer_due(self, instance_id: int, due_at: datetime) -> None: ...

    def enqueue(self, name: str, *args: Any) -> None: ...


class OutageFacts(Protocol):
    """What appeals ask of outages (workflows.outages.port answers it; appeals do not import outages)."""

    def active_outage_for(self, building_id: int | None, resource: str | None) -> Any: ...

    def building_live_outages(self, building_id: int | None) -> list[Any]: ...

    def resident_reports_missing(self, building_id: int | None, resource: str | None, at: datetime) -> None: ...

    def outage_scope(self, outage_id: int) -> tuple[Any, set[int]]: ...


@dataclass(eq=False)
class InboundTable:
    """Inbound handlers by callback prefix or "@kind", in the explicit order wiring gave them.

    A handler that passes on what it does not take (a chain) is composed once, in wiring, not by wrapping
    whatever an earlier init_app left in a table.
    """

    entries: Sequence[tuple[str, Handler]]
    _by_key: dict[str, Handler] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        keys = [key for key, _ in self.entries]
        doubled = sorted({key for key in keys if keys.count(key) > 1})
        if doubled:
            raise WiringError(f"inbound handlers given twice: {', '.join(doubled)}")
        self._by_key = dict(self.entries)

    def get(self, key: str) -> Handler | None:
        return self._by_key.get(key)

    def keys(self) -> list[str]:
        return [key for key, _ in self.entries]

    def with_handler(self, key: str, handler: Handler) -> InboundTable:
        """A copy with `key` answered by `handler` (in place of the old one, or last)."""
        entries = [(k, handler if k == key else h) for k, h in self.entries]
        if key not in self._by_key:
            entries.append((key, handler))
        return InboundTable(entries)


@dataclass(eq=False)
class Services:
    """Everything the application's services need from their surroundings; one per app."""

    clock: Clock
    city_zone: ZoneInfo
    huey: Huey
    tasks: Mapping[str, Any]
    scheduler: Scheduling
    operations: Mapping[str, Callable[..., Any]]
    operation_interfaces: Mapping[str, Any]
    value_checks: Mapping[str, Callable[[Any], str | None]]
    form_checks: Mapping[str, Callable[..., dict[str, str]]]
    script_functions: Mapping[str, Callable[..., Any]]
    failure_hook: Callable[..., None]
    recovery_hook: Callable[..., None]
    manual_task: Callable[..., Any]
    applicant_sender: Callable[..., Any]
    inbound: InboundTable
    unreachable_hooks: Mapping[str, Callable[..., Any]]
    history_hooks: Mapping[str, Callable[..., Any]]
    connector_classes: Mapping[str, Any]
    outages: OutageFacts
    connectors: dict[str, Connector] = field(default_factory=dict)  # built from config on first use
    limiter: Limiter | None = None  # chosen by the queue URL on first use (tests set one)
    senders: dict[str, Any] = field(default_factory=dict)  # a worker process's channel senders (none elsewhere)

    def check(self) -> Services:
        """Fail now, at start-up, if a piece is missing; returns self."""
        missing = [f.name for f in fields(self) if f.name not in ("connectors", "limiter")
                   and getattr(self, f.name) is None]
        missing += [f"task {name}" for name in REQUIRED_TASKS if name not in self.tasks]
        missing += [f"inbound handler {key}" for key in REQUIRED_HANDLERS if self.inbound.get(key) is None]
        missing += [f"interface of operation {name}" for name in self.operations
                    if name not in self.operation_interfaces]
        if missing:
            raise WiringError(f"the application is wired without: {', '.join(missing)}")
        return self


def install(app: Flask, built: Services) -> Services:
    """Put the checked container on the app (create_app does this once)."""
    app.extensions[KEY] = built.check()
    return built


def services_of(app: Flask) -> Services:
    try:
        found: Services = app.extensions[KEY]
    except KeyError:
        raise WiringError("the app has no services: build it with web.app.create_app") from None
    return found


def services() -> Services:
    """The current app's services (inside an app context)."""
    return services_of(current_app)

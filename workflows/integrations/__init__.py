"""Integrations with organisations' own systems: outgoing webhooks (signed, through the outbox).

What other features use: `emit_appeal_event(event, appeal)` and `emit_event(event, organization_id,
data)` inside their own transaction; `init_app(app)` wires the webhook channel into delivery.
"""
from __future__ import annotations

from workflows.integrations.channel import init_app
from workflows.integrations.events import EVENTS, emit_appeal_event, emit_event, emit_outage_event

__all__ = ["EVENTS", "emit_appeal_event", "emit_event", "emit_outage_event", "init_app"]

"""Integrations with organisations' own systems: outgoing webhooks (signed, through the outbox).

What other features use: `emit_appeal_event(event, appeal)` and `emit_event(event, organization_id,
data)` inside their own transaction; workflows.wiring puts `channel.RecordingWebhookConnector` into the
connector table and `channel.disable_gone_subscription` among the unreachable hooks.
"""
from __future__ import annotations

from workflows.integrations.events import EVENTS, emit_appeal_event, emit_event, emit_outage_event

__all__ = ["EVENTS", "emit_appeal_event", "emit_event", "emit_outage_event"]

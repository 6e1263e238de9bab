"""Putting the bot into the app: delivery's inbound handler table and the applicant sender."""
from __future__ import annotations

from flask import Flask

from workflows.delivery import DeliveryEvent, register_history_hook, register_inbound_handler
from workflows.residents import handlers, models  # noqa: F401  (models: create_all sees the tables)
from workflows.residents.sender import on_confirmation, send_to_applicant


def wire(app: Flask) -> None:
    register_inbound_handler(app, "@command", handlers.on_command)
    register_inbound_handler(app, "@message", handlers.on_message)
    register_inbound_handler(app, "@contact", handlers.on_contact)
    register_inbound_handler(app, "bot", handlers.on_button)
    register_inbound_handler(app, "confirm", on_confirmation)
    app.extensions["otklik.applicant_sender"] = send_to_applicant
    register_history_hook(app, "appeal_notices", copy_to_appeal)


def copy_to_appeal(event: DeliveryEvent) -> None:
    """A notice to an applicant that moved to another channel or failed shows in the appeal's history."""
    from workflows.appeals.history import add_event

    parts = (event.notice_key or "").split(":")
    if len(parts) < 2 or parts[0] != "appeal" or not parts[1].isdigit() or event.kind not in ("failover", "failed"):
        return
    add_event(int(parts[1]), f"delivery_{event.kind}", event.text, dict(event.data or {}))

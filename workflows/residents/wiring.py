"""Putting the bot into the app: delivery's inbound handler table and the applicant sender."""
from __future__ import annotations

from flask import Flask

from workflows.delivery import register_inbound_handler
from workflows.residents import handlers, models  # noqa: F401  (models: create_all sees the tables)
from workflows.residents.sender import on_confirmation, send_to_applicant


def wire(app: Flask) -> None:
    register_inbound_handler(app, "@command", handlers.on_command)
    register_inbound_handler(app, "@message", handlers.on_message)
    register_inbound_handler(app, "@contact", handlers.on_contact)
    register_inbound_handler(app, "bot", handlers.on_button)
    register_inbound_handler(app, "confirm", on_confirmation)
    app.extensions["otklik.applicant_sender"] = send_to_applicant

"""Resident bots (Telegram and MAX, one conversation design): appeals from chats, notices back to them."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the bot's inbound handlers and the applicant sender (run after delivery.init_app)."""
    from workflows.residents.wiring import wire

    wire(app)

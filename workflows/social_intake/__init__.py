"""Social intake: VK and Telegram sources polled on schedules, posts stored once, understood, and routed —
sure complaints become appeals, unsure ones wait in the ЦГДС moderation queue, the rest is dropped
(with a spot-check sample).  Decisions become labelled examples for `otklik social retrain`.
"""
from __future__ import annotations

from typing import TextIO

from flask import Flask


def classify_stdin(source: TextIO, out: TextIO) -> int:
    """`otklik social classify`: JSON lines in, one analysis per line out (the instance model when present)."""
    from workflows.registry.address_index import registry_index
    from workflows.social import classify_stream
    from workflows.social_intake.understanding import classifier

    return classify_stream(source, out, classifier(), registry_index())


def init_app(app: Flask) -> None:
    """Register the models and the Telegram "@message" handler (after delivery.init_app)."""
    from workflows.delivery.connections import HANDLERS_KEY, register_inbound_handler
    from workflows.social_intake import models  # noqa: F401 - create_all and migrations see the tables
    from workflows.social_intake.telegram import chained_handler

    previous = app.extensions.get(HANDLERS_KEY, {}).get("@message")
    if getattr(previous, "__name__", "") != "social_or_previous_message_handler":
        register_inbound_handler(app, "@message", chained_handler(previous))

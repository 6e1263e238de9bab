"""Answering a pressed button (stops its spinner, shows a short text); best effort."""
from __future__ import annotations

import logging

from flask import current_app

from connectors import ConnectorNotConfigured, DeliveryError
from connectors.inbound import InboundEvent, MaxPoller, answer_telegram_callback
from connectors.vk_inbound import answer_vk_event

log = logging.getLogger(__name__)


def answer_callback(event: InboundEvent, text: str | None) -> None:
    if not event.callback_id:
        return
    try:
        if event.channel == "telegram":
            answer_telegram_callback(current_app.config, event.callback_id, text)
        elif event.channel == "max":
            poller = MaxPoller.from_settings(current_app.config, poll_timeout=0)
            try:
                poller.answer_callback(event.callback_id, text)
            finally:
                poller.close()
        elif event.channel == "vk":
            answer_vk_event(current_app.config, event, text)
    except (DeliveryError, ConnectorNotConfigured) as error:
        log.info("could not answer %s callback %s: %s", event.channel, event.callback_id, error)

"""Composing the application's services: the one place that knows every feature's handlers and hooks.

create_app calls `build_services(app)` once and installs the result (workflows.services); the tables here
are written out in order, so what handles an update never depends on the order of init_app calls.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from connectors import CONNECTORS
from workflows.clock import SystemClock
from workflows.delivery.acks import acknowledge_handler, stopped_handler
from workflows.failures.hook import on_failed
from workflows.failures.manual import complete_manual, on_recovered
from workflows.integrations.channel import RecordingWebhookConnector, disable_gone_subscription
from workflows.operations import (
    default_form_checks,
    default_operation_interfaces,
    default_operations,
    default_script_functions,
    default_value_checks,
)
from workflows.outages import bot as outage_bot
from workflows.outages import mark_unreachable
from workflows.outages.port import OutagePort
from workflows.outages.stops import stopped_handler as representatives_stopped
from workflows.queue import Scheduler, make_huey, register_tasks
from workflows.residents import handlers as resident_bot
from workflows.residents.sender import copy_to_appeal, on_confirmation, send_to_applicant
from workflows.services import InboundTable, Services, WiringError
from workflows.social_intake.telegram import chained_handler as social_or_resident_message


def inbound_table() -> InboundTable:
    """Who answers which update, chains written out: a later handler passes on what it does not take."""
    return InboundTable([
        ("ack", acknowledge_handler),  # "Передал жителям" under a notice
        # a stopped bot: the representative is marked, then delivery parks the address
        ("@stopped", representatives_stopped(stopped_handler)),
        # /start <token>, /stop, /temp of representatives; every other command is the resident bot's
        ("@command", outage_bot.command_handler(resident_bot.on_command)),
        # posts in the social sources' chats; every other message is the resident bot's
        ("@message", social_or_resident_message(resident_bot.on_message)),
        ("@contact", resident_bot.on_contact),
        ("bot", resident_bot.on_button),
        ("confirm", on_confirmation),
        ("rep_join", outage_bot.on_join),
        ("rep_leave", outage_bot.on_leave),
        ("outage_yes", outage_bot.on_yes),
        ("outage_no", outage_bot.on_no),
    ])


def city_zone(app: Flask) -> ZoneInfo:
    name = str(app.config.get("TIMEZONE") or "")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise WiringError(f"TIMEZONE {name!r} is not a time zone") from None


def build_services(app: Flask) -> Services:
    huey = make_huey(str(app.config["QUEUE_URL"]), immediate=bool(app.config["QUEUE_IMMEDIATE"]))
    tasks = register_tasks(huey, app)
    return Services(
        clock=SystemClock(), city_zone=city_zone(app), huey=huey, tasks=tasks, scheduler=Scheduler(tasks),
        operations=default_operations(), operation_interfaces=default_operation_interfaces(),
        value_checks=default_value_checks(), form_checks=default_form_checks(),
        script_functions=default_script_functions(),
        failure_hook=on_failed, recovery_hook=on_recovered, manual_task=complete_manual,
        applicant_sender=send_to_applicant, inbound=inbound_table(),
        unreachable_hooks={"outage_representatives": mark_unreachable, "webhooks": disable_gone_subscription},
        history_hooks={"appeal_notices": copy_to_appeal},
        connector_classes={**CONNECTORS, "webhook": RecordingWebhookConnector}, outages=OutagePort(),
    )

"""Progress notices to the applicant's chat, and the "fixed / not fixed" answers coming back."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from connectors import Button
from connectors.inbound import InboundEvent
from workflows.appeals.answers import confirm_resolution
from workflows.appeals.history import add_event
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.delivery import DeliveryEvent, enqueue
from workflows.errors import WorkflowsError
from workflows.ids import digits
from workflows.residents import texts
from workflows.residents.chats import CHANNELS, Reply, load_chat, recipient_key, say

URGENT_TEMPLATES = ("joined_incident", "resolved", "incident_resolved")
MAIL = "email"  # authors of written appeals and web forms who gave an e-mail address


def send_to_applicant(appeal: Appeal, template: str, text: str, buttons: Sequence[tuple[str, str]]) -> bool:
    """services().applicant_sender: queue the notice to the chat (or e-mail address) the appeal
    came from; False when the appeal came from nothing this sender writes to."""
    channel, chat_id = appeal.applicant_channel, appeal.applicant_chat_id
    if channel == MAIL and chat_id and "@" in chat_id:
        enqueue(f"appeal:{appeal.id}:{template}:{uuid.uuid4().hex[:12]}", f"email:{chat_id}", MAIL, chat_id, text,
                subject=f"Обращение № {appeal.number}", urgent=template in URGENT_TEMPLATES)
        return True
    if channel not in CHANNELS or not chat_id:
        return False
    enqueue(f"appeal:{appeal.id}:{template}:{uuid.uuid4().hex[:12]}", recipient_key(channel, chat_id), channel,
            chat_id, text, buttons=tuple(Button(label, payload) for label, payload in buttons),
            urgent=template in URGENT_TEMPLATES)
    return True


def on_confirmation(event: InboundEvent, argument: str) -> str:
    """Callback "confirm:<appeal id>:fixed|not_fixed" from the buttons under the "resolved" notice."""
    raw_id, _, answer = argument.partition(":")
    appeal = db.session.get(Appeal, int(raw_id)) if digits(raw_id) and len(raw_id) < 10 else None
    if appeal is None or appeal.applicant_channel != event.channel \
            or appeal.applicant_chat_id != event.reply_address:
        return texts.UNKNOWN_APPEAL
    number = appeal.number
    try:
        confirm_resolution(appeal.id, answer)
    except WorkflowsError:
        return texts.NOT_WAITING.format(number=number)
    reply = texts.THANKS_FIXED if answer == "fixed" else texts.THANKS_NOT_FIXED
    if event.channel in CHANNELS:
        say(load_chat(event), event, [Reply(reply.format(number=number))])
    return reply.format(number=number)


def copy_to_appeal(event: DeliveryEvent) -> None:
    """A notice to an applicant that moved to another channel or failed shows in the appeal's history."""
    parts = (event.notice_key or "").split(":")
    if len(parts) < 2 or parts[0] != "appeal" or not parts[1].isdigit() or event.kind not in ("failover", "failed"):
        return
    add_event(int(parts[1]), f"delivery_{event.kind}", event.text, dict(event.data or {}))

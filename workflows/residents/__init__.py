"""Resident bots (Telegram and MAX, one conversation design): appeals from chats, notices back to them.

What the app wires (workflows.wiring): the handlers in `handlers` and `sender.on_confirmation`, the applicant
sender `sender.send_to_applicant`, the delivery history hook `sender.copy_to_appeal`.
"""
from __future__ import annotations

from workflows.residents import models  # noqa: F401  (create_all sees the tables)

"""Social intake: VK and Telegram sources polled on schedules, posts stored once, understood, and routed —
sure complaints become appeals, unsure ones wait in the ЦГДС moderation queue, the rest is dropped
(with a spot-check sample).  Decisions become labelled examples for `otklik social retrain`.
"""
from __future__ import annotations

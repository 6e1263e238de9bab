"""Social intake: VK and Telegram sources polled on schedules, posts stored once, understood, and routed —
sure complaints become appeals, unsure ones wait in the ЦГДС moderation queue, the rest is dropped
(with a spot-check sample).  Decisions become labelled examples for `otklik social retrain`.
"""
from __future__ import annotations

from typing import TextIO


def classify_stdin(source: TextIO, out: TextIO) -> int:
    """`otklik social classify`: JSON lines in, one analysis per line out (the instance model when present)."""
    from workflows.registry.address_index import registry_index
    from workflows.social import classify_stream
    from workflows.social_intake.understanding import classifier

    return classify_stream(source, out, classifier(), registry_index())

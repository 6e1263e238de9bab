"""Steps at moments of fake time, run in order; a step may plan later steps."""
from __future__ import annotations

import heapq
import logging
from collections.abc import Callable
from datetime import datetime
from itertools import count

from workflows.db import db
from workflows.demo_life.harness import Harness
from workflows.errors import WorkflowsError

log = logging.getLogger(__name__)
Step = Callable[[], object]


class Timeline:
    def __init__(self, harness: Harness, end: datetime) -> None:
        self.harness, self.end = harness, end
        self._heap: list[tuple[datetime, int, Step]] = []
        self._seq = count()
        self.skipped = 0

    def plan(self, at: datetime, step: Step) -> None:
        """Run `step` at `at`; steps after the end of the history stay undone (the work still open now)."""
        if at <= self.end:
            heapq.heappush(self._heap, (at, next(self._seq), step))

    def run(self) -> None:
        while self._heap:
            at, _, step = heapq.heappop(self._heap)
            self.harness.at(at)
            try:
                step()
            except WorkflowsError as error:  # the appeal went elsewhere (joined an incident, say): skip
                db.session.rollback()
                self.skipped += 1
                log.debug("demo step skipped: %s", error.message)
        self.harness.at(self.end)

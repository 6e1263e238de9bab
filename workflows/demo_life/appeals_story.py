"""A month of appeals: registered through every channel, accepted, resolved, some late, reopened, escalated."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count

from workflows.appeals.catalog import resource_of
from workflows.appeals.models import Appeal
from workflows.db import db
from workflows.demo_life import driver
from workflows.demo_life.cast import Cast
from workflows.demo_life.texts import APPLICANTS, CATEGORY_TEXTS, CHANNEL_WEIGHTS, ESCALATION_ANSWERS, RESOLUTIONS
from workflows.demo_life.timeline import Timeline

ON_TIME_ACCEPT, ON_TIME_RESOLVE = 0.93, 0.85
FIXED, NOT_FIXED = 0.6, 0.12  # the rest stay silent and close after three days


@dataclass
class AppealsStory:
    rng: random.Random
    cast: Cast
    timeline: Timeline
    building_ids: list[int]
    numbers: count[int]

    def register(self, at: datetime, building_id: int | None = None, category: str | None = None,
                 emergency: bool | None = None, channel: str | None = None) -> None:
        self.timeline.plan(at, lambda: self._register(building_id, category, emergency, channel))

    def _register(self, building_id: int | None, category: str | None, emergency: bool | None,
                  channel: str | None) -> None:
        rng = self.rng
        category = category or rng.choices(list(CATEGORY_TEXTS), [w for w, _, _ in CATEGORY_TEXTS.values()])[0]
        _, emergency_share, texts = CATEGORY_TEXTS[category]
        emergency = rng.random() < emergency_share if emergency is None else emergency
        channel = channel or rng.choices(list(CHANNEL_WEIGHTS), list(CHANNEL_WEIGHTS.values()))[0]
        n = next(self.numbers)
        payload = {"text": rng.choice(texts), "channel": channel, "category": category, "emergency": emergency,
                   "building_id": building_id or rng.choice(self.building_ids), "external_id": f"demo-{n}",
                   "applicant": {"name": rng.choice(APPLICANTS), "phone": f"+7910{rng.randrange(10**7):07d}",
                                 "chat_id": str(500000000 + n) if channel in ("telegram", "max") else None}}
        actor = self.cast.dispatcher if channel == "phone" else None
        appeal_id = driver.register(actor, **payload)
        self._plan_accept(appeal_id)

    def _appeal(self, appeal_id: int) -> Appeal:
        appeal = db.session.get(Appeal, appeal_id)
        assert appeal is not None
        return appeal

    def _window(self, start: datetime, due: datetime | None, on_time_share: float) -> timedelta:
        span = (due - start) if due is not None and due > start else timedelta(hours=4)
        factor = self.rng.uniform(0.1, 0.8) if self.rng.random() < on_time_share else self.rng.uniform(1.1, 1.9)
        return span * factor

    def _plan_accept(self, appeal_id: int) -> None:
        appeal = self._appeal(appeal_id)
        if appeal.status == "joined" or appeal.organization_id is None:
            if appeal.status == "rerouting":
                self.timeline.plan(appeal.created_at + timedelta(minutes=self.rng.randint(5, 40)),
                                   lambda: self._reroute(appeal_id))
            return
        start = appeal.created_at
        self.timeline.plan(start + self._window(start, appeal.accept_due_at, ON_TIME_ACCEPT),
                           lambda: self._accept(appeal_id))

    def _reroute(self, appeal_id: int) -> None:
        appeal = self._appeal(appeal_id)
        building = appeal.building
        organization_id = building.management_org_id if building is not None else None
        if organization_id is None:
            return
        driver.act(self.cast.dispatcher, appeal_id, "reroute", organization_id=organization_id,
                   comment="Передано управляющей организации дома")
        self._plan_accept(appeal_id)

    def _answer_escalations(self, appeal: Appeal) -> None:
        head = self.cast.heads.get(appeal.organization_id or 0)
        while head is not None and driver.open_task_id(head, appeal.id, "escalation") is not None:
            driver.act(head, appeal.id, "escalation", comment=self.rng.choice(ESCALATION_ANSWERS))

    def _accept(self, appeal_id: int) -> None:
        appeal = self._appeal(appeal_id)
        staff = self.cast.staff.get(appeal.organization_id or 0)
        if staff is None:
            return
        self._answer_escalations(appeal)
        driver.accept(staff, appeal_id)
        appeal = self._appeal(appeal_id)
        start = appeal.accepted_at or appeal.created_at
        self.timeline.plan(start + self._window(appeal.created_at, appeal.resolve_due_at, ON_TIME_RESOLVE),
                           lambda: self._resolve(appeal_id))

    def _resolve(self, appeal_id: int) -> None:
        appeal = self._appeal(appeal_id)
        staff = self.cast.staff.get(appeal.organization_id or 0)
        if staff is None:
            return
        self._answer_escalations(appeal)
        driver.resolve(staff, appeal_id, self.rng.choice(RESOLUTIONS))
        if self._appeal(appeal_id).status != "resolved":
            return
        verdict, now = self.rng.random(), self.timeline.harness.clock.now()
        if verdict < FIXED + NOT_FIXED:
            fixed = verdict < FIXED
            self.timeline.plan(now + timedelta(hours=self.rng.uniform(1, 30)), lambda: self._verdict(appeal_id, fixed))

    def _verdict(self, appeal_id: int, fixed: bool) -> None:
        driver.answer(appeal_id, fixed)
        if fixed:
            return
        now, due = self.timeline.harness.clock.now(), self._appeal(appeal_id).resolve_due_at
        later = (due - now) * self.rng.uniform(0.3, 1.3) if due is not None and due > now else timedelta(hours=2)
        self.timeline.plan(now + later, lambda: self._resolve(appeal_id))

    def burst(self, at: datetime, building_id: int, category: str, size: int, within: timedelta) -> None:
        """A failure many residents report: the first emergency opens an incident, the rest join it."""
        self.register(at, building_id, category, emergency=True, channel="phone")
        for _ in range(size - 1):
            offset = within * self.rng.random()
            self.register(at + timedelta(minutes=2) + offset, building_id, category, emergency=False)


def month_of_appeals(story: AppealsStory, start: datetime, days: int, per_day: tuple[int, int]) -> None:
    """Appeals between 07:00 and 22:00 every day; the first day's go through every channel once."""
    rng, channels = story.rng, list(CHANNEL_WEIGHTS)
    for day in range(days):
        for n in range(rng.randint(*per_day)):
            channel = channels[n] if day == 0 and n < len(channels) else None
            story.register(start + timedelta(days=day, hours=rng.uniform(0, 15)), channel=channel)


def incidents(story: AppealsStory, start: datetime, end: datetime) -> None:
    rng = story.rng
    heat_like = [c for c in ("heating", "hot_water", "cold_water", "electricity") if resource_of(c)]
    for day in (3, 9, 16, 22):
        story.burst(start + timedelta(days=day, hours=rng.uniform(1, 10)), rng.choice(story.building_ids),
                    rng.choice(heat_like), rng.randint(4, 9), timedelta(hours=3))
    story.burst(end - timedelta(hours=5), rng.choice(story.building_ids), "heating", 9, timedelta(hours=4))

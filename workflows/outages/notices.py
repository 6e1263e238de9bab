"""Sending an outage's notices to the representatives of its buildings, through the delivery outbox.

Only active, reachable representatives of buildings whose rollout wave is on are told; each notice goes
to each representative once (the outbox's idempotency key: notice key + "rep:<id>").
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from connectors import Button
from workflows import clock
from workflows.db import after_commit, db
from workflows.delivery import ACK_BUTTON, enqueue
from workflows.outages import texts
from workflows.outages.models import Outage, OutageBuilding, PendingFanOut, Representative
from workflows.registry.models import Building, RolloutWave
from workflows.services import services

INLINE = 200  # recipients queued in the registering transaction itself
YES_BUTTON = Button("Есть", "outage_yes:{id}")
NO_BUTTON = Button("Нет", "outage_no:{id}")
BUTTONS: dict[str, Sequence[Button]] = {"registered": (ACK_BUTTON,), "reminder": (ACK_BUTTON,),
                                        "updated": (ACK_BUTTON,), "overdue": (ACK_BUTTON,),
                                        "restored": (YES_BUTTON, NO_BUTTON)}


def group_key(outage_id: int) -> str:
    return f"outage:{outage_id}"


def recipients(outage_id: int) -> list[tuple[Representative, str]]:
    """(representative, building address) for every active representative of a building whose wave is on."""
    query = (select(Representative, Building.address)
             .join(OutageBuilding, OutageBuilding.building_id == Representative.building_id)
             .join(Building, Building.id == Representative.building_id)
             .join(RolloutWave, RolloutWave.id == Building.wave_id)
             .where(OutageBuilding.outage_id == outage_id, RolloutWave.enabled.is_(True),
                    Representative.active.is_(True), Representative.unreachable_at.is_(None))
             .order_by(Representative.id))
    return [(rep, address) for rep, address in db.session.execute(query)]


def mark_notified(outage_id: int) -> None:
    """Remember which buildings were in a wave that was on when the outage was announced."""
    enabled = (select(Building.id).join(RolloutWave, RolloutWave.id == Building.wave_id)
               .where(RolloutWave.enabled.is_(True)))
    db.session.execute(update(OutageBuilding).where(OutageBuilding.outage_id == outage_id,
                                                    OutageBuilding.building_id.in_(enabled))
                       .values(notified=True).execution_options(synchronize_session=False))


def enqueue_for(outage: Outage, notice: str, notice_key: str, targets: Sequence[tuple[Representative, str]]) -> int:
    """Queue the notice to each (representative, address) in the caller's transaction; idempotent per recipient."""
    template = texts.TEMPLATES[notice]
    urgent = outage.kind == "emergency" and notice != "restored"
    texts_by_address: dict[str, str] = {}
    for rep, address in targets:
        text = texts_by_address.get(address) or texts_by_address.setdefault(address, template(outage, address))
        enqueue(notice_key, f"rep:{rep.id}", rep.channel, rep.address, text, buttons=BUTTONS[notice],
                urgent=urgent, group=group_key(outage.id), organization_id=outage.organization_id,
                subject=f"Отключение: {texts.RESOURCE_NAMES[outage.resource]}")
    return len(targets)


def send(outage: Outage, notice: str, notice_key: str) -> int:
    """Queue one notice per recipient; returns how many.

    The first INLINE recipients are queued in the caller's transaction; a large remainder is queued by
    the `outage_fan_out` task in chunks after the commit, so sending starts while the rest is written.
    """
    targets = recipients(outage.id)
    enqueue_for(outage, notice, notice_key, targets[:INLINE])
    if len(targets) > INLINE:
        schedule_fan_out(outage.id, notice, notice_key)
    return len(targets)


def schedule_fan_out(outage_id: int, notice: str, notice_key: str) -> None:
    """Record the remainder in this transaction (the sweep's safety net), then queue it after the commit."""
    exists = db.session.scalar(select(PendingFanOut.id).where(PendingFanOut.notice_key == notice_key))
    if exists is None:
        db.session.add(PendingFanOut(outage_id=outage_id, notice=notice, notice_key=notice_key,
                                     created_at=clock.now()))
    scheduler = services().scheduler
    after_commit(db.session, lambda: scheduler.enqueue("outage_fan_out", outage_id, notice, notice_key))

"""Representatives managed on screen: buildings in the user's reach, who covers them, who does not, adding and
deactivating representatives, sending the invitation again — each change written to the audit log."""
from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy import Select, or_, select

from workflows import clock
from workflows.accounts.models import CITY_WIDE_ROLES, User
from workflows.audit import service as audit
from workflows.db import db
from workflows.delivery import enqueue
from workflows.errors import Conflict, Forbidden, NotFound
from workflows.outages import representatives as reps
from workflows.outages.models import InvitationToken, Representative
from workflows.registry.models import Building, BuildingSupplier

UNCOVERED_LIMIT = 2000  # rows in one list or export
INVITE_TEXT = ("Приглашаем стать представителем дома {address} в «Отклике»: вы будете получать уведомления "
               "об отключениях по дому и передавать их жителям.\n{links}")
LINK_NAMES = {"telegram": "Telegram", "max": "MAX", "vk": "ВКонтакте"}


def _in_reach(query: Select[Any], actor: User) -> Select[Any]:
    """Only the buildings the actor's organisation manages or supplies, unless the role is city-wide."""
    if actor.role in CITY_WIDE_ROLES:
        return query
    supplied = select(BuildingSupplier.building_id).where(BuildingSupplier.organization_id == actor.organization_id)
    return query.where(or_(Building.management_org_id == actor.organization_id, Building.id.in_(supplied)))


def building_in_reach(building_id: int, actor: User) -> Building:
    building = db.session.scalar(_in_reach(select(Building).where(Building.id == building_id), actor))
    if building is None:
        if db.session.get(Building, building_id) is None:
            raise NotFound(f"нет дома {building_id}")
        raise Forbidden("дом не обслуживается вашей организацией")
    return building


def uncovered_buildings(actor: User, district: str | None = None, limit: int = UNCOVERED_LIMIT) -> list[Building]:
    """Buildings without an active representative, in the actor's reach, by address."""
    covered = select(Representative.building_id).where(Representative.active.is_(True))
    query = _in_reach(select(Building).where(Building.id.not_in(covered)), actor)
    if district:
        query = query.where(Building.district == district)
    return list(db.session.scalars(query.order_by(Building.district, Building.street, Building.house, Building.id)
                                   .limit(limit)))


def add(building_id: int, fields: dict[str, Any], actor: User) -> Representative:
    """Staff enrol a representative who gave consent to them; commits."""
    rep = reps.add_representative(building_id, {**fields, "consent": fields.get("consent") is True}, actor)
    audit.record("rep_add", f"building:{building_id}", actor.id,
                 {"representative_id": rep.id, "channel": rep.channel, "role": rep.role})
    db.session.commit()
    return rep


def _rep_in_reach(rep_id: int, actor: User) -> Representative:
    rep = db.session.get(Representative, rep_id)
    if rep is None:
        raise NotFound(f"нет представителя {rep_id}")
    building_in_reach(rep.building_id, actor)
    return rep


def deactivate(rep_id: int, actor: User) -> Representative:
    """The representative stops receiving notices, consent withdrawn; commits."""
    rep = _rep_in_reach(rep_id, actor)
    if not rep.active:
        raise Conflict("представитель уже отключён")
    reps.leave(rep)
    audit.record("rep_deactivate", f"building:{rep.building_id}", actor.id, {"representative_id": rep.id})
    db.session.commit()
    return rep


def invitation_text(building: Building, actor: User | None = None) -> str:
    links = reps.invitation_links(reps.invitation(building.id, actor).token)
    lines = [f"{title}: {links[key]}" for key, title in LINK_NAMES.items() if key in links]
    return INVITE_TEXT.format(address=building.address, links="\n".join(lines))


def resend_invitation(rep_id: int, actor: User) -> Representative:
    """Send the building's invitation links to the representative's address again (to re-join after leaving
    or after a blocked bot); commits."""
    rep = _rep_in_reach(rep_id, actor)
    building = building_in_reach(rep.building_id, actor)
    enqueue(f"invite:{rep.id}:{uuid.uuid4().hex[:12]}", f"rep:{rep.id}", rep.channel, rep.address,
            invitation_text(building, actor), subject="Приглашение: уведомления об отключениях")
    audit.record("rep_invite", f"building:{rep.building_id}", actor.id, {"representative_id": rep.id})
    db.session.commit()
    return rep


def invitation_tokens(buildings: list[Building]) -> dict[int, str]:
    """Each building's invitation token, the missing ones created in one commit."""
    ids = [b.id for b in buildings]
    found = {building_id: token for building_id, token in db.session.execute(
        select(InvitationToken.building_id, InvitationToken.token).where(InvitationToken.building_id.in_(ids)))}
    missing = [i for i in ids if i not in found]
    for building_id in missing:
        token = secrets.token_urlsafe(16)
        db.session.add(InvitationToken(building_id=building_id, token=token, created_at=clock.now()))
        found[building_id] = token
    if missing:
        db.session.commit()
    return found

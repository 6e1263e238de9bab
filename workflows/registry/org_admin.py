"""Organisations managed on screen: which resources each supplies (and to how many buildings), adding one,
changing its name, phone and resources — each change written to the audit log."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from workflows.audit import service as audit
from workflows.db import db
from workflows.errors import NotFound, ValidationFailed
from workflows.registry.models import ORGANIZATION_KINDS, Building, BuildingSupplier, Organization
from workflows.resources import RESOURCES


@dataclass
class OrgRow:
    organization: Organization
    managed: int  # buildings it manages (УК, ТСЖ)
    supplied: dict[str, int]  # resource → buildings it supplies that resource to


def overview() -> list[OrgRow]:
    managed = {org_id: count for org_id, count in db.session.execute(
        select(Building.management_org_id, func.count(Building.id)).group_by(Building.management_org_id))}
    supplied: dict[int, dict[str, int]] = {}
    for org_id, resource, count in db.session.execute(
            select(BuildingSupplier.organization_id, BuildingSupplier.resource, func.count(BuildingSupplier.id))
            .group_by(BuildingSupplier.organization_id, BuildingSupplier.resource)):
        supplied.setdefault(org_id, {})[resource] = int(count)
    orgs = db.session.scalars(select(Organization).order_by(Organization.kind, Organization.name))
    return [OrgRow(o, int(managed.get(o.id, 0)), supplied.get(o.id, {})) for o in orgs]


def get_organization(org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(f"нет организации {org_id}")
    return org


def _checked(name: str, kind: str, resources: list[str], phone: str, inn: str, org_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip() or len(name) > 300:
        errors["name"] = "название от 1 до 300 символов"
    if kind not in ORGANIZATION_KINDS:
        errors["kind"] = "нет такого вида организации"
    if any(r not in RESOURCES for r in resources):
        errors["resources"] = "неизвестный ресурс"
    if len(phone) > 40:
        errors["phone"] = "телефон до 40 символов"
    if inn and (not inn.isdigit() or len(inn) not in (10, 12)):
        errors["inn"] = "ИНН — 10 или 12 цифр"
    elif inn and db.session.scalar(select(Organization.id).where(Organization.inn == inn,
                                                                 Organization.id != (org_id or 0))) is not None:
        errors["inn"] = "организация с таким ИНН уже есть"
    return errors


def create(name: str, kind: str, resources: list[str], phone: str, inn: str, actor_id: int | None) -> Organization:
    errors = _checked(name, kind, resources, phone, inn, None)
    if errors:
        raise ValidationFailed("организация не добавлена", errors)
    org = Organization(name=name.strip(), kind=kind, resources=sorted(set(resources)), phone=phone.strip() or None,
                       inn=inn or None)
    db.session.add(org)
    db.session.flush()
    audit.record("org_create", f"organization:{org.id}", actor_id, org.to_dict())
    db.session.commit()
    return org


def change(org_id: int, name: str, resources: list[str], phone: str, inn: str, actor_id: int | None) -> Organization:
    org = get_organization(org_id)
    errors = _checked(name, org.kind, resources, phone, inn, org.id)
    if errors:
        raise ValidationFailed("изменения не сохранены", errors)
    before = {"name": org.name, "resources": list(org.resources or []), "phone": org.phone, "inn": org.inn}
    org.name, org.resources = name.strip(), sorted(set(resources))
    org.phone, org.inn = phone.strip() or None, inn or None
    after = {"name": org.name, "resources": list(org.resources), "phone": org.phone, "inn": org.inn}
    audit.record("org_change", f"organization:{org.id}", actor_id,
                 {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]})
    db.session.commit()
    return org

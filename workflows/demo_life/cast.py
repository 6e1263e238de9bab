"""The people who act in the demo's month: ЦГДС, and a dispatcher and a head for every organisation."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from workflows.accounts.models import User
from workflows.db import db
from workflows.digest.service import subscribe
from workflows.registry.models import Organization

STAFF_NAMES = ("Белова М. С.", "Гришин П. А.", "Егорова В. Д.", "Жуков Р. Т.", "Зайцева К. О.", "Ильин Б. Ф.",
               "Котова А. Л.", "Лебедев Н. Е.", "Макарова С. В.", "Никитин Ю. Г.", "Осипова Д. И.",
               "Павлов Е. К.", "Романова Г. Н.", "Соколов И. П.", "Тихонова Л. А.", "Уваров М. Б.")


@dataclass
class Cast:
    dispatcher: User
    coordinator: User
    staff: dict[int, User]
    heads: dict[int, User]


def _existing(role: str, organization_id: int) -> User | None:
    return db.session.scalar(select(User).where(User.role == role, User.organization_id == organization_id)
                             .order_by(User.id).limit(1))


def _person(role: str, org: Organization, n: int) -> User:
    user = _existing(role, org.id)
    if user is None:
        user = User(login=f"demo_{role}_{org.id}", role=role, organization_id=org.id,
                    full_name=STAFF_NAMES[n % len(STAFF_NAMES)], password_hash=None)
        db.session.add(user)
    return user


def assemble() -> Cast:
    """Everyone who works in the demo (logins without passwords for the organisations the demo does not list)."""
    dispatcher = db.session.scalar(select(User).where(User.login == "dispatcher"))
    coordinator = db.session.scalar(select(User).where(User.login == "coordinator"))
    if dispatcher is None or coordinator is None:
        raise LookupError("the demo users are missing")
    staff, heads = {}, {}
    orgs = db.session.scalars(select(Organization).where(Organization.kind.in_(("uk", "tsj", "rso", "gas_emergency")))
                              .order_by(Organization.id)).all()
    for n, org in enumerate(orgs):
        staff[org.id] = _person("org_staff", org, 2 * n)
        heads[org.id] = _person("org_head", org, 2 * n + 1)
    db.session.commit()
    return Cast(dispatcher, coordinator, staff, heads)


DEMO_DIGEST = (("official", "email", "official@tambov.example"), ("official", "telegram", "700100200"),
               ("coordinator", "email", "cgds@tambov.example"), ("uk_head", "email", "head@uk-central.example"),
               ("rks_head", "max", "700100300"))


def digest_recipients() -> int:
    """The demo's subscribers of the weekly digest (the logins the demo prints)."""
    made = 0
    for login, channel, address in DEMO_DIGEST:
        if db.session.scalar(select(User.id).where(User.login == login)) is not None:
            subscribe(login, channel, address)
            made += 1
    return made

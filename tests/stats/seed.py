"""A seeded set of appeals with hand-counted figures, made by running the real appeal process.

Period: 2026-11-02 (Moscow). t0 = 12:00 local. УК1 (Советская 45 and a house in Октябрьский):
A1 accepted +30 min, resolved +2 h, resident: fixed.
A2 accepted +90 min, resolved +96 h — after the 3-day deadline; the breach escalates it.
A3 accepted +60 min, resolved +3 h, resident: not fixed (reopened), resolved again +5 h.
A4 never accepted: the acceptance breach at +1 day escalates it; overdue now.
A5 accepted +120 min, resolved +6 h, resident: not fixed (reopened), never resolved again; its old
   resolution deadline still escalates it at +3 days; overdue now.
D1 (roof, Октябрьский) accepted +30 min, not resolved, deadline 10 working days: not overdue.
УК2 (Мичуринская 112): B1 accepted +60 min, resolved +8 h.
Outside the period: C1 the day before, E1 the day after (both УК1) — must not count.
Now = t0 + 4 days.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tests.appeals.city import City
from workflows.accounts.models import User
from workflows.accounts.service import create_user
from workflows.clock import FakeClock
from workflows.db import db
from workflows.demo_life.driver import accept, answer, register, resolve
from workflows.registry.models import Building, BuildingSupplier
from workflows.registry.service import fold
from workflows.runtime.timers import sweep_timers

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass
class Seeded:
    dispatcher: User
    uk1_staff: User
    uk2_staff: User
    ids: dict[str, int]


def _octyabrsky_house(city: City) -> Building:
    address = "ул. Пензенская, д. 3"
    house = Building(street_type="ул", street="Пензенская", house="3", district="Октябрьский", address=address,
                     search_text=fold(address), management_org_id=city.uk1.id,
                     wave_id=city.sovetskaya_45.wave_id)
    house.suppliers.append(BuildingSupplier(resource="cold_water", organization_id=city.water.id))
    db.session.add(house)
    db.session.commit()
    return house


def _yard(dispatcher: User, building_id: int, n: int) -> int:
    return register(dispatcher, text=f"Не убран снег во дворе ({n})", channel="phone", building_id=building_id,
                    category="yard", applicant={"name": "Петров П. П.", "phone": f"+7900000000{n}"})


def seed(city: City, clock: FakeClock) -> Seeded:
    dispatcher = create_user("disp", "dispatcher", city.cgds.id, "Correct-horse-1")
    uk1 = create_user("uk1_staff", "org_staff", city.uk1.id, "Correct-horse-1")
    uk2 = create_user("uk2_staff", "org_staff", city.uk2.id, "Correct-horse-1")
    other_district = _octyabrsky_house(city)
    home, ids = city.sovetskaya_45.id, {}

    def at(delta: timedelta) -> None:
        clock.set(T0 + delta)
        sweep_timers()

    at(-timedelta(days=1))
    ids["C1"] = _yard(dispatcher, home, 0)
    accept(uk1, ids["C1"])
    resolve(uk1, ids["C1"])
    at(timedelta())
    for n, name in enumerate(("A1", "A2", "A3", "A4", "A5"), start=1):
        ids[name] = _yard(dispatcher, home, n)
    ids["B1"] = _yard(dispatcher, city.michurinskaya_112.id, 6)
    ids["D1"] = register(dispatcher, text="Течёт крыша", channel="telegram", building_id=other_district.id,
                         category="roof", emergency=False)
    at(timedelta(minutes=30))
    accept(uk1, ids["A1"])
    accept(uk1, ids["D1"])
    at(timedelta(minutes=60))
    accept(uk1, ids["A3"])
    accept(uk2, ids["B1"])
    at(timedelta(minutes=90))
    accept(uk1, ids["A2"])
    at(timedelta(hours=2))
    resolve(uk1, ids["A1"])
    answer(ids["A1"], fixed=True)
    accept(uk1, ids["A5"])
    at(timedelta(hours=3))
    resolve(uk1, ids["A3"])
    answer(ids["A3"], fixed=False)
    at(timedelta(hours=5))
    resolve(uk1, ids["A3"])
    at(timedelta(hours=6))
    resolve(uk1, ids["A5"])
    answer(ids["A5"], fixed=False)
    at(timedelta(hours=8))
    resolve(uk2, ids["B1"])
    at(timedelta(days=1, minutes=1))
    ids["E1"] = _yard(dispatcher, home, 7)
    at(timedelta(days=3, minutes=1))
    at(timedelta(days=4))
    resolve(uk1, ids["A2"])
    return Seeded(dispatcher, uk1, uk2, ids)

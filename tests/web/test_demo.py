"""`otklik demo load`: the demo city as the contract describes it."""
from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from workflows.accounts.models import ROLES, User
from workflows.db import db
from workflows.outages.models import Representative
from workflows.registry.models import Building, Organization, RolloutWave
from workflows.runtime.models import ProcessVersion


def test_demo_load_builds_the_tambov_demo_city(app: Flask) -> None:
    # the city itself; the month of history it also writes by default is tests/stats/test_demo_history.py's
    result = app.test_cli_runner().invoke(args=["demo", "load", "--history-days", "0"])
    assert result.exit_code == 0, result.output
    assert "dispatcher" in result.output and "-demo-2026" in result.output
    buildings = db.session.scalar(select(func.count(Building.id)))
    assert 450 <= buildings <= 550
    for street in ("Советская", "Мичуринская", "Интернациональная"):
        assert db.session.scalar(select(func.count(Building.id)).where(Building.street == street)) >= 5
    names = {o.name for o in db.session.scalars(select(Organization))}
    assert any("РКС-Тамбов" in n for n in names) and any("Квадра" in n for n in names)
    waves = db.session.scalars(select(RolloutWave)).all()
    assert sum(w.enabled for w in waves) == len(waves) - 1
    roles = {u.role for u in db.session.scalars(select(User))}
    assert roles >= set(ROLES) - {"integration"}
    assert db.session.scalar(select(func.count(Representative.id))) > 100
    assert {v.key for v in db.session.scalars(select(ProcessVersion))} >= {"appeal", "routing", "sla", "outage"}
    again = app.test_cli_runner().invoke(args=["demo", "load", "--history-days", "0"])
    assert again.exit_code == 0 and db.session.scalar(select(func.count(Building.id))) == buildings


def test_synthetic_cities_of_any_size_can_be_generated(app: Flask) -> None:
    from workflows.demo import generate_city

    assert generate_city(21_000) == 21_000
    db.session.commit()
    assert db.session.scalar(select(func.count(Building.id))) == 21_000
    assert db.session.scalar(select(func.count(Building.id)).where(Building.korpus != "")) > 0

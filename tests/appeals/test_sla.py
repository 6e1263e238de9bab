"""sla.dmn as the regulations say: each row's figures and source, the topic read from the text, the
garbage chute's 08:00–23:00 clock, and the deadlines of registered appeals."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import etree

from engine.decide import decide
from tests.appeals.city import City, build_city
from tests.conftest import make_app
from tests.registering import register_appeal
from workflows.appeals.catalog import topic_of
from workflows.appeals.deadlines import due_after
from workflows.clock import FakeClock
from workflows.db import db
from workflows.services import services_of

SLA = Path(__file__).resolve().parents[2] / "bpmn" / "sla.dmn"
NS = {"d": "https://www.omg.org/spec/DMN/20191111/MODEL/"}


def msk(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC) - timedelta(hours=3)  # type: ignore[misc]


def sla(category: str, emergency: bool = False, topic: str | None = None, channel: str = "phone") -> tuple[Any, ...]:
    found = decide(SLA.read_bytes(), "sla", {"category": category, "emergency": emergency, "topic": topic,
                                             "channel": channel})
    return found["accept_within"], found["resolve_within"], found["calendar"]


def test_the_rows_of_the_deadline_table() -> None:
    assert sla("elevator", True) == ("PT10M", "PT30M", "calendar")  # a person stuck
    assert sla("elevator") == ("PT30M", "P1D", "calendar")  # a fault, no one stuck
    assert sla("garbage_chute", topic="blockage") == ("PT1H", "PT2H", "08:00-23:00")
    assert sla("garbage_chute") == ("P1D", "P1D", "calendar")
    assert sla("sewerage", True, "flooding") == ("PT30M", "P3D", "calendar")  # not the 2-hour blockage
    assert sla("basement", True, "flooding") == ("PT30M", "P3D", "calendar")
    assert sla("sewerage", True, "blockage") == ("PT30M", "PT2H", "calendar")
    assert sla("electricity", topic="lighting") == ("P1D", "P7D", "calendar")
    assert sla("entrance", topic="lighting") == ("P1D", "P7D", "calendar")
    assert sla("electricity") == ("P1D", "P10D", "working")  # not every electricity appeal gets 7 days
    assert sla("structure", True) == ("PT30M", "P1D", "calendar")
    assert sla("structure") == ("P1D", "P5D", "calendar")
    assert sla("entrance", topic="door") == ("P1D", "P1D", "calendar")
    assert sla("ventilation") == ("P1D", "P1D", "calendar")
    assert sla("billing", channel="letter") == ("P7D", "P30D", "days_to_working")


def test_every_row_names_its_source() -> None:
    rules = etree.parse(str(SLA)).getroot().findall(".//d:rule", NS)
    sources = {rule.get("id"): rule.findtext("d:description", namespaces=NS) for rule in rules}
    assert len(sources) == 18 and all(sources.values())
    assert sources["lift_fault"] == "ГОСТ Р 55964; ПП 170, Прил. 2: неисправность лифта — не более 1 сут."
    assert sources["chute_block"] == "ПП 416, п. 13: засор мусоропровода — 2 ч, с 8:00 до 23:00"


@pytest.mark.parametrize(("text", "topic"), [
    ("Затопило подвал, вода стоит по щиколотку", "flooding"),
    ("В подвале течь из трубы", "flooding"),
    ("Не горит свет в подъезде на 3 этаже", "lighting"),
    ("Перегорела лампочка на площадке", "lighting"),
    ("Засор мусоропровода", "blockage"),
    ("Не закрывается входная дверь подъезда", "door"),
    ("Нет света во всём доме", None),
])
def test_the_topic_is_read_from_the_text(text: str, topic: str | None) -> None:
    assert topic_of(text) == topic


@pytest.mark.parametrize(("start", "due"), [
    (msk(2026, 11, 5, 22, 30), msk(2026, 11, 6, 9, 30)),  # 30 min tonight, 1 h 30 min from 08:00
    (msk(2026, 11, 5, 6, 0), msk(2026, 11, 5, 10, 0)),
    (msk(2026, 11, 5, 12, 0), msk(2026, 11, 5, 14, 0)),
    (msk(2026, 11, 5, 23, 0), msk(2026, 11, 6, 10, 0)),
])
def test_the_garbage_chute_clock_runs_from_eight_to_eleven(start: datetime, due: datetime, app: Flask) -> None:
    assert due_after(start, "PT2H", "08:00-23:00") == due


@pytest.fixture
def city_app(any_db_url: str, tmp_path: Path) -> Iterator[tuple[Flask, City]]:
    application = make_app(tmp_path, any_db_url)
    with application.app_context():
        yield application, build_city()
        db.session.remove()


def _register(city: City, text: str, category: str, emergency: bool) -> Any:
    return register_appeal({"text": text, "channel": "phone", "building_id": city.sovetskaya_45.id,
                            "category": category, "emergency": emergency}).appeal


def test_registered_appeals_get_the_deadlines_of_their_row(city_app: tuple[Flask, City]) -> None:
    app, city = city_app
    clock: FakeClock = services_of(app).clock
    clock.set(msk(2026, 11, 5, 22, 30))
    chute = _register(city, "Засор мусоропровода на 5 этаже", "garbage_chute", False)
    flooding = _register(city, "Затопило подвал, вода прибывает", "sewerage", True)
    lift = _register(city, "Лифт не работает, стоит на 9 этаже", "elevator", False)
    assert (chute.accept_due_at, chute.resolve_due_at) == (msk(2026, 11, 6, 8, 30), msk(2026, 11, 6, 9, 30))
    assert flooding.resolve_due_at == msk(2026, 11, 8, 22, 30) and flooding.accept_due_at == msk(2026, 11, 5, 23, 0)
    assert lift.resolve_due_at == msk(2026, 11, 6, 22, 30)

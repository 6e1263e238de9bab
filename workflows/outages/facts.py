"""Facts about an outage measured after registration that change its permitted duration."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from workflows import clock
from workflows.accounts.models import User
from workflows.db import db
from workflows.outages import validation
from workflows.outages.access import check_manage, get_outage
from workflows.outages.checks import recheck
from workflows.outages.models import Outage, OutageBuilding, Representative
from workflows.runtime.instances import commit

REPORT_WITHIN = timedelta(days=1)  # a measurement still describes an outage restored this recently


def record_indoor_temperature(outage_id: int, value: Any, actor: User | None) -> Outage:
    """The air temperature measured in the living rooms (heating limits of ПП 354 п. 15 depend on it).

    Allowed after restoration too: a measurement is evidence whenever it arrives. The limits and the
    violations are judged again at once; commits.
    """
    outage = get_outage(outage_id, actor)
    check_manage(actor, outage)
    errors: dict[str, Any] = {}
    indoor = validation.temperature(value, errors, "indoor_temperature")
    if indoor is None and not errors:
        errors["indoor_temperature"] = "обязательное поле: число от -60 до 50"
    if outage.resource != "heating" and not errors:
        errors["indoor_temperature"] = "температура в жилых помещениях влияет только на перерывы отопления"
    validation.fail_if(errors, "температура не может быть записана")
    outage.indoor_temperature, outage.indoor_temperature_at = indoor, clock.now()
    outage.updated_at = clock.now()
    recheck(outage)
    commit()
    return outage


def representative_reports_temperature(rep_id: int, text: str) -> str:
    """A building's representative sends the measured indoor temperature ("/temp 14,5"): it is recorded on
    the building's current or just restored heating outages and the limits are judged again. The answer
    to send back is returned; the caller commits."""
    rep = db.session.get(Representative, rep_id)
    value = _parse(text)
    if rep is None:
        return "Вы не представитель дома: температуру принимаем только от представителей."
    if value is None:
        return "Напишите температуру в квартире числом, например: /temp 14,5"
    now = clock.now()
    links = db.session.scalars(
        select(OutageBuilding).join(Outage, Outage.id == OutageBuilding.outage_id)
        .where(OutageBuilding.building_id == rep.building_id, Outage.resource == "heating",
               Outage.status != "rejected", Outage.starts_at <= now,
               (Outage.restored_at.is_(None)) | (Outage.restored_at >= now - REPORT_WITHIN))).all()
    if not links:
        return "Сейчас в вашем доме нет отключения отопления — температура не записана."
    for link in links:
        link.indoor_temperature, link.indoor_temperature_at = value, now
        outage = db.session.get(Outage, link.outage_id)
        if outage is not None:
            recheck(outage)
    number = f"{value:g}".replace(".", ",")
    return f"Спасибо! Записали температуру в квартире: {number} °C."


def _parse(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", ".").removesuffix("°C").removesuffix("°").strip())
    except ValueError:
        return None
    return value if -60 <= value <= 50 else None

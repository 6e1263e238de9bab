"""Facts about an outage measured after registration that change its permitted duration."""
from __future__ import annotations

from typing import Any

from workflows import clock
from workflows.accounts.models import User
from workflows.outages import validation
from workflows.outages.access import check_manage, get_outage
from workflows.outages.checks import recheck
from workflows.outages.models import Outage
from workflows.runtime.instances import commit


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

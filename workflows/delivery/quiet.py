"""Quiet hours: non-urgent notices to people wait until morning in the city's local time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from workflows.delivery.settings import DeliverySettings


def quiet_until(moment: datetime, settings: DeliverySettings) -> datetime | None:
    """The end of the quiet window `moment` falls in (aware UTC), or None outside quiet hours."""
    start, end = settings.quiet_start, settings.quiet_end
    if start is None or end is None:
        return None
    local = moment.astimezone(settings.zone)
    clock = local.time().replace(tzinfo=None)
    overnight = start > end  # 22:00-08:00 wraps past midnight
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    ends = datetime.combine(local.date(), end, tzinfo=settings.zone)
    if ends <= local:
        ends = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=settings.zone)
    return ends.astimezone(UTC)

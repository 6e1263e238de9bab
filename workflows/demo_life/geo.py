"""Approximate coordinates for the demo's buildings, inside Tambov's real bounds (marked as approximate)."""
from __future__ import annotations

import math
import random

from sqlalchemy import select

from workflows.db import db
from workflows.registry.models import Building

# Tambov's built-up area (WGS 84), roughly; each district's houses gather around its own part of the city.
BOUNDS = {"south": 52.665, "north": 52.775, "west": 41.355, "east": 41.515}
DISTRICT_CENTRES = {"Ленинский": (52.727, 41.452), "Октябрьский": (52.700, 41.470), "Советский": (52.745, 41.405)}
DISTRICT_SPREAD = 0.022  # degrees of latitude around a district's centre where its streets start
HOUSE_STEP = 0.0009  # degrees between neighbouring houses along a street


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def place_buildings(seed: int = 2026) -> int:
    """Give every building without coordinates a place along its street; returns how many were placed."""
    rng = random.Random(seed)
    streets: dict[tuple[str, str], list[Building]] = {}
    for building in db.session.scalars(select(Building).where(Building.lat.is_(None)).order_by(Building.id)):
        streets.setdefault((building.street, building.district), []).append(building)
    for (_, district), houses in streets.items():
        lat0, lon0 = DISTRICT_CENTRES.get(district, (52.72, 41.44))
        lat0 += rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD)
        lon0 += rng.uniform(-DISTRICT_SPREAD, DISTRICT_SPREAD) * 1.6  # a degree of longitude is shorter here
        angle = rng.uniform(0, math.pi)
        for n, building in enumerate(houses):
            side = (-1) ** n * 0.00015  # odd and even numbers face each other across the street
            building.lat = round(_clamp(lat0 + math.sin(angle) * HOUSE_STEP * n / 2 + side,
                                        BOUNDS["south"], BOUNDS["north"]), 6)
            building.lon = round(_clamp(lon0 + math.cos(angle) * HOUSE_STEP * 1.6 * n / 2,
                                        BOUNDS["west"], BOUNDS["east"]), 6)
            building.geo_approximate = True
    return sum(len(h) for h in streets.values())

"""Registry models: organisations, buildings, suppliers per resource, rollout waves."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.clock import now
from workflows.db import db

ORGANIZATION_KINDS = ("uk", "tsj", "rso", "gas_emergency", "cgds", "city")


class Organization(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    resources: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str | None] = mapped_column(String(40))
    inn: Mapped[str | None] = mapped_column(String(12), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "kind": self.kind, "resources": list(self.resources or [])}

    def ref(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name}


class RolloutWave(db.Model):  # type: ignore[name-defined,misc]
    """Buildings join notifications in phases; a wave is switched on by an admin, now or at `switch_on_at`."""

    __tablename__ = "rollout_wave"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    switch_on_at: Mapped[datetime | None]  # scheduled switch-on; the minute sweep turns it on and clears it


class Building(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "building"
    __table_args__ = (
        Index("ix_building_street_house", "street", "house"),
        UniqueConstraint("street_type", "street", "house", "korpus", "stroenie", name="uq_building_address"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fias_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    street_type: Mapped[str] = mapped_column(String(20))
    street: Mapped[str] = mapped_column(String(200))
    house: Mapped[str] = mapped_column(String(20))
    korpus: Mapped[str] = mapped_column(String(10), default="")
    stroenie: Mapped[str] = mapped_column(String(10), default="")
    district: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(String(300), default="", index=True)  # lower case, ё → е
    management_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    wave_id: Mapped[int | None] = mapped_column(ForeignKey("rollout_wave.id"), index=True)
    floors: Mapped[int | None] = mapped_column(Integer)
    flats: Mapped[int | None] = mapped_column(Integer)
    power_sources: Mapped[int | None] = mapped_column(Integer)  # None: unknown (the stricter electricity limit)
    dead_end_hot_water: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    geo_approximate: Mapped[bool] = mapped_column(Boolean, default=False)  # placed by the demo, not surveyed

    management_org: Mapped[Organization | None] = relationship(lazy="joined")
    wave: Mapped[RolloutWave | None] = relationship(lazy="joined")
    suppliers: Mapped[list[BuildingSupplier]] = relationship(
        back_populates="building", lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def notifications_enabled(self) -> bool:
        return bool(self.wave and self.wave.enabled)

    def supplier_for(self, resource: str) -> Organization | None:
        for link in self.suppliers:
            if link.resource == resource:
                return link.organization
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "address": self.address,
            "district": self.district,
            "management_organization": self.management_org.ref() if self.management_org else None,
            "suppliers": {link.resource: link.organization.ref() for link in self.suppliers},
            "notifications_enabled": self.notifications_enabled,
            "floors": self.floors,
            "flats": self.flats,
            "power_sources": self.power_sources,
            "dead_end_hot_water": self.dead_end_hot_water,
        }


class BuildingSupplier(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "building_supplier"
    __table_args__ = (UniqueConstraint("building_id", "resource", name="uq_building_supplier"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id", ondelete="CASCADE"), index=True)
    resource: Mapped[str] = mapped_column(String(20))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)

    building: Mapped[Building] = relationship(back_populates="suppliers")
    organization: Mapped[Organization] = relationship(lazy="joined")

"""The mark that the city's history was written by `otklik demo load`, not lived."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer
from sqlalchemy.orm import Mapped, mapped_column

from workflows.clock import now
from workflows.db import db


class DemoHistory(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "demo_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    written_at: Mapped[datetime] = mapped_column(default=now)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    appeals: Mapped[int] = mapped_column(Integer, default=0)
    outages: Mapped[int] = mapped_column(Integer, default=0)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)

"""The weekly rating of organisations: public, no login, no personal data, the method on the page."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, Flask, render_template, request

from workflows.errors import ValidationFailed
from workflows.stats.period import Period, today, week_of
from workflows.stats.rating import method, method_text, weekly_rating

bp = Blueprint("ratings", __name__)


def requested_week(raw: str | None) -> Period:
    """The week holding `raw` (any ISO date); by default the last full week."""
    if not raw:
        return week_of(today() - timedelta(days=7))
    try:
        day = date.fromisoformat(raw)
        if not 2000 <= day.year <= 2100:
            raise ValueError(raw)
        return week_of(day)
    except ValueError:
        raise ValidationFailed("неделя: дата в виде ГГГГ-ММ-ДД", {"week": "дата в виде ГГГГ-ММ-ДД"}) from None


@bp.get("/ratings")
def ratings_page() -> Any:
    week = requested_week(request.args.get("week"))
    following = week.first + timedelta(days=7)
    return render_template("ratings/public.html", week=week, rows=weekly_rating(week), method=method_text(),
                           minimum=method()["minimum_appeals"], previous=week.first - timedelta(days=7),
                           following=following if following <= today() else None)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

"""The weekly report as Excel (the digest links to it): the city's roles get all, a head their organisation."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Flask, Response, g

from web.auth import login_may
from web.tables_export import workbook_bytes
from workflows.digest.attachment import XLSX, report_filename
from workflows.digest.report import sheets, week_report
from workflows.errors import ValidationFailed
from workflows.stats.period import week_of

bp = Blueprint("digest", __name__)


@bp.get("/digest/<week_start>.xlsx")
@login_may("digest.read")
def digest_report(week_start: str) -> Any:
    try:
        day = date.fromisoformat(week_start)
        if not 2000 <= day.year <= 2100:
            raise ValueError(week_start)
        week = week_of(day)
    except ValueError:
        raise ValidationFailed("неделя: дата в виде ГГГГ-ММ-ДД", {"week": "дата в виде ГГГГ-ММ-ДД"}) from None
    own = g.user.organization_id if g.user.role == "org_head" else None
    body = workbook_bytes(sheets(week_report(week), own))
    name = report_filename(week)
    return Response(body, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename={name}"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

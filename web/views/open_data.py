"""Open data: `/open-data/appeals.csv` (no login, no personal data) and the page that documents its columns."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, render_template, request

from web.tables_export import csv_bytes
from workflows.stats.open_data import COLUMNS, open_data_rows
from workflows.stats.period import parse_period

bp = Blueprint("open_data", __name__)


@bp.get("/open-data")
def open_data_page() -> Any:
    period = parse_period(request.args.get("from"), request.args.get("to"))
    return render_template("open_data.html", columns=COLUMNS, period=period)


@bp.get("/open-data/appeals.csv")
def open_data_csv() -> Any:
    period = parse_period(request.args.get("from"), request.args.get("to"))
    body = csv_bytes([name for name, _ in COLUMNS], list(open_data_rows(period)))
    name = f"otklik-appeals-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

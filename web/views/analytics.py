"""The analytics page: trends, deadlines kept, repeats, reopenings, residents' verdicts, social answers."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, g, render_template, request

from web.auth import login_may
from web.tables_export import csv_bytes, xlsx_bytes
from workflows.stats.analytics import BUCKETS, analytics, table_named
from workflows.stats.period import Period, parse_period

bp = Blueprint("analytics", __name__)


def _query() -> tuple[Period, str]:
    return parse_period(request.args.get("from"), request.args.get("to")), request.args.get("bucket") or "day"


@bp.get("/analytics")
@login_may("stats.read")
def analytics_page() -> Any:
    period, bucket = _query()
    tables = analytics(g.user, period, bucket)
    query = {"from": period.first.isoformat(), "to": period.last.isoformat(), "bucket": bucket}
    return render_template("analytics/page.html", tables=tables, period=period, bucket=bucket, buckets=BUCKETS,
                           query=query)


@bp.get("/analytics/<key>.<any(csv, xlsx):fmt>")
@login_may("stats.read")
def analytics_download(key: str, fmt: str) -> Any:
    period, bucket = _query()
    table = table_named(analytics(g.user, period, bucket), key)
    name = f"otklik-{key}-{period.first.isoformat()}-{period.last.isoformat()}.{fmt}"
    if fmt == "csv":
        body, mimetype = csv_bytes(table.columns, table.rows), "text/csv; charset=utf-8"
    else:
        body = xlsx_bytes(table.title, table.columns, table.rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

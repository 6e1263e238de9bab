"""The live operations board: the landing page of the city administration and the ЦГДС shift lead."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, url_for

from web.auth import login_may
from workflows.demo_life.history import demo_history
from workflows.stats.board import board, board_counts

bp = Blueprint("board", __name__)
LANDING_ROLES = frozenset({"official", "coordinator"})
REFRESH_SECONDS = 20


@bp.get("/board")
@login_may("board.view")
def board_show() -> Any:
    data = board()
    return render_template("board/board.html", b=data, counts=board_counts(data), demo=demo_history(),
                           live_url=url_for("board.board_live"),
                           refresh=int(current_app.config.get("BOARD_REFRESH_SECONDS") or REFRESH_SECONDS))


@bp.get("/board/live")
@login_may("board.view")
def board_live() -> Any:
    """The board's panels as an HTML fragment for the page's refresh, with the headline counts."""
    data = board()
    return jsonify({"html": render_template("board/_panels.html", b=data), "counts": board_counts(data),
                    "refreshed_at": data.now.isoformat()})


def landing_for(role: str | None) -> str:
    """Where a user lands after logging in: the board for those who watch the city, tasks for the rest."""
    return url_for("board.board_show") if role in LANDING_ROLES else url_for("ui.inbox")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

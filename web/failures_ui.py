"""The admin's page of failed process instances: grouped by message, with bulk retry and the alert recipients."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for

from web.auth import login_may
from workflows.failures import board
from workflows.failures.texts import PROCESS_TITLES, in_words

bp = Blueprint("failures", __name__)
CHANNEL_NAMES = {"telegram": "Telegram", "max": "MAX", "vk": "ВКонтакте", "email": "электронная почта", "sms": "SMS"}


@bp.route("/admin/failures")
@login_may("failures.manage")
def failures_list() -> Any:
    groups = board.failure_groups()
    return render_template("failures.html", groups=groups, total=sum(g.count for g in groups),
                           alerts=board.recent_alerts(), contacts=board.alert_contacts(), channels=CHANNEL_NAMES,
                           processes=PROCESS_TITLES)


@bp.route("/admin/failures/retry", methods=["POST"])
@login_may("failures.manage")
def failures_retry() -> Any:
    result = board.retry_group(str(request.form.get("group") or ""), g.user.id)
    if not result.retried:
        flash("Этих сбоев уже нет: список обновлён", "error")
    else:
        flash(f"Повторено: {result.retried}; продолжились: {result.recovered}; снова с ошибкой: "
              f"{result.failed_again}", "ok" if not result.failed_again else "error")
    return redirect(url_for("failures.failures_list"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(in_words, "failure_words")

"""Screens of social intake: sources, the ЦГДС moderation queue, a post's card, model quality."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, g, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from web.auth import login_may
from workflows.accounts import permissions
from workflows.appeals.catalog import CATEGORIES
from workflows.errors import ValidationFailed, WorkflowsError
from workflows.ids import as_id
from workflows.social_intake import answer_desk, learning, moderation, replies, sources
from workflows.social_intake.models import SocialPost
from workflows.social_intake.retrain_status import read_status

bp = Blueprint("social", __name__, url_prefix="/social")
CATEGORY_NAMES = {c.code: c.name for c in CATEGORIES}


def highlighted(text: str, spans: list[list[int]] | None) -> Markup:
    """The post with its address mentions in <mark>; everything else escaped."""
    out, at = Markup(""), 0
    for start, stop in sorted((s for s in spans or [] if len(s) == 2), key=lambda s: s[0]):
        if start < at or stop > len(text):
            continue
        out += escape(text[at:start]) + Markup("<mark>") + escape(text[start:stop]) + Markup("</mark>")
        at = stop
    return out + escape(text[at:])


def _flag(name: str) -> bool:
    return request.form.get(name) in ("1", "on", "true")


@bp.route("/sources", methods=["GET", "POST"])
@login_may("social.sources")
def sources_page() -> Any:
    errors: dict[str, Any] = {}
    if request.method == "POST":
        try:
            created = sources.create_source(request.form.to_dict())
            flash(f"Источник «{created.title}» добавлен", "ok")
            return redirect(url_for("social.sources_page"))
        except ValidationFailed as err:
            errors = err.details if isinstance(err.details, dict) else {}
            flash(err.message, "error")
    return render_template("social/sources.html", items=sources.list_sources(), kinds=sources.KIND_NAMES,
                           errors=errors, values=request.form), 422 if errors else 200


@bp.route("/sources/<int:source_id>", methods=["POST"])
@login_may("social.sources")
def source_update(source_id: int) -> Any:
    data: dict[str, Any] = {"enabled": _flag("enabled"), "interval_minutes": request.form.get("interval_minutes", "")}
    if g.user.role == "admin":
        data["reply_enabled"] = _flag("reply_enabled")
    sources.update_source(source_id, data, g.user)
    flash("Источник сохранён", "ok")
    return redirect(url_for("social.sources_page"))


@bp.route("/sources/<int:source_id>/poll", methods=["POST"])
@login_may("social.sources")
def source_poll(source_id: int) -> Any:
    sources.poll_now(source_id)
    flash("Опрос источника запущен: новые посты появятся в очереди сами", "ok")
    return redirect(url_for("social.queue"))


@bp.route("/queue")
@login_may("social.moderate")
def queue() -> Any:
    view = request.args.get("view", "queue")
    items, total = moderation.list_posts(view)
    return render_template("social/queue.html", items=items, total=total, view=view, names=CATEGORY_NAMES)


@bp.route("/queue/rows")
@login_may("social.moderate")
def queue_rows() -> Any:
    """The queue's rows as an HTML fragment for the page's own refresh (social-queue.js)."""
    view = request.args.get("view", "queue")
    items, total = moderation.list_posts(view)
    return jsonify({"html": render_template("social/_queue_rows.html", items=items, names=CATEGORY_NAMES),
                    "total": total})


@bp.route("/posts/<int:post_id>")
@login_may("social.answers")
def post_show(post_id: int) -> Any:
    post: SocialPost = moderation.get_post(post_id)
    analysis = post.analysis or {}
    return render_template("social/post.html", post=post, analysis=analysis, names=CATEGORY_NAMES,
                           text=highlighted(post.text, analysis.get("spans")), categories=CATEGORIES,
                           reply=replies.suggested_reply(post), open=post.status in moderation.OPEN,
                           interim=answer_desk.interim_text(post), publishes=replies.can_publish(post),
                           **suggestion(post))


def suggestion(post: SocialPost) -> dict[str, Any]:
    """What the «Исправить» form starts from: the post's own values, else the classifier's best guesses."""
    analysis = post.analysis or {}
    buildings = [b for b in analysis.get("buildings") or [] if isinstance(b, dict) and b.get("building_id")]
    categories = [c for c in analysis.get("categories") or [] if isinstance(c, dict) and c.get("code")]
    building = None if post.inherited and post.building_id else (
        post.building_id or (buildings[0]["building_id"] if buildings else None))
    category = post.category or (categories[0]["code"] if categories else None)
    return {"suggested_building": building, "suggested_category": category}


@bp.route("/answers")
@login_may("social.answers")
def answers() -> Any:
    return render_template("social/answers.html", rows=answer_desk.answers_board(), names=CATEGORY_NAMES)


@bp.route("/posts/<int:post_id>/answer", methods=["POST"])
@login_may("social.moderate")
def post_answer(post_id: int) -> Any:
    try:
        kind = request.form.get("kind", "")
        published = answer_desk.answer_post(post_id, g.user, kind, request.form.get("text", ""))
        what = "Промежуточный ответ" if kind == "interim" else "Окончательный ответ"
        flash(f"{what} {'опубликован во ВКонтакте' if published else 'отмечен как опубликованный'}", "ok")
    except WorkflowsError as err:
        flash(err.message + _details(err), "error")
    return redirect(url_for("social.post_show", post_id=post_id))


@bp.route("/posts/<int:post_id>/<action>", methods=["POST"])
@login_may("social.moderate")
def post_act(post_id: int, action: str) -> Any:
    try:
        if action == "confirm":
            flash(f"Создано обращение {moderation.confirm(post_id, g.user)}", "ok")
        elif action == "correct":
            building = request.form.get("building_id", "")
            appeal_id = moderation.correct(post_id, g.user, as_id(building),
                                           request.form.get("category"), _flag("emergency"),
                                           request.form.get("address"))
            flash(f"Создано обращение {appeal_id}", "ok")
        elif action == "dismiss":
            moderation.dismiss(post_id, g.user)
            flash("Пост отклонён", "ok")
        elif action == "reply":
            replies.post_reply(post_id, g.user)
            flash("Ответ опубликован", "ok")
        else:
            return render_template("error.html", status=404, message="Нет такого действия"), 404
    except WorkflowsError as err:
        flash(err.message + _details(err), "error")
        return redirect(url_for("social.post_show", post_id=post_id))
    return redirect(url_for("social.queue") if action != "reply" else url_for("social.post_show", post_id=post_id))


def _details(err: WorkflowsError) -> str:
    if not isinstance(err.details, dict):
        return ""
    found = [str(v) for v in err.details.values() if isinstance(v, str) and v]
    return f": {'; '.join(found)}" if found else ""


@bp.route("/quality", methods=["GET", "POST"])
@login_may("social.answers")
def quality() -> Any:
    if request.method == "POST":
        if not permissions.may(g.user.role, "social.retrain"):
            return render_template("error.html", status=403, message="Недостаточно прав"), 403
        if read_status()["running"]:
            flash("Переобучение уже идёт", "error")
        else:
            learning.request_retrain()
            flash("Переобучение запущено в фоне; ход виден ниже, показатели появятся, когда оно закончится", "ok")
        return redirect(url_for("social.quality"))
    runs = learning.model_runs()
    return render_template("social/quality.html", runs=runs, figures=learning.FIGURES, status=read_status(),
                           last_seconds=runs[0].seconds if runs else None)


@bp.route("/quality/status")
@login_may("social.answers")
def quality_status() -> Any:
    """Where the retraining is, for the quality page's progress bar (social-quality.js)."""
    return jsonify(read_status())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

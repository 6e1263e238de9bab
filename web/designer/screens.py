"""Designer screens: catalogue, editor, compare, process page with migrations, follow, dry run."""
from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for

from web.auth import login_may
from web.designer.blueprint import bp
from web.designer.vendor import vendor_available
from web.process_names import process_name
from web.redirects import redirect_next
from workflows.accounts.names import display_names
from workflows.audit import service as audit
from workflows.designer import catalog, compare, editing, follow, migration, samples
from workflows.errors import Conflict, NotFound, ValidationFailed


@bp.route("/")
@login_may("designer.use")
def designer_index() -> Any:
    return render_template("designer/index.html", processes=catalog.process_catalog())


@bp.route("/processes/<key>")
@login_may("designer.use")
def process_show(key: str) -> Any:
    rows = [row for row in catalog.process_catalog() if row.key == key]
    if not rows:
        raise NotFound(f"нет процесса {key}")
    row = rows[0]
    candidates = migration.candidates(key) if row.kind == "bpmn" else []
    instances = {v.id: catalog.instances_on(v.id, limit=50) for v in row.versions if v.running}
    entries = audit.entries(key, limit=50)
    return render_template("designer/process.html", process=row, candidates=candidates, instances=instances,
                           audit=entries, actors=display_names(e.actor_id for e in entries))


@bp.route("/processes/<key>/versions/<int:number>/activate", methods=["POST"])
@login_may("designer.use")
def version_activate(key: str, number: int) -> Any:
    try:
        result = editing.activate_version(key, number, g.user.id)
    except ValidationFailed as err:
        details = err.details if isinstance(err.details, dict) else {}
        problems = "; ".join(str(e.get("message")) for e in details.get("errors") or []) or err.message
        flash(f"Версия {number} не стала текущей: {problems}", "error")
    else:
        flash(f"«{process_name(key)}»: текущая версия {result.version.version}" + (
            f" (была {result.previous.version}); новые обращения пойдут по ней" if result.previous else ""), "ok")
    return redirect(url_for("designer.process_show", key=key))


def _editor(kind: str, version: Any = None, filename: str = "") -> Any:
    return render_template("designer/editor.html", kind=kind, version=version, filename=filename,
                           vendor=vendor_available(), template=samples.starter(kind) if version is None else "")


@bp.route("/edit/<int:version_id>")
@login_may("designer.use")
def diagram_edit(version_id: int) -> Any:
    version = catalog.get_version(version_id)
    return _editor(version.kind, version, version.filename)


@bp.route("/new")
@login_may("designer.use")
def diagram_new() -> Any:
    kind = "dmn" if request.args.get("kind") == "dmn" else "bpmn"
    return _editor(kind, None, f"new_process.{kind}")


@bp.route("/compare")
@login_may("designer.use")
def versions_compare() -> Any:
    try:
        old, new = (catalog.get_version(int(request.args.get(k, "0") or 0)) for k in ("old", "new"))
    except ValueError as err:
        raise ValidationFailed("укажите две версии", {"old": "number", "new": "number"}) from err
    return render_template("designer/compare.html", result=compare.compare_versions(old, new))


@bp.route("/instances/<int:instance_id>")
@login_may("designer.use")
def instance_follow(instance_id: int) -> Any:
    view = follow.instance_view(instance_id)
    return render_template("designer/instance.html", view=view, vendor=vendor_available(),
                           actors=display_names(e.actor_id for e in view.events))


@bp.route("/instances/<int:instance_id>/migrate", methods=["POST"])
@login_may("designer.use")
def instance_migrate(instance_id: int) -> Any:
    try:
        check = migration.migrate_instance(instance_id, g.user.id)
        flash(f"Экземпляр {instance_id} перенесён на версию {check.target.process_version.version}", "ok")
    except Conflict as err:
        flash(err.message, "error")
    return redirect_next(request.form.get("next"), url_for("designer.instance_follow", instance_id=instance_id))


@bp.route("/dry-run")
@login_may("designer.use")
def dry_run_page() -> Any:
    processes = [row for row in catalog.process_catalog() if row.kind == "bpmn"]
    chosen = request.args.get("process") or (processes[0].key if processes else "")
    return render_template("designer/dryrun.html", processes=processes, chosen=chosen,
                           sample=samples.sample_run(chosen), vendor=vendor_available())

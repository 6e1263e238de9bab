"""The `otklik` command: a Flask CLI group with the contract's commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from web.bot_commands import check_webhooks_at_start
from web.commands import register_domain_commands
from web.runner import run_worker, serve_all
from workflows.accounts import service as accounts
from workflows.errors import WorkflowsError
from workflows.failures.contacts import set_alert_contact
from workflows.registry import importer
from workflows.runtime import definitions
from workflows.services import services


def _create_app():  # type: ignore[no-untyped-def]
    from web.app import create_app  # web.app imports this module (init_app): a cycle at module level

    return create_app()


def _fail(err: WorkflowsError) -> None:
    click.echo(f"error: {err.message}", err=True)
    if isinstance(err.details, dict):
        for field, message in err.details.items():
            if field == "errors" and isinstance(message, list):
                for issue in message:
                    where = ", ".join(f"{k} {issue[k]}" for k in ("file", "element_id", "line") if issue.get(k))
                    where = where.replace("line ", "строка ") if "element_id" not in issue else where
                    click.echo(f"  {issue['message']}" + (f" ({where})" if where else ""), err=True)
            else:
                click.echo(f"  {field}: {message}", err=True)
    sys.exit(1)


@click.group("user")
def user_group() -> None:
    """Manage users."""


@user_group.command("create")
@click.argument("login")
@click.option("--role", required=True)
@click.option("--org", "org_id", type=int, default=None, help="organisation id")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.option("--name", "full_name", default="")
@with_appcontext
def user_create(login: str, role: str, org_id: int | None, password_stdin: bool, full_name: str) -> None:
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    try:
        user = accounts.create_user(login, role, org_id, password, full_name)
    except WorkflowsError as err:
        _fail(err)
    click.echo(f"created user {user.login} ({user.role}) id {user.id}", err=True)


@user_group.command("alerts")
@click.argument("login")
@click.argument("channel")
@click.argument("address")
@with_appcontext
def user_alerts(login: str, channel: str, address: str) -> None:
    """Send this admin's or coordinator's failure alerts to ADDRESS on CHANNEL (telegram, max, vk, email, sms)."""
    try:
        set_alert_contact(login, channel, address)
    except WorkflowsError as err:
        _fail(err)
    click.echo(f"failure alerts for {login} go to {channel} {address}", err=True)


@click.group("token")
def token_group() -> None:
    """API tokens."""


@token_group.command("create")
@click.argument("login")
@with_appcontext
def token_create(login: str) -> None:
    try:
        click.echo(accounts.create_token(login))
    except WorkflowsError as err:
        _fail(err)


@click.group("process")
def process_group() -> None:
    """Deploy and list BPMN processes and DMN decision tables."""


@process_group.command("deploy")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def process_deploy(files: tuple[Path, ...]) -> None:
    try:
        versions = definitions.deploy([(f.name, f.read_bytes()) for f in files])
    except WorkflowsError as err:
        _fail(err)
    for v in versions:
        click.echo(f"{v.kind} {v.key} version {v.version}")


@process_group.command("list")
@with_appcontext
def process_list() -> None:
    """Every version; the current one of each process is marked `current`."""
    versions = definitions.list_versions()
    current = {c.id for key in {v.key for v in versions} if (c := definitions.current_version(key)) is not None}
    for v in versions:
        mark = "\tcurrent" if v.id in current else ""
        click.echo(f"{v.kind}\t{v.key}\tv{v.version}\t{v.deployed_at.isoformat()}\t{v.filename}{mark}")


@click.group("registry")
def registry_group() -> None:
    """Import organisations and buildings (CSV, ГИС ЖКХ export shape; see docs/registry-import.md)."""


@registry_group.command("import")
@click.argument("kind", type=click.Choice(["organizations", "buildings"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def registry_import(kind: str, file: Path) -> None:
    text = file.read_bytes().decode("utf-8-sig", errors="replace")
    action = importer.import_organizations if kind == "organizations" else importer.import_buildings
    try:
        report = action(text)
    except WorkflowsError as err:
        _fail(err)
    click.echo(f"{kind}: создано {report.created}, обновлено {report.updated}")


@click.command("worker")
@click.option("--workers", default=4, show_default=True,
              help="threads for queued tasks; delivery sends through its own loop per channel")
@with_appcontext
def worker(workers: int) -> None:
    """Run the background worker: huey consumer with timer and outbox sweeps."""
    run_worker(services().huey, workers, current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-worker", is_flag=True, help="web only; run `otklik worker` separately")
@click.option("--web-workers", default=2, show_default=True, help="web processes")
@click.option("--web-threads", default=4, show_default=True, help="threads per web process")
def serve(host: str, port: int, no_worker: bool, web_workers: int, web_threads: int) -> None:
    """Web server and background worker: everything a single machine needs."""
    check_webhooks_at_start()
    serve_all(host, port, with_worker=not no_worker, web_workers=web_workers, web_threads=web_threads)


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI, so `otklik X` and `flask --app wsgi X` are the same."""
    for command in (user_group, token_group, process_group, registry_group, worker, serve):
        app.cli.add_command(command)
    register_domain_commands(app.cli)


def main() -> None:
    cli = FlaskGroup(name="otklik", create_app=_create_app, add_version_option=False,
                     help="Otklik: housing and utility appeals and outage notices.")
    cli(prog_name="otklik")

"""Domain commands of the `otklik` CLI: demo data and social-post classification."""
from __future__ import annotations

import json
import sys

import click
from flask.cli import with_appcontext


@click.group("demo")
def demo_group() -> None:
    """The demo city."""


@demo_group.command("load")
@click.option("--buildings", default=500, show_default=True)
@click.option("--history-days", default=30, show_default=True,
              help="days of the city's life written by running the processes with a fake clock (0: none)")
@with_appcontext
def demo_load(buildings: int, history_days: int) -> None:
    from workflows.demo import load_demo

    logins = load_demo(buildings=buildings, history_days=history_days)
    click.echo("Демо-город загружен. Входы (логин / пароль):")
    for login, password, role in logins:
        click.echo(f"  {login:<22} {password:<16} {role}")


@click.group("social")
def social_group() -> None:
    """Social-network posts."""


@social_group.command("classify")
@with_appcontext
def social_classify() -> None:
    """Read JSON lines {"id", "text"} on stdin; write one analysis per line."""
    from workflows.social_intake import classify_stdin

    classify_stdin(sys.stdin, sys.stdout)


@social_group.command("retrain")
@with_appcontext
def social_retrain() -> None:
    """Rebuild the post model from the shipped labelled posts plus ЦГДС decisions; print held-out figures."""
    from workflows.social_intake.learning import retrain

    run = retrain()
    click.echo(f"trained on {run.shipped_examples} shipped + {run.stored_examples} stored examples "
               f"in {run.seconds}s -> {run.model_path}", err=True)
    click.echo(json.dumps(run.figures, ensure_ascii=False))


@social_group.command("poll")
@click.argument("source_id", type=int)
@with_appcontext
def social_poll(source_id: int) -> None:
    """Poll one source now (what the worker does on its schedule)."""
    from workflows.social_intake.polling import poll_source

    click.echo(json.dumps(poll_source(source_id), ensure_ascii=False))


def register_domain_commands(cli: click.Group) -> None:
    cli.add_command(demo_group)
    cli.add_command(social_group)
    from web.bot_commands import bot_group

    cli.add_command(bot_group)

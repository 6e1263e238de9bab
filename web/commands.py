"""Domain commands of the `otklik` CLI: demo data and social-post classification."""
from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask.cli import with_appcontext

from web.bot_commands import bot_group
from workflows import clock
from workflows.demo import load_demo
from workflows.digest.report import report_week_before
from workflows.digest.service import send_weekly_digest, subscribe
from workflows.social_intake.classify import classify_stdin
from workflows.social_intake.learning import retrain
from workflows.social_intake.polling import poll_source
from workflows.stats.period import week_of
from workflows.stats.tracking import rebuild


@click.group("demo")
def demo_group() -> None:
    """The demo city."""


@demo_group.command("load")
@click.option("--buildings", default=500, show_default=True)
@click.option("--history-days", default=30, show_default=True,
              help="days of the city's life written by running the processes with a fake clock (0: none)")
@with_appcontext
def demo_load(buildings: int, history_days: int) -> None:
    logins = load_demo(buildings=buildings, history_days=history_days)
    click.echo("Демо-город загружен. Входы (логин / пароль):")
    for login, password, role in logins:
        click.echo(f"  {login:<22} {password:<16} {role}")


@click.group("digest")
def digest_group() -> None:
    """The weekly digest for the city administration and the heads of organisations."""


@digest_group.command("subscribe")
@click.argument("login")
@click.option("--channel", required=True, help="email, telegram, max, vk or sms")
@click.option("--address", required=True, help="e-mail, chat id or phone")
@with_appcontext
def digest_subscribe(login: str, channel: str, address: str) -> None:
    subscribe(login, channel, address)
    click.echo(f"{login} получает еженедельный отчёт: {channel} {address}")


@digest_group.command("send")
@click.option("--week", default="", help="any day of the week (YYYY-MM-DD); by default the last full week")
@with_appcontext
def digest_send(week: str) -> None:
    period = week_of(date.fromisoformat(week)) if week else report_week_before(clock.now())
    sent = send_weekly_digest(period)
    click.echo(f"отчёт за неделю с {period.first.isoformat()}: сообщений в очереди {sent}" if sent
               else f"отчёт за неделю с {period.first.isoformat()} уже отправлен или некому отправлять")


@click.group("stats")
def stats_group() -> None:
    """The figures of appeals."""


@stats_group.command("rebuild")
@with_appcontext
def stats_rebuild() -> None:
    """Recompute the per-appeal figures table from the appeals and their history (after an upgrade)."""
    click.echo(f"пересчитано обращений: {rebuild()}")


@click.group("social")
def social_group() -> None:
    """Social-network posts."""


@social_group.command("classify")
@with_appcontext
def social_classify() -> None:
    """Read JSON lines {"id", "text"} on stdin; write one analysis per line."""
    classify_stdin(sys.stdin, sys.stdout)


@social_group.command("retrain")
@with_appcontext
def social_retrain() -> None:
    """Rebuild the post model from the shipped labelled posts plus ЦГДС decisions; print held-out figures."""
    run = retrain()
    click.echo(f"trained on {run.shipped_examples} shipped + {run.stored_examples} stored examples "
               f"in {run.seconds}s -> {run.model_path}", err=True)
    click.echo(json.dumps(run.figures, ensure_ascii=False))


@social_group.command("poll")
@click.argument("source_id", type=int)
@with_appcontext
def social_poll(source_id: int) -> None:
    """Poll one source now (what the worker does on its schedule)."""
    click.echo(json.dumps(poll_source(source_id), ensure_ascii=False))


def register_domain_commands(cli: click.Group) -> None:
    cli.add_command(demo_group)
    cli.add_command(digest_group)
    cli.add_command(stats_group)
    cli.add_command(social_group)
    cli.add_command(bot_group)

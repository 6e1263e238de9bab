"""`otklik bot poll` (long polling, for deployments without webhooks) and `otklik bot subscribe`."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import ScriptInfo, with_appcontext

from connectors import ConnectorNotConfigured
from workflows.delivery import poll
from workflows.delivery.subscribe import ensure_webhooks


@click.group("bot")
def bot_group() -> None:
    """Messenger bots."""


@bot_group.command("poll")
@click.option("--channel", type=click.Choice(["telegram", "max"]), default="telegram", show_default=True)
@click.option("--once", is_flag=True, help="fetch one batch of updates and exit")
@with_appcontext
def bot_poll(channel: str, once: bool) -> None:
    """Receive updates by long polling; each is stored once and handled by the worker."""
    try:
        received = poll(channel, once=once)
    except ConnectorNotConfigured as err:
        raise click.ClickException(str(err)) from err
    except KeyboardInterrupt:
        return
    click.echo(f"{channel}: получено обновлений: {received}", err=True)


@bot_group.command("subscribe")
@click.option("--force", is_flag=True, help="register again even if the messenger already sends there")
@with_appcontext
def bot_subscribe(force: bool) -> None:
    """Register the Telegram and MAX webhooks at OTKLIK_PUBLIC_URL with their secrets."""
    outcomes = ensure_webhooks(current_app.config, force=force)
    for outcome in outcomes:
        click.echo(f"{outcome.channel}: {outcome.text}")
    if not any(outcome.ok for outcome in outcomes):
        raise SystemExit(1)


def check_webhooks_at_start() -> None:
    """`otklik serve`: with OTKLIK_PUBLIC_URL set, make sure the webhooks point here (best effort)."""
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    if not app.config.get("PUBLIC_URL"):
        return
    with app.app_context():
        for outcome in ensure_webhooks(app.config):
            click.echo(f"вебхук {outcome.channel}: {outcome.text}", err=True)

"""`otklik bot poll`: long polling of the messenger bots, for deployments without webhooks."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("bot")
def bot_group() -> None:
    """Messenger bots."""


@bot_group.command("poll")
@click.option("--channel", type=click.Choice(["telegram", "max"]), default="telegram", show_default=True)
@click.option("--once", is_flag=True, help="fetch one batch of updates and exit")
@with_appcontext
def bot_poll(channel: str, once: bool) -> None:
    """Receive updates by long polling; each is stored once and handled by the worker."""
    from connectors import ConnectorNotConfigured
    from workflows.delivery import poll

    try:
        received = poll(channel, once=once)
    except ConnectorNotConfigured as err:
        raise click.ClickException(str(err)) from err
    except KeyboardInterrupt:
        return
    click.echo(f"{channel}: получено обновлений: {received}", err=True)

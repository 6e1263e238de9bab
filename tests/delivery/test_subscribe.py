"""`otklik bot subscribe`: the Telegram and MAX webhooks are registered at the public URL with their secrets."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import make_app
from tests.delivery.helpers import fake_settings
from tests.fakes.max_api import FakeMax
from tests.fakes.telegram_api import FakeTelegram


def _app(tmp_path: Path, telegram: FakeTelegram, max_api: FakeMax, **extra: object):  # type: ignore[no-untyped-def]
    secrets = {"TELEGRAM_WEBHOOK_SECRET": "tg-secret", "MAX_WEBHOOK_SECRET": "max-secret", **extra}
    return make_app(tmp_path, **fake_settings(telegram), **fake_settings(max_api, "max"), **secrets)


def test_subscribe_registers_both_webhooks_once(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    app = _app(tmp_path, fake_telegram, fake_max, PUBLIC_URL="https://otklik.tambov.example/")
    runner = app.test_cli_runner()

    first = runner.invoke(args=["bot", "subscribe"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        "telegram: вебхук зарегистрирован: https://otklik.tambov.example/webhooks/telegram",
        "max: вебхук зарегистрирован: https://otklik.tambov.example/webhooks/max"]
    assert (fake_telegram.webhook["url"], fake_telegram.webhook["secret_token"]) == (
        "https://otklik.tambov.example/webhooks/telegram", "tg-secret")
    assert "my_chat_member" in fake_telegram.webhook["allowed_updates"]
    [subscription] = fake_max.subscriptions
    assert (subscription["url"], subscription["secret"]) == ("https://otklik.tambov.example/webhooks/max", "max-secret")
    assert "bot_stopped" in subscription["update_types"]

    again = runner.invoke(args=["bot", "subscribe"])
    assert "max: вебхук уже зарегистрирован" in again.output
    assert fake_max.calls("POST /subscriptions") == 1


def test_without_a_public_https_url_nothing_is_registered(
        tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    unset = _app(tmp_path, fake_telegram, fake_max).test_cli_runner().invoke(args=["bot", "subscribe"])
    assert unset.exit_code == 1
    assert "не задан OTKLIK_PUBLIC_URL" in unset.output
    plain = _app(tmp_path, fake_telegram, fake_max, PUBLIC_URL="http://otklik.local").test_cli_runner().invoke(
        args=["bot", "subscribe"])
    assert plain.exit_code == 1 and "только по HTTPS" in plain.output
    assert fake_max.subscriptions == [] and fake_telegram.webhook == {}


def test_a_channel_without_its_secret_is_left_alone(tmp_path: Path, fake_telegram: FakeTelegram,
                                                    fake_max: FakeMax) -> None:
    app = _app(tmp_path, fake_telegram, fake_max, PUBLIC_URL="https://otklik.tambov.example",
               MAX_WEBHOOK_SECRET="")
    result = app.test_cli_runner().invoke(args=["bot", "subscribe"])
    assert result.exit_code == 0
    assert "max: не задан OTKLIK_MAX_WEBHOOK_SECRET" in result.output
    assert fake_max.subscriptions == [] and fake_telegram.webhook["url"].endswith("/webhooks/telegram")


def test_serve_checks_the_webhooks_at_start(tmp_path: Path, fake_telegram: FakeTelegram, fake_max: FakeMax) -> None:
    import click

    from web.bot_commands import check_webhooks_at_start

    app = _app(tmp_path, fake_telegram, fake_max, PUBLIC_URL="https://otklik.tambov.example")
    app.cli.add_command(click.Command("probe", callback=check_webhooks_at_start))  # what `otklik serve` runs first
    result = app.test_cli_runner().invoke(args=["probe"])
    assert result.exit_code == 0, result.output
    assert "вебхук max: вебхук зарегистрирован: https://otklik.tambov.example/webhooks/max" in result.output
    assert fake_max.subscriptions[0]["url"] == "https://otklik.tambov.example/webhooks/max"

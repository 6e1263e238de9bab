"""The channel table and the factory."""

from __future__ import annotations

from typing import Any

import pytest

from connectors import CONNECTORS, Connector, ConnectorNotConfigured, OutgoingMessage, build_connector


def test_every_contract_channel_has_a_connector():
    assert set(CONNECTORS) == {"telegram", "max", "vk", "email", "sms", "webhook"}


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(
    ("channel", "address"),
    [("telegram", "3001"), ("max", "3001"), ("vk", "3001"), ("sms", "+79003001000"), ("email", "r@example.org")],
)
def test_build_connector_sends_through_each_fake(fake_settings: dict[str, Any], channel: str, address: str):
    connector = build_connector(channel, fake_settings)
    try:
        assert isinstance(connector, Connector)
        assert connector.channel == channel
        result = connector.send(OutgoingMessage(address, "Проверка", idempotency_key=f"{channel}:1"))
    finally:
        connector.close()
    assert result.message_id


@pytest.mark.parametrize(
    ("channel", "missing"),
    [
        ("telegram", "TELEGRAM_TOKEN"),
        ("max", "MAX_TOKEN"),
        ("vk", "VK_TOKEN"),
        ("email", "SMTP_URL"),
        ("sms", "SMS_API_KEY"),
    ],
)
def test_missing_token_is_not_configured(channel: str, missing: str):
    with pytest.raises(ConnectorNotConfigured, match=f"OTKLIK_{missing}") as caught:
        build_connector(channel, {"TELEGRAM_TOKEN": "", "MAX_API_URL": "http://x"})
    assert caught.value.channel == channel and caught.value.missing == missing


def test_unknown_channel_is_refused():
    with pytest.raises(ValueError, match="fax"):
        build_connector("fax", {})


def test_defaults_point_at_the_public_apis():
    connector: Any = build_connector("telegram", {"TELEGRAM_TOKEN": "1:x"})
    assert connector.api_url == "https://api.telegram.org"
    assert build_connector("max", {"MAX_TOKEN": "t"}).api_url == "https://platform-api2.max.ru"  # type: ignore[attr-defined]

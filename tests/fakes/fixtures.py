"""Pytest fixtures that start a fake per test and stop it afterwards.

Use from a conftest: ``from tests.fakes.fixtures import fake_telegram, fake_max  # noqa: F401``.
Each ``*_settings`` fixture is the connector settings mapping pointing at its fake.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.max_api import FakeMax
from tests.fakes.sms_gateway import FakeSmsGateway
from tests.fakes.smtp_server import FakeSmtpServer
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.vk_api import FakeVk


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
def fake_max() -> Iterator[FakeMax]:
    with FakeMax() as fake:
        yield fake


@pytest.fixture
def fake_vk() -> Iterator[FakeVk]:
    with FakeVk() as fake:
        yield fake


@pytest.fixture
def fake_sms() -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway() as fake:
        yield fake


@pytest.fixture
def fake_smtp() -> Iterator[FakeSmtpServer]:
    with FakeSmtpServer(user="otklik", password="secret") as fake:
        yield fake


@pytest.fixture
def fake_settings(
    fake_telegram: FakeTelegram,
    fake_max: FakeMax,
    fake_vk: FakeVk,
    fake_sms: FakeSmsGateway,
    fake_smtp: FakeSmtpServer,
) -> dict[str, Any]:
    """Settings for every channel at once (keys as the contract's env names without OTKLIK_)."""
    return {
        "TELEGRAM_TOKEN": fake_telegram.token,
        "TELEGRAM_API_URL": fake_telegram.url,
        "MAX_TOKEN": fake_max.token,
        "MAX_API_URL": fake_max.url,
        "VK_TOKEN": fake_vk.token,
        "VK_API_URL": fake_vk.url,
        "SMS_API_URL": fake_sms.url,
        "SMS_API_KEY": fake_sms.api_key,
        "SMTP_URL": fake_smtp.url + "?from=otklik@example.org",
        "TELEGRAM_TIMEOUT": 2,
        "MAX_TIMEOUT": 2,
        "VK_TIMEOUT": 2,
        "SMS_TIMEOUT": 2,
        "SMTP_TIMEOUT": 2,
    }

"""In-repo fake servers for the messenger and fallback channels, real HTTP/SMTP on 127.0.0.1.

    from tests.fakes import FakeTelegram, faults
    with FakeTelegram() as tg:
        tg.fail(faults.BLOCKED, chat=42, times=1)
        ...  # send through connectors with TELEGRAM_API_URL=tg.url, TELEGRAM_TOKEN=tg.token
        assert tg.messages_to(43)[0].buttons == (("Принято", "ack:1"),)

Pytest fixtures (``fake_telegram``, ``fake_max``, ``fake_vk``, ``fake_sms``, ``fake_smtp``) are in
``tests.fakes.fixtures``; import them into a conftest.
"""

from tests.fakes import faults
from tests.fakes.faults import Fault
from tests.fakes.http_server import FakeHttpServer
from tests.fakes.max_api import FakeMax
from tests.fakes.recorder import FakeButton, RecordedMessage
from tests.fakes.sms_gateway import FakeSmsGateway
from tests.fakes.smtp_server import FakeSmtpServer, ReceivedMail
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.vk_api import FakeVk

__all__ = [
    "FakeButton",
    "FakeHttpServer",
    "FakeMax",
    "FakeSmsGateway",
    "FakeSmtpServer",
    "FakeTelegram",
    "FakeVk",
    "Fault",
    "ReceivedMail",
    "RecordedMessage",
    "faults",
]

"""Item 4 of issue 14: webhook targets on internal addresses are refused at subscription and at delivery."""
from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from connectors.base import OutgoingMessage, RecipientUnreachable, TemporaryFailure
from connectors.targets import check_target
from connectors.webhook import WebhookConnector
from tests.api.receiver import WebhookReceiver
from tests.appeals.city import City
from tests.web.helpers import user_with_token
from workflows.db import db
from workflows.integrations.models import WebhookSubscription

INTERNAL = ["http://127.0.0.1:6379/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
            "http://2130706433/", "http://0.0.0.0/", "http://10.0.0.5/hook", "http://[::ffff:127.0.0.1]/",
            "http://localhost:8000/", "http://224.0.0.1/", "ftp://93.184.216.34/", "http://user:pw@93.184.216.34/"]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as fake:
        yield fake


def test_internal_targets_are_refused_at_subscription(client: FlaskClient, city: City) -> None:
    staff = user_with_token("uk1-staff", "org_staff", city.uk1)
    for url in INTERNAL:
        answer = client.post("/api/v1/webhooks", json={"url": url, "events": ["appeal.assigned"]}, headers=staff)
        assert answer.status_code == 422 and "url" in answer.get_json()["details"], url
    assert db.session.scalar(select(func.count(WebhookSubscription.id))) == 0
    public = client.post("/api/v1/webhooks", json={"url": "https://93.184.216.34/hook", "events": ["appeal.assigned"]},
                         headers=staff)
    assert public.status_code == 201


def _rebinding(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    """hooks.example.org now resolves to `address` (what a rebinding DNS server answers the second time)."""
    real = socket.getaddrinfo

    def fake(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "hooks.example.org":
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)


def test_a_name_that_rebinds_to_loopback_is_refused_at_delivery(
        monkeypatch: pytest.MonkeyPatch, receiver: WebhookReceiver) -> None:
    _rebinding(monkeypatch, "127.0.0.1")
    port = receiver.url.rsplit(":", 1)[1].split("/")[0]
    connector = WebhookConnector(timeout=2)
    attempt = connector.attempt(OutgoingMessage(address=f"http://hooks.example.org:{port}/", text="{}"))
    assert isinstance(attempt.error, RecipientUnreachable) and "внутреннюю сеть" in attempt.error.reason
    assert receiver.received == []
    direct = connector.attempt(OutgoingMessage(address=receiver.url, text="{}"))
    assert isinstance(direct.error, RecipientUnreachable) and receiver.received == []


def test_delivery_connects_to_the_address_that_was_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    _rebinding(monkeypatch, "93.184.216.34")
    target = check_target("https://hooks.example.org/otklik?x=1")
    assert target.pinned_url() == "https://93.184.216.34:443/otklik?x=1"
    assert target.host_header() == "hooks.example.org"


def test_delivery_errors_do_not_reveal_internal_hosts_or_ports() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    connector = WebhookConnector(timeout=2, allow_private=True)
    attempt = connector.attempt(OutgoingMessage(address=f"http://127.0.0.1:{port}/", text="{}"))
    assert isinstance(attempt.error, TemporaryFailure)
    assert str(port) not in attempt.error.reason and "127.0.0.1" not in attempt.error.reason

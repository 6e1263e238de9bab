"""MAX over TLS: the new host's defaults, the Минцифры trust anchors, and a local HTTPS fake with a test chain."""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from connectors import AuthenticationFailed, ConnectorNotConfigured, OutgoingMessage, TemporaryFailure
from connectors.max_bot import DEFAULT_API_URL, MaxConnector
from connectors.polling import MaxPoller
from connectors.tls import BUNDLED_MAX_CAS, ca_files, default_context, max_ssl_context
from tests.fakes import FakeMax
from tests.fakes.tls import Pki, make_pki

# Documented in connectors/certs/README.md; a changed PEM must fail here.
FINGERPRINTS = {
    "russian_trusted_root_ca.pem": "D26D2D0231B7C39F92CC738512BA54103519E4405D68B5BD703E9788CA8ECF31",
    "russian_trusted_sub_ca.pem": "BBBDE2103E790B999EC62BD03CF625A5A2E7C316E10AFE6A490EEDEAD8B3FD9B",
}


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def tls_max(pki: Pki) -> Iterator[FakeMax]:
    fake = FakeMax()
    fake.tls = pki.server_context()
    with fake:
        yield fake


def _settings(fake: FakeMax, **extra: object) -> dict[str, object]:
    return {"MAX_TOKEN": fake.token, "MAX_API_URL": fake.url, "MAX_TIMEOUT": 2, **extra}


def test_max_defaults_to_the_new_host() -> None:
    assert DEFAULT_API_URL == "https://platform-api2.max.ru"
    connector = MaxConnector.from_settings({"MAX_TOKEN": "t"})
    assert connector.api_url == "https://platform-api2.max.ru"
    connector.close()


@pytest.mark.parametrize("path", BUNDLED_MAX_CAS, ids=lambda p: p.name)
def test_bundled_pems_are_the_documented_certificates(path: Path) -> None:
    der = ssl.PEM_cert_to_DER_cert(path.read_text())
    assert hashlib.sha256(der).hexdigest().upper() == FINGERPRINTS[path.name]


def test_the_max_context_trusts_the_russian_root_on_top_of_certifi() -> None:
    context = max_ssl_context({})
    subjects = {dict(item[0] for item in ca["subject"]).get("commonName") for ca in context.get_ca_certs()}
    assert {"Russian Trusted Root CA", "Russian Trusted Sub CA"} <= subjects
    assert len(subjects) > 100  # certifi's public roots are still there
    plain = {dict(item[0] for item in ca["subject"]).get("commonName") for ca in default_context().get_ca_certs()}
    assert "Russian Trusted Root CA" not in plain


def test_a_notice_reaches_max_over_tls_with_the_ca_file(tls_max: FakeMax, pki: Pki) -> None:
    connector = MaxConnector.from_settings(_settings(tls_max, MAX_CA_FILE=str(pki.bundle_pem)))
    try:
        result = connector.send(OutgoingMessage("chat:-500", "Отключение воды"))
    finally:
        connector.close()
    [received] = tls_max.messages_to(-500)
    assert tls_max.url.startswith("https://")
    assert (received.text, result.message_id) == ("Отключение воды", received.message_id)


def test_the_default_context_refuses_the_test_chain(tls_max: FakeMax, pki: Pki) -> None:
    connector = MaxConnector.from_settings(_settings(tls_max))  # certifi + the real Минцифры PEMs
    with pytest.raises(TemporaryFailure, match="CERTIFICATE_VERIFY_FAILED"):
        connector.send(OutgoingMessage("chat:-500", "Отключение воды"))
    connector.close()
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"), \
            httpx.Client(verify=default_context()) as client:
        client.get(f"{tls_max.url}/me", headers={"Authorization": tls_max.token})
    assert tls_max.messages_to(-500) == []


def test_the_root_alone_is_not_enough_when_the_server_sends_no_chain(tls_max: FakeMax, pki: Pki) -> None:
    connector = MaxConnector.from_settings(_settings(tls_max, MAX_CA_FILE=str(pki.root_pem)))
    with pytest.raises(TemporaryFailure, match="CERTIFICATE_VERIFY_FAILED"):
        connector.send(OutgoingMessage("chat:-500", "Отключение воды"))
    connector.close()


def test_polling_and_callback_answers_use_the_same_context(tls_max: FakeMax, pki: Pki) -> None:
    tls_max.push_message(301, "Нет воды")
    poller = MaxPoller.from_settings(_settings(tls_max, MAX_CA_FILE=str(pki.bundle_pem)), poll_timeout=0)
    try:
        answer = poller.fetch(None)
        poller.answer_callback("cb.1", "Принято")
    finally:
        poller.close()
    assert [u["message"]["body"]["text"] for u in answer.updates] == ["Нет воды"]
    assert tls_max.answered_callbacks[0]["callback_id"] == "cb.1"


def test_a_missing_ca_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConnectorNotConfigured, match="OTKLIK_MAX_CA_FILE"):
        ca_files({"MAX_CA_FILE": str(tmp_path / "absent.pem")})
    broken = tmp_path / "broken.pem"
    broken.write_text("not a certificate")
    with pytest.raises(ConnectorNotConfigured, match="cannot read CA file"):
        max_ssl_context({"MAX_CA_FILE": str(broken)})


def test_a_redirect_from_a_retired_host_stops_the_channel_not_the_recipient(pki: Pki) -> None:
    with FakeMax(retired_to="https://platform-api2.max.ru") as old_host:
        connector = MaxConnector.from_settings(_settings(old_host))
        with pytest.raises(AuthenticationFailed, match="moved to https://platform-api2.max.ru"):
            connector.send(OutgoingMessage("user:301", "Текст"))
        connector.close()
    assert old_host.all_messages() == []

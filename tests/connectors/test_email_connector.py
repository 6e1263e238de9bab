"""The e-mail connector against a small local SMTP server."""

from __future__ import annotations

import pytest

from connectors import (
    Attachment,
    AuthenticationFailed,
    Button,
    ConnectorNotConfigured,
    OutgoingMessage,
    RecipientUnreachable,
    TemporaryFailure,
)
from connectors.mail import EmailConnector, parse_smtp_url
from tests.fakes import FakeSmtpServer


def connector_for(smtp: FakeSmtpServer, url: str | None = None, timeout: float = 2) -> EmailConnector:
    return EmailConnector.from_settings(
        {"SMTP_URL": url or smtp.url, "SMTP_FROM": "otklik@example.org", "SMTP_TIMEOUT": timeout}
    )


def test_mail_is_delivered_with_subject_and_text(fake_smtp: FakeSmtpServer):
    message = OutgoingMessage(
        "chair@example.org",
        "Отключение горячей воды 12.03 с 9:00 до 17:00",
        (Button("Принято", "ack:1"),),
        idempotency_key="notice-1:rep-1",
        subject="Плановое отключение",
    )
    result = connector_for(fake_smtp).send(message)

    [mail] = fake_smtp.mails_to("chair@example.org")
    assert mail.mail_from == "otklik@example.org"
    assert mail.message["Subject"] == "Плановое отключение"
    assert "Отключение горячей воды" in mail.message.get_content()
    assert mail.message["Message-ID"] == result.message_id


def test_message_id_is_stable_for_one_idempotency_key(fake_smtp: FakeSmtpServer):
    connector = connector_for(fake_smtp)
    first = connector.send(OutgoingMessage("a@example.org", "x", idempotency_key="k1"))
    second = connector.send(OutgoingMessage("a@example.org", "x", idempotency_key="k1"))
    assert first.message_id == second.message_id


def test_attachments_travel_as_mime_parts_with_their_names(fake_smtp: FakeSmtpServer):
    data = bytes(range(256)) * 4
    connector_for(fake_smtp).send(OutgoingMessage(
        "c@example.org", "Отчёт во вложении", attachments=(Attachment("отчёт.xlsx", "application/zip", data),)))
    [mail] = fake_smtp.mails_to("c@example.org")
    assert "Отчёт во вложении" in mail.message.get_body(("plain",)).get_content()
    [part] = list(mail.message.iter_attachments())
    assert (part.get_filename(), part.get_content_type()) == ("отчёт.xlsx", "application/zip")
    assert part.get_payload(decode=True) == data


def test_subject_defaults_to_the_first_line(fake_smtp: FakeSmtpServer):
    connector_for(fake_smtp).send(OutgoingMessage("b@example.org", "Авария\nподробности"))
    assert fake_smtp.mails_to("b@example.org")[0].message["Subject"] == "Авария"


def test_refused_mailbox_is_recipient_unreachable(fake_smtp: FakeSmtpServer):
    fake_smtp.reject("gone@example.org")
    with pytest.raises(RecipientUnreachable):
        connector_for(fake_smtp).send(OutgoingMessage("gone@example.org", "x"))


def test_greylisting_is_temporary(fake_smtp: FakeSmtpServer):
    fake_smtp.fail_next("rcpt", 451, "4.7.1 greylisted")
    with pytest.raises(TemporaryFailure):
        connector_for(fake_smtp).send(OutgoingMessage("c@example.org", "x"))


def test_data_refused_temporarily_is_temporary(fake_smtp: FakeSmtpServer):
    fake_smtp.fail_next("data", 452, "insufficient storage")
    with pytest.raises(TemporaryFailure):
        connector_for(fake_smtp).send(OutgoingMessage("d@example.org", "x"))


def test_wrong_password_is_authentication_failure(fake_smtp: FakeSmtpServer):
    url = f"smtp://otklik:wrong@127.0.0.1:{fake_smtp.port}"
    with pytest.raises(AuthenticationFailed):
        connector_for(fake_smtp, url).send(OutgoingMessage("e@example.org", "x"))


def test_silent_server_is_a_temporary_timeout(fake_smtp: FakeSmtpServer):
    fake_smtp.greeting_delay = 5
    with pytest.raises(TemporaryFailure):
        connector_for(fake_smtp, timeout=0.3).send(OutgoingMessage("f@example.org", "x"))


def test_closed_port_is_temporary():
    connector = EmailConnector(parse_smtp_url("smtp://127.0.0.1:1"), timeout=1)
    with pytest.raises(TemporaryFailure):
        connector.send(OutgoingMessage("g@example.org", "x"))


def test_not_an_address_is_recipient_unreachable(fake_smtp: FakeSmtpServer):
    with pytest.raises(RecipientUnreachable):
        connector_for(fake_smtp).send(OutgoingMessage("79001234567", "x"))
    assert fake_smtp.mails == []


def test_smtp_url_forms():
    plain = parse_smtp_url("smtp://user%40city.ru:p%40ss@mail.city.ru:25")
    assert (plain.user, plain.password, plain.starttls, plain.tls, plain.sender) == (
        "user@city.ru",
        "p@ss",
        False,
        False,
        "user@city.ru",
    )
    assert parse_smtp_url("smtp://u:p@mail.city.ru:587").starttls
    assert parse_smtp_url("smtp+starttls://mail.city.ru").port == 587
    secure = parse_smtp_url("smtps://mail.city.ru?from=otklik@city.ru")
    assert (secure.tls, secure.port, secure.sender) == (True, 465, "otklik@city.ru")
    assert parse_smtp_url("smtp://mail.city.ru").sender == "noreply@mail.city.ru"


def test_bad_smtp_url_is_not_configured():
    with pytest.raises(ConnectorNotConfigured, match="SMTP_URL"):
        EmailConnector.from_settings({"SMTP_URL": "http://mail.city.ru"})

"""A minimal SMTP server on 127.0.0.1 (random port) that records what it is given.

Speaks EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS.  Tests steer it
with ``reject(address)`` (RCPT answered 550 or any code), ``fail_next(stage, code)`` for the next
MAIL/RCPT/DATA, and ``greeting_delay`` to make clients time out.
"""

from __future__ import annotations

import base64
import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage = field(repr=False)


class FakeSmtpServer:
    """``with FakeSmtpServer(user="u", password="p") as smtp:``; ``smtp.url`` is an ``SMTP_URL``."""

    def __init__(self, user: str = "", password: str = "") -> None:
        self.user = user
        self.password = password
        self.mails: list[ReceivedMail] = []
        self.rejected: dict[str, tuple[int, str]] = {}
        self.greeting_delay = 0.0
        self._next: dict[str, list[tuple[int, str]]] = {"mail": [], "rcpt": [], "data": []}
        self._lock = threading.Lock()
        self._server: socketserver.ThreadingTCPServer | None = None
        self.stopping = threading.Event()

    def start(self) -> FakeSmtpServer:
        server = _Server(("127.0.0.1", 0), _SmtpHandler)
        server.fake = self
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeSmtpServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "fake SMTP server not started"
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        credentials = f"{self.user}:{self.password}@" if self.user else ""
        return f"smtp://{credentials}127.0.0.1:{self.port}"

    def reject(self, address: str, code: int = 550, text: str = "5.1.1 mailbox unavailable") -> None:
        self.rejected[address.lower()] = (code, text)

    def fail_next(self, stage: str, code: int, text: str = "try again later") -> None:
        with self._lock:
            self._next[stage].append((code, text))

    def take_failure(self, stage: str) -> tuple[int, str] | None:
        with self._lock:
            return self._next[stage].pop(0) if self._next[stage] else None

    def record(self, mail: ReceivedMail) -> None:
        with self._lock:
            self.mails.append(mail)

    def mails_to(self, address: str) -> list[ReceivedMail]:
        with self._lock:
            return [m for m in self.mails if address.lower() in (r.lower() for r in m.rcpt_tos)]


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeSmtpServer


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        fake = self.server.fake
        if fake.greeting_delay and fake.stopping.wait(fake.greeting_delay):
            return
        self.reply(220, "fake.otklik ESMTP")
        self.envelope: dict[str, Any] = {"from": "", "to": []}
        while not fake.stopping.is_set():
            line = self.rfile.readline()
            if not line:
                return
            verb, _, argument = line.decode(errors="replace").rstrip("\r\n").partition(" ")
            if not self.command(verb.upper(), argument):
                return

    def command(self, verb: str, argument: str) -> bool:
        """Answer one command; False ends the conversation."""
        fake = self.server.fake
        if verb == "EHLO":
            self.wfile.write(b"250-fake.otklik\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN\r\n250 SMTPUTF8\r\n")
        elif verb == "AUTH":
            self.auth(argument)
        elif verb == "MAIL":
            failure = fake.take_failure("mail")
            self.envelope = {"from": _address(argument), "to": []}
            self.reply(*(failure or (250, "OK")))
        elif verb == "RCPT":
            self.rcpt(_address(argument))
        elif verb == "DATA":
            self.data()
        elif verb == "QUIT":
            self.reply(221, "bye")
            return False
        elif verb in {"HELO", "RSET", "NOOP"}:
            self.reply(250, "OK")
        else:
            self.reply(502, "command not implemented")
        return True

    def auth(self, argument: str) -> None:
        fake = self.server.fake
        mechanism, _, initial = argument.partition(" ")
        if mechanism.upper() == "PLAIN":
            _, user, password = base64.b64decode(initial or self.ask("")).decode().split("\0")
        else:
            user = base64.b64decode(initial or self.ask("VXNlcm5hbWU6")).decode()
            password = base64.b64decode(self.ask("UGFzc3dvcmQ6")).decode()
        ok = (user, password) == (fake.user, fake.password)
        self.reply(*((235, "2.7.0 authenticated") if ok else (535, "5.7.8 authentication failed")))

    def ask(self, challenge: str) -> str:
        self.reply(334, challenge)
        return self.rfile.readline().decode().strip()

    def rcpt(self, address: str) -> None:
        fake = self.server.fake
        failure = fake.take_failure("rcpt") or fake.rejected.get(address.lower())
        if failure is None:
            self.envelope["to"].append(address)
        self.reply(*(failure or (250, "OK")))

    def data(self) -> None:
        self.reply(354, "end data with <CR><LF>.<CR><LF>")
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        failure = self.server.fake.take_failure("data")
        if failure:
            self.reply(*failure)
            return
        data = b"".join(lines)
        message = cast(EmailMessage, message_from_bytes(data, policy=policy.default))
        self.server.fake.record(ReceivedMail(self.envelope["from"], list(self.envelope["to"]), data, message))
        self.reply(250, "OK queued")

    def reply(self, code: int, text: str) -> None:
        self.wfile.write(f"{code} {text}\r\n".encode())


def _address(argument: str) -> str:
    _, _, rest = argument.partition(":")
    return rest.strip().split(" ")[0].strip("<>")

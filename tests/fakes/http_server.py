"""A real HTTP server on 127.0.0.1 (random port) that fakes subclass with ``handle``.

Start it with ``with FakeX() as fake:`` or ``fake.start()`` / ``fake.stop()``; ``fake.url`` is the
base URL to hand to the connector.  Every fake shares the failure and recording helpers defined
here: ``fail(...)``, ``clear_faults()``, ``messages_to(chat)``, ``all_messages()``,
``max_per_second()``, ``count_429``.
"""

from __future__ import annotations

import json
import ssl
import threading
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.faults import HANG, SLOW, Fault, FaultBook
from tests.fakes.ratelimit import SlidingWindows
from tests.fakes.recorder import RecordedMessage, Recorder

DEFAULT_HANG_SECONDS = 30.0


class DropConnection(Exception):
    """Close the connection without answering (a server that never replies)."""


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, Any]  # query string and form/JSON body merged (body wins)
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""


@dataclass
class Response:
    status: int
    body: Any = None  # JSON-able, or bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)


class FakeHttpServer:
    """Base of the fake messenger APIs: lifecycle, faults, rate windows and recording."""

    def __init__(self) -> None:
        self.faults = FaultBook()
        self.recorder = Recorder()
        self.windows = SlidingWindows()
        self.enforce_limits = True
        self.tls: ssl.SSLContext | None = None  # set before start() to serve HTTPS (see tests.fakes.tls)
        self.errors: list[str] = []  # tracebacks of fake bugs, for debugging a failing test
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> FakeHttpServer:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        if self.tls is not None:
            # The handshake runs in the request's own thread, so a client that refuses our
            # certificate does not hold up the accepting loop.
            server.socket = self.tls.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.on_stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def on_stop(self) -> None:
        """Wake anything a subclass keeps waiting (long polls)."""

    def __enter__(self) -> Any:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("fake server not started")
        port = self._server.server_address[1]
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{port}"

    # -- failures --------------------------------------------------------------------------------
    def fail(
        self, kind: str, chat: str | int | None = None, times: int | None = None, **options: Any
    ) -> Fault:
        """Order a failure: ``kind`` from ``tests.fakes.faults``; ``chat=None`` hits every chat;
        ``times=None`` means always.  Options: ``retry_after``, ``delay``, ``status``, ``code``,
        ``new_chat_id``."""
        target = None if chat is None else str(chat)
        return self.faults.add(Fault(kind, target, times, **options))

    def clear_faults(self) -> None:
        self.faults.clear()

    def take_fault(self, chat: str | None) -> Fault | None:
        """The fault for this request; ``slow`` is served here (then None), ``hang`` drops."""
        fault = self.faults.take(chat)
        if fault is None:
            return None
        if fault.kind == SLOW:
            self._stopping.wait(fault.delay)
            return None
        if fault.kind == HANG:
            self._stopping.wait(fault.delay or DEFAULT_HANG_SECONDS)
            raise DropConnection()
        return fault

    def limited(self, rules: list[tuple[str, int, float]]) -> int | None:
        """Seconds to wait when over a limit (and counted as a 429), else None (and recorded)."""
        if not self.enforce_limits:
            return None
        return self.windows.acquire(rules)

    # -- what was received -----------------------------------------------------------------------
    def all_messages(self) -> list[RecordedMessage]:
        return self.recorder.all_messages()

    def messages_to(self, chat: str | int) -> list[RecordedMessage]:
        return self.recorder.messages_to(chat)

    def max_per_second(self) -> int:
        return self.recorder.max_per_second()

    @property
    def count_429(self) -> int:
        return self.recorder.counter("429")

    def calls(self, method: str) -> int:
        """How many requests reached ``method`` (API method name or path)."""
        return self.recorder.counter(f"call:{method}")

    def reset(self) -> None:
        self.recorder.reset()
        self.windows.reset()
        self.faults.clear()

    # -- subclass API ----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        raise NotImplementedError


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    fake: FakeHttpServer

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that refuses our certificate is what a TLS test expects; anything else is printed."""
        import sys

        if isinstance(sys.exc_info()[1], ssl.SSLError | ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - base class signature
        """Quiet: tests read the recorder, not the log."""

    def _dispatch(self) -> None:
        fake = self.server.fake
        try:
            response = fake.handle(_read_request(self))
        except DropConnection:
            self.close_connection = True
            return
        except Exception:  # a bug in the fake: answer 500 and keep the traceback for the test
            fake.errors.append(traceback.format_exc())
            response = Response(500, {"error": "fake server bug"})
        if response.status == 429:
            fake.recorder.count("429")
        self._write(response)

    def _write(self, response: Response) -> None:
        body = response.body if isinstance(response.body, bytes) else json.dumps(response.body).encode()
        self.send_response(response.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _read_request(handler: BaseHTTPRequestHandler) -> Request:
    parts = urlsplit(handler.path)
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    params: dict[str, Any] = dict(parse_qsl(parts.query, keep_blank_values=True))
    content_type = (handler.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if body and content_type == "application/json":
        decoded = json.loads(body)
        if isinstance(decoded, dict):
            params.update(decoded)
    elif body and content_type == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    headers = {name.lower(): value for name, value in handler.headers.items()}
    return Request(handler.command, parts.path, params, headers, body)

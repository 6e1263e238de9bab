"""A tiny local HTTP receiver of webhooks: records every POST and answers the statuses it is told."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from tests.fakes.http_server import FakeHttpServer, Request, Response


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class WebhookReceiver(FakeHttpServer):
    def __init__(self) -> None:
        super().__init__()
        self.received: list[Received] = []
        self.answers: list[int] = []  # statuses to answer in order; 200 once they run out
        self._lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self._lock:
            self.received.append(Received(request.path, dict(request.headers), request.body))
            status = self.answers.pop(0) if self.answers else 200
        return Response(status, {"ok": status < 300})

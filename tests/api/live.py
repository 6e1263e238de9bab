"""The app served over real HTTP on a random 127.0.0.1 port, in a thread (for clients that need a URL)."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from workflows.db import db


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The base URL; the caller's session is released first (SQLite: an open transaction holds the lock)."""
    db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)

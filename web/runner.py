"""Running the processes: the huey consumer, and web + worker together on one machine."""
from __future__ import annotations

import gc
import logging
import os
import signal
import subprocess
import sys
from typing import Any

from flask import Flask
from huey import Huey
from huey.consumer import Consumer

from workflows.delivery.senders import lanes_enabled, start_senders, stop_senders


def settle_heap() -> None:
    """Keep what starting the process created (app, mappers, parsed specs) out of the garbage collector's way.

    Every request and task allocates many short-lived cyclic objects (SpiffWorkflow's task trees), which
    trigger collections; without this each full collection walks the ~200,000 start-up objects again.
    Called once the app is loaded in a web or worker process.
    """
    gc.collect()
    gc.freeze()


def run_worker(huey: Huey, workers: int, app: Flask | None = None) -> None:
    """The huey consumer (`workers` threads for timers, sweeps and other tasks) and, beside it, one
    sending loop per configured channel: delivery speed is the channel's rate, not the thread count."""
    settle_heap()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    with_senders = app is not None and lanes_enabled(app)
    if app is not None and with_senders:
        start_senders(app)
    # An idle worker polls a SQLite queue at most every 0.5 s (huey's default backs off to 10 s), so a
    # notice committed into a quiet queue still goes out within a second.
    consumer = Consumer(huey, workers=workers, worker_type="thread", periodic=True, check_worker_health=True,
                        scheduler_interval=1, max_delay=0.5)
    try:
        consumer.run()
    finally:
        if app is not None and with_senders:
            stop_senders(app)


def _gunicorn(host: str, port: int, web_workers: int, web_threads: int) -> Any:
    from gunicorn.app.base import BaseApplication

    class OtklikWeb(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", web_workers)
            self.cfg.set("threads", web_threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self) -> Any:
            from web.app import create_app  # web.app imports web.cli, which imports this module

            app = create_app()
            settle_heap()
            return app

    return OtklikWeb()


def serve_all(host: str, port: int, with_worker: bool, web_workers: int, web_threads: int = 4) -> None:
    worker = None
    if with_worker:
        worker = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "worker"],
                                  env=os.environ.copy())
    try:
        _gunicorn(host, port, web_workers, web_threads).run()
    finally:
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(15)
            except subprocess.TimeoutExpired:
                worker.kill()

"""What the deploy checks add to a deploy of each bundled file: interface checks and the rehearsal
(scenarios of every affected process on the candidate bundle, every rule's outputs evaluated).

The rehearsal of a bundle already rehearsed in this process is remembered; the figures clear that
memory so they are what a designer's first deploy of a file costs. Prints one JSON line: per file, the
median over ROUNDS of the whole check (`check_ms`) and of the rehearsal alone (`rehearsal_ms`), and how
many scenarios the rehearsal ran. SQLite, a fresh database.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, emit  # noqa: E402

ROUNDS = 5


def main() -> None:
    from web.app import create_app
    from workflows.db import db
    from workflows.runtime import definitions
    from workflows.runtime import rehearsal as rehearsal_module
    from workflows.runtime.definitions import inspect_files
    from workflows.runtime.rehearsal import rehearse

    bundled = sorted((ROOT / "bpmn").glob("*.dmn")) + sorted((ROOT / "bpmn").glob("*.bpmn"))
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.db", "QUEUE_URL": "memory://",
                          "SECRET_KEY": "bench", "QUEUE_IMMEDIATE": True})
        with app.app_context():
            db.create_all()
            definitions.deploy([(p.name, p.read_bytes()) for p in bundled])
            figures: dict[str, object] = {}
            for path in bundled:
                files = [(path.name, path.read_bytes())]
                checks, rehearsals, scenarios = [], [], 0
                for _ in range(ROUNDS):
                    rehearsal_module._remembered.clear()  # measure the first deploy of a bundle, not a repeat
                    started = time.perf_counter()
                    checked = definitions.check_files(files)
                    checks.append((time.perf_counter() - started) * 1000)
                    rehearsal_module._remembered.clear()
                    rehearsal = rehearse(inspect_files(files), definitions.current_version)
                    rehearsals.append(rehearsal.seconds * 1000)
                    scenarios = rehearsal.scenarios_run
                    assert not checked.overridden
                figures[path.name] = {"check_ms": round(statistics.median(checks), 1),
                                      "rehearsal_ms": round(statistics.median(rehearsals), 1),
                                      "scenarios": scenarios}
            emit({"benchmark": "deploy_checks", "rounds": ROUNDS, "files": figures})


if __name__ == "__main__":
    main()

"""Engine benchmark: bare SpiffWorkflow against the durable runtime, starting and completing; inbox query.

Prints one JSON line. Run: `make bench` or `.venv/bin/python bench/engine.py`.
"""
from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, database, emit, postgres_available, rate, timings_ms  # noqa: E402

BPMN = ROOT / "bench" / "data" / "bench_task.bpmn"
BATCH = 100  # instances started together in one transaction (start_processes)
ROUNDS = 7  # alternating one-second slices of bare SpiffWorkflow and the runtime
COMPLETE_STOCK = 6_000  # open tasks ready before the completion slices (more than seven seconds can use)


def bare_spiff() -> Callable[..., float]:
    """(a) create an instance, run to its first user task, serialize — SpiffWorkflow alone; a rate meter."""
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG

    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN))
    spec = parser.get_spec("bench_task")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))

    def once() -> None:
        workflow = BpmnWorkflow(spec)
        workflow.data["organization_id"] = 1
        workflow.do_engine_steps()
        json.dumps(serializer.to_dict(workflow))

    return lambda seconds=1.0: rate(once, seconds=seconds)


def bare_spiff_complete() -> Callable[..., float]:
    """(c) restore an instance waiting at its user task, complete the task, run to the end, serialize — SpiffWorkflow
    alone with its own serializer (which stores the spec with the instance); a rate meter."""
    from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
    from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
    from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
    from SpiffWorkflow.util.task import TaskState

    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(BPMN))
    spec = parser.get_spec("bench_task")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    waiting = BpmnWorkflow(spec)
    waiting.data["organization_id"] = 1
    waiting.do_engine_steps()
    stored = json.dumps(serializer.to_dict(waiting))  # as a database would hand it back

    def once() -> None:
        workflow = serializer.from_dict(json.loads(stored))
        task = next(workflow.get_tasks_iterator(state=TaskState.READY, manual=True))
        task.set_data(decision="accept")
        task.run()
        workflow.do_engine_steps()
        assert workflow.is_completed()
        json.dumps(serializer.to_dict(workflow))

    return lambda seconds=1.0: rate(once, seconds=seconds)


def _app(url: str) -> Any:
    import tempfile

    from web.app import create_app
    from web.runner import settle_heap
    from workflows.db import db

    app = create_app({"DATABASE_URL": url, "QUEUE_URL": "memory://", "QUEUE_IMMEDIATE": True,
                      "SECRET_KEY": "bench", "TESTING": True})
    app.instance_path = tempfile.mkdtemp()
    with app.app_context():
        db.create_all()
    settle_heap()  # as `otklik serve` and `otklik worker` do once their app is loaded
    return app


def _setup(app: Any) -> tuple[Any, Any]:
    from workflows.accounts.models import User
    from workflows.db import db
    from workflows.registry.models import Organization
    from workflows.runtime.definitions import deploy

    org = Organization(name="УК", kind="uk", resources=[])
    db.session.add(org)
    db.session.flush()
    user = User(login="bench", role="org_staff", organization_id=org.id)
    db.session.add(user)
    db.session.commit()
    deploy([(BPMN.name, BPMN.read_bytes())])
    return org, user


def runtime_figures(url: str, bare_rate: Callable[..., float], bare_complete: Callable[..., float]
                    ) -> dict[str, float]:
    """(b) start through the durable runtime and (c) complete a user task, per second.

    The machine's speed drifts (a shared VM), so bare SpiffWorkflow and the runtime are measured in
    alternating one-second slices, ROUNDS times each, and compared by their medians: starts against bare
    starts, completions against bare completions of the same task.
    """
    from workflows.db import db
    from workflows.runtime.models import HumanTask
    from workflows.runtime.starts import start_process, start_processes
    from workflows.runtime.tasks import complete_task

    app = _app(url)
    with app.app_context():
        org, user = _setup(app)
        org_id = org.id  # read once: after a commit it would be read again from the database
        # The person completing is loaded once, as a request's authentication loads them; detached, so that
        # commits do not expire them and each completion does not read them again.
        db.session.refresh(user)
        db.session.expunge(user)

        def start_once() -> None:
            start_process("bench_task", {"organization_id": org_id})
            db.session.commit()

        def start_batch() -> None:
            start_processes("bench_task", [{"organization_id": org_id}] * BATCH)
            db.session.commit()

        bare_rates, single_rates, batch_rates = [], [], []
        for _ in range(ROUNDS):
            bare_rates.append(bare_rate())
            single_rates.append(rate(start_once, seconds=1.0))
            batch_rates.append(rate(start_batch, seconds=1.0, minimum=3) * BATCH)
        while db.session.query(HumanTask).filter_by(status="open").count() < COMPLETE_STOCK:
            start_batch()
        open_ids = [t for (t,) in db.session.query(HumanTask.id).filter_by(status="open").order_by(HumanTask.id)]
        db.session.commit()
        pending = iter(open_ids)

        def complete_once() -> None:
            complete_task(next(pending), user, {"decision": "accept"})

        bare_complete_rates, complete_rates = [], []
        for _ in range(ROUNDS):
            bare_complete_rates.append(bare_complete())
            complete_rates.append(rate(complete_once, seconds=1.0, minimum=10))
    return {"start_per_s": round(statistics.median(single_rates), 1),
            "start_batched_per_s": round(statistics.median(batch_rates), 1),
            "complete_per_s": round(statistics.median(complete_rates), 1),
            "bare_complete_per_s": round(statistics.median(bare_complete_rates), 1),
            "bare_per_s": round(statistics.median(bare_rates), 1)}


def _fill_tasks(total: int, orgs: int, url_kind: str) -> None:
    """Bulk-insert open tasks spread over `orgs` organisations (instances share one stub row)."""
    from sqlalchemy import insert

    from workflows.db import db
    from workflows.registry.models import Organization
    from workflows.runtime.models import HumanTask
    from workflows.runtime.starts import start_process

    existing = db.session.query(Organization).count()
    db.session.add_all(Organization(name=f"УК {i}", kind="uk", resources=[]) for i in range(existing, orgs))
    db.session.flush()
    instance = start_process("bench_task", {"organization_id": 1})
    db.session.flush()
    now = datetime.now(UTC)
    have = db.session.query(HumanTask).count()
    rows = [{"instance_id": instance.id, "task_uuid": f"bench-{i}", "process_id": "bench_task", "name": "review",
             "title": "Рассмотреть", "lane": "org_staff", "roles": "org_staff", "organization_id": 1 + i % orgs,
             "due_at": now + timedelta(minutes=i % 5000),
             "sort_key": now + timedelta(minutes=i % 5000), "form": {}, "status": "open", "created_at": now}
            for i in range(have, total)]
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(HumanTask), rows[start:start + 5000])
    db.session.commit()


def inbox_figures(url: str, kind: str) -> dict[str, Any]:
    """(d) the inbox query of one organisation at 1,000 and at 100,000 open tasks."""
    from workflows.accounts.models import User
    from workflows.db import db
    from workflows.runtime.tasks import visible_tasks_query

    app = _app(url)
    figures: dict[str, Any] = {}
    with app.app_context():
        _setup(app)
        user = db.session.query(User).filter_by(login="bench").one()
        for total in (1_000, 100_000):
            _fill_tasks(total, orgs=20, url_kind=kind)  # 50+ tasks per organisation at 1,000: a full page both times
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
            query = visible_tasks_query(user).limit(50)
            figures[f"inbox_{total}"] = timings_ms(lambda q=query: db.session.scalars(q).all(), repeat=200)
    ratio = figures["inbox_100000"]["median_ms"] / max(figures["inbox_1000"]["median_ms"], 1e-6)
    figures["inbox_growth_100k_over_1k"] = round(ratio, 2)
    return figures


def main() -> None:
    only = set(sys.argv[1:])  # e.g. `complete`: skip the inbox figures (the slow part)
    bare_rate, bare_complete = bare_spiff(), bare_spiff_complete()
    figures: dict[str, Any] = {"bench": "engine", "batch": BATCH}
    bare_rates = [bare_rate()]
    kinds = ["sqlite"] + (["postgres"] if postgres_available() else [])
    for kind in kinds:
        with database(kind) as url:
            runtime = runtime_figures(url, bare_rate, bare_complete)
        bare = runtime.pop("bare_per_s")
        bare_rates.append(bare)
        figures[f"{kind}_bare_spiff_per_s"] = bare
        for name, value in runtime.items():
            figures[f"{kind}_{name}"] = value
        figures[f"{kind}_start_over_bare"] = round(runtime["start_per_s"] / bare, 3)
        figures[f"{kind}_start_batched_over_bare"] = round(runtime["start_batched_per_s"] / bare, 3)
        figures[f"{kind}_complete_over_bare"] = round(runtime["complete_per_s"] / runtime["bare_complete_per_s"], 3)
        if "complete" not in only:
            with database(kind) as url:
                figures[f"{kind}_inbox"] = inbox_figures(url, kind)
    figures["bare_spiff_per_s"] = round(statistics.median(bare_rates), 1)
    emit(figures)


if __name__ == "__main__":
    main()

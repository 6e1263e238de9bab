"""`otklik social retrain`: the shipped training split plus the stored examples -> instance/ model + figures."""
from __future__ import annotations

import time
from functools import lru_cache

from sqlalchemy import select

from workflows import clock
from workflows.addresses import AddressIndex, BuildingRecord
from workflows.db import after_commit, db
from workflows.services import services
from workflows.social import PostClassifier
from workflows.social.evaluate import evaluate, synthetic_registry
from workflows.social.train import DEFAULT_DATA, read_examples, train
from workflows.social_intake.models import SocialModelRun
from workflows.social_intake.moderation import stored_examples
from workflows.social_intake.retrain_status import write_status
from workflows.social_intake.settings import model_path
from workflows.social_intake.understanding import forget_classifier

FIGURES = ("complaint_f1", "category_accuracy", "building_accuracy")


@lru_cache(maxsize=1)
def _held_out_registry() -> tuple[list[BuildingRecord], AddressIndex]:
    records = synthetic_registry()
    return records, AddressIndex(records)


def held_out_figures(classifier: PostClassifier) -> dict[str, float]:
    """Complaint F1, category and building accuracy on the shipped held-out split."""
    records, index = _held_out_registry()
    return evaluate(classifier, index, read_examples(DEFAULT_DATA, split="test"), records)


def retrain() -> SocialModelRun:
    """Train on shipped + stored examples, write the instance model, record the held-out figures.  Commits.

    Each step is written to the retraining status the quality page shows (failed when it raises)."""
    try:
        return _retrain()
    except Exception:
        write_status("failed")
        raise


def _retrain() -> SocialModelRun:
    started = time.perf_counter()
    write_status("reading")
    shipped = read_examples(DEFAULT_DATA, split="train")
    stored = stored_examples()
    write_status("training")
    model = train(shipped + stored)
    write_status("saving")
    path = model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    model.save(temporary)
    temporary.replace(path)  # atomic: a worker never loads half a file
    forget_classifier()
    write_status("evaluating")
    figures = held_out_figures(PostClassifier.load(path))
    run = SocialModelRun(trained_at=clock.now(), shipped_examples=len(shipped), stored_examples=len(stored),
                         seconds=round(time.perf_counter() - started, 2), model_path=str(path), figures=figures)
    db.session.add(run)
    db.session.commit()
    write_status("done", run_id=run.id)
    return run


def request_retrain() -> None:
    """Queue a retraining for the worker.  Commits (so the task never waits on this transaction)."""
    write_status("queued")
    scheduler = services().scheduler
    after_commit(db.session, lambda: scheduler.enqueue("social_retrain"))
    db.session.commit()


def model_runs(limit: int = 20) -> list[SocialModelRun]:
    return list(db.session.scalars(select(SocialModelRun).order_by(SocialModelRun.id.desc()).limit(limit)))

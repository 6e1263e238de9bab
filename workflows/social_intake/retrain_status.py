"""Where a retraining is: queued, a named step with its share done, finished or failed.

Kept as a small JSON file beside the model under instance/ (written atomically), so the web process reads
what the worker writes without a table; the moderation quality page polls it."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workflows import clock
from workflows.social_intake.settings import model_path

STEPS = {  # step -> (share done when it starts, what the page says)
    "queued": (0, "в очереди"),
    "reading": (5, "читаем примеры"),
    "training": (10, "обучаем модель"),
    "saving": (70, "сохраняем модель"),
    "evaluating": (75, "проверяем на отложенной выборке"),
    "done": (100, "готово"),
    "failed": (100, "не удалось"),
}
RUNNING = ("queued", "reading", "training", "saving", "evaluating")


def status_path() -> Path:
    return model_path().with_name(model_path().stem + ".retrain.json")


def read_status() -> dict[str, Any]:
    """{"step", "percent", "text", "started_at", "updated_at", "run_id", "running"}; "idle" when never run."""
    try:
        data: dict[str, Any] = json.loads(status_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {"step": "idle"}
    step = str(data.get("step", "idle"))
    percent, text = STEPS.get(step, (0, "не запускалось"))
    return {**data, "step": step, "percent": percent, "text": text, "running": step in RUNNING}


def write_status(step: str, **extra: Any) -> None:
    """Record the step (keeping when the run started); atomic, so a reader never sees half a file."""
    previous = read_status() if step != "queued" else {}
    data = {"step": step, "started_at": previous.get("started_at") or clock.now().isoformat(),
            "updated_at": clock.now().isoformat(), **extra}
    path = status_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    temporary.replace(path)

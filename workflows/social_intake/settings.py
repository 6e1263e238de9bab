"""Thresholds and knobs of social intake, read from app.config (OTKLIK_SOCIAL_* in the environment)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app

DEFAULTS: dict[str, Any] = {
    "SOCIAL_HIGH_CONFIDENCE": 0.6,  # complaint x category probability for an appeal without a person
    "SOCIAL_LOW_CONFIDENCE": 0.35,  # p(complaint) below this: dropped; from it up to a complaint: the queue
    "SOCIAL_SPOT_CHECK_RATE": 0.05,  # share of dropped posts kept for spot checks
    "SOCIAL_VK_WINDOW": 50,  # newest posts re-read on each poll (edits and deletions are noticed inside it)
    "SOCIAL_VK_MAX_PAGES": 5,  # pages read back to the cursor when many posts arrived
    "SOCIAL_COMMENT_POSTS": 20,  # newest posts whose comments are read on each poll
    "SOCIAL_MODEL_FILE": "social_model.json",  # under instance/
    "SOCIAL_WORKDAY": "09:00-18:00",  # working hours of the ЦГДС social desk (local time), for answer deadlines
}


def setting(name: str) -> Any:
    return current_app.config.get(name, DEFAULTS[name])


def model_path() -> Path:
    """Where `otklik social retrain` writes the model and where it is loaded from when present."""
    return Path(current_app.instance_path) / str(setting("SOCIAL_MODEL_FILE"))

"""The huey tasks of social intake: every minute the due sources are polled; posts are dispatched one by one."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huey import Huey, crontab

from workflows.social_intake import answers, dispatch, learning, polling


def _retrain() -> int:
    return int(learning.retrain().id)


def register_social_tasks(huey: Huey, in_app: Callable[[Callable[..., Any]], Callable[..., Any]]) -> dict[str, Any]:
    return {
        "social_poll_due": huey.periodic_task(crontab(minute="*"), name="social_poll_due")(
            in_app(polling.poll_due_sources)),
        "social_poll_source": huey.task(name="social_poll_source")(in_app(polling.poll_source)),
        "social_dispatch": huey.task(name="social_dispatch", retries=3, retry_delay=10)(
            in_app(dispatch.dispatch_post)),
        "social_retrain": huey.task(name="social_retrain")(in_app(_retrain)),
        "social_answer_sweep": huey.periodic_task(crontab(minute="*"), name="social_answer_sweep")(
            in_app(answers.sweep_answers)),
    }

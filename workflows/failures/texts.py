"""The engine's message in Russian words, for the people who handle a failed appeal or outage."""
from __future__ import annotations

import hashlib
import re

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"service '(\w+)' failed: not an ISO 8601 duration: (.+?)\.?$"),
     "операция «{0}» получила срок {1}, который не является длительностью ISO 8601 (например, PT2H или P1D)"),
    (re.compile(r"unknown service operation '(\w+)'"), "операции «{0}» нет в приложении"),
    (re.compile(r"service '(\w+)' failed: (.+?)\.?$"), "операция «{0}» завершилась ошибкой: {1}"),
    (re.compile(r"name '(\w+)' is not defined"), "в данных процесса нет значения «{0}»"),
    (re.compile(r"KeyError: '?([^']+)'?"), "в данных процесса нет ключа «{0}»"),
)
PROCESS_TITLES = {"appeal": "Обращение жителя", "outage": "Отключение"}


def in_words(message: str) -> str:
    """A Russian sentence for the engine's message; the original follows when no pattern fits."""
    for pattern, template in _PATTERNS:
        found = pattern.search(message)
        if found:
            return template.format(*found.groups())
    return f"процесс остановился с ошибкой: {message}"


def step_text(process_id: str, element_id: str | None, message: str) -> str:
    process = PROCESS_TITLES.get(process_id, process_id)
    where = f", шаг {element_id}" if element_id else ""
    return f"Процесс «{process}»{where}: {in_words(message)}."


def kind_key(process_id: str, element_id: str | None, message: str) -> str:
    """The error kind: the same step failing the same way (numbers and quoted values aside)."""
    general = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "#", message)
    return hashlib.sha256(f"{process_id}|{element_id or ''}|{general}".encode()).hexdigest()

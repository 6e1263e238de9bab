"""Words for people instead of codes and numbers: percents, confidence, error details, process names, favicon."""
from __future__ import annotations

from flask import Flask

from web.labels import confidence, detail_lines, percent, process_event_label, state_label, task_label
from web.process_names import name_in


def test_shares_read_as_percent_and_confidence_in_words() -> None:
    assert percent(0.54) == "54 %" and percent(0.9567, 1) == "95,7 %" and percent(None) == "—"
    assert confidence(0.54) == "средняя (54 %)" and confidence(0.91) == "высокая (91 %)"
    assert confidence(0.2) == "низкая (20 %)"


def test_error_details_are_sentences_not_a_python_dict() -> None:
    details = {"result": "обязательное поле", "errors": [{"message": "нет начального события", "line": 3}]}
    assert detail_lines(details) == ["обязательное поле", "нет начального события"]
    assert detail_lines(None) == [] and detail_lines({}) == [] and detail_lines({"count": 3}) == []


def test_states_events_and_steps_have_russian_names() -> None:
    assert state_label("waiting") == "ждёт" and process_event_label("timer_fired") == "сработал таймер"
    assert task_label("accept") == "Принять обращение" and task_label("Своя задача") == "Своя задача"


def test_a_process_is_named_by_its_diagram() -> None:
    xml = '<bpmn:definitions><bpmn:process id="appeal" name="Обращение &quot;жителя&quot;" isExecutable="true">'
    assert name_in(xml.encode(), "appeal") == 'Обращение "жителя"'
    assert name_in('<decision name="Кто отвечает" id="routing">'.encode(), "routing") == "Кто отвечает"
    assert name_in(b'<bpmn:process id="appeal">', "appeal") is None


def test_error_pages_speak_russian_and_the_site_has_an_icon(app: Flask) -> None:
    client = app.test_client()
    missing = client.get("/no-such-page", headers={"Accept": "text/html"})
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404 and "Страница не найдена" in page and "Not Found" not in page
    assert 'rel="icon"' in page and "favicon.svg" in page
    icon = client.get("/favicon.ico")
    assert icon.status_code == 301 and icon.headers["Location"].endswith("/static/favicon.svg")
    assert client.get("/static/favicon.svg").status_code == 200

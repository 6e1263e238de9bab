"""Helpers for designer tests: fixture diagrams, a designer login, serving the app to a browser."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

DATA = Path(__file__).resolve().parents[1] / "data" / "runtime"
ADDED_CHECK = b"""<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="check"/>
    <bpmn:userTask id="check" name="Check the work"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f2b</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2b" sourceRef="check" targetRef="done"/>"""


def escalate_xml() -> bytes:
    return (DATA / "escalate.bpmn").read_bytes()


def escalate_with_added_task() -> bytes:
    """escalate.bpmn with a user task `check` between `work` and `done`."""
    xml = escalate_xml()
    xml = xml.replace(b'<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="done"/>', ADDED_CHECK)
    xml = xml.replace(b'<bpmn:endEvent id="done"><bpmn:incoming>f2</bpmn:incoming>',
                      b'<bpmn:endEvent id="done"><bpmn:incoming>f2b</bpmn:incoming>')
    xml = xml.replace(b"<bpmn:flowNodeRef>done</bpmn:flowNodeRef>",
                      b"<bpmn:flowNodeRef>done</bpmn:flowNodeRef><bpmn:flowNodeRef>check</bpmn:flowNodeRef>")
    assert xml.count(b'id="check"') == 1
    return xml


def escalate_without_work() -> bytes:
    """A version of `escalate` whose user task `work` (with its deadline) was removed: start leads to done."""
    return b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="escalate_definitions"
                  targetNamespace="http://otklik.example/bpmn">
  <bpmn:process id="escalate" name="Nothing to do any more" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="done"/>
    <bpmn:endEvent id="done"><bpmn:incoming>f1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on a random 127.0.0.1 port in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)

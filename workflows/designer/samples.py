"""Starting points for designers: an empty diagram, and sample dry-run input from the scenario files."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
STARTERS = {
    "bpmn": """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="new_process_definitions" \
targetNamespace="http://otklik.tambov/bpmn">
  <bpmn:process id="new_process" name="Новый процесс" isExecutable="true">
    <bpmn:startEvent id="start" name="Начало"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="new_process_diagram">
    <bpmndi:BPMNPlane id="new_process_plane" bpmnElement="new_process">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="180" y="160" width="36" height="36"/>\
</bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
""",
    "dmn": """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="new_decision_definitions" \
name="Новая таблица" namespace="http://otklik.tambov/dmn">
  <decision id="new_decision" name="Новое решение">
    <decisionTable id="new_decision_table" hitPolicy="FIRST">
      <input id="in_1" label="Вход"><inputExpression id="in_1_expr" typeRef="string"><text>category</text>\
</inputExpression></input>
      <output id="out_1" label="Выход" name="result" typeRef="string"/>
      <rule id="rule_1"><inputEntry id="rule_1_i"><text>-</text></inputEntry><outputEntry id="rule_1_o">\
<text>"value"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
""",
}


def starter(kind: str) -> str:
    return STARTERS.get(kind, STARTERS["bpmn"])


def sample_run(process_id: str, folder: Path = BPMN_DIR) -> dict[str, Any]:
    """Start data and service answers of the first scenario for the process, if it has a scenario file."""
    path = folder / "tests" / f"{Path(process_id).name}.json"
    empty: dict[str, Any] = {"data": {}, "operations": {}, "start": None}
    if not process_id or not path.is_file():
        return empty
    try:
        scenarios = json.loads(path.read_text(encoding="utf-8")).get("scenarios") or []
    except (ValueError, AttributeError):
        return empty
    first = scenarios[0] if scenarios and isinstance(scenarios[0], dict) else {}
    return {"data": first.get("data") or {}, "operations": first.get("operations") or {}, "start": first.get("start")}

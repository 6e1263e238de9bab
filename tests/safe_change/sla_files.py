"""Variants of the bundled decision tables and diagrams for deploy-check tests."""
from __future__ import annotations

import io
import re
from pathlib import Path

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


def without_output(name: str, filename: str = "sla.dmn") -> bytes:
    """A bundled table without one output column: its <output> and that cell in every rule."""
    return _drop_output((BPMN / filename).read_text(encoding="utf-8"), name).encode()


def _drop_output(text: str, name: str) -> str:
    column = re.search(rf'<output id="\w+"[^>]*name="{name}"[^>]*/>', text)
    assert column is not None, name
    index = len(re.findall(r"<output ", text[:column.start()]))
    text = text.replace(column.group(0), "")

    def drop(rule: re.Match[str]) -> str:
        cells = re.findall(r"<outputEntry.*?</outputEntry>", rule.group(2))
        return rule.group(1) + "".join(cells[:index] + cells[index + 1:]) + "</rule>"

    return re.sub(r"(<rule [^>]*>(?:<description>.*?</description>)?(?:<inputEntry.*?</inputEntry>)*)"
                  r"((?:<outputEntry.*?</outputEntry>)*)</rule>",
                  drop, text)


def contract_sla() -> bytes:
    """The two-output table the contract names: accept_within and resolve_within only."""
    return without_outputs(("calendar", "escalate_within"))


def without_outputs(names: tuple[str, ...], filename: str = "sla.dmn") -> bytes:
    """A bundled table without several output columns."""
    path = BPMN / filename
    content = path.read_bytes()
    for name in names:
        content = _drop_output(content.decode("utf-8"), name).encode()
    return content


def with_cell(rule_id: str, column: int, value: str, filename: str = "sla.dmn") -> bytes:
    """The bundled table with one output cell replaced (value as written in the cell)."""
    text = (BPMN / filename).read_text(encoding="utf-8")
    pattern = rf'(<outputEntry id="{rule_id}_o{column}"><text>).*?(</text>)'
    changed, count = re.subn(pattern, lambda m: m.group(1) + value + m.group(2), text)
    assert count == 1
    return changed.encode()


def upload(content: bytes, filename: str) -> dict[str, object]:
    return {"file": (io.BytesIO(content), filename)}

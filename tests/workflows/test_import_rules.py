"""Inside workflows/, feature packages import each other at module level only: an import hidden in a function
hides a cycle from lint-imports (the contracts in pyproject.toml say which modules a feature may use)."""
from __future__ import annotations

import ast
from pathlib import Path

FEATURES = ("appeals", "outages", "delivery", "social_intake", "residents", "integrations", "open311", "designer")
ROOT = Path(__file__).resolve().parents[2] / "workflows"
# Loaded on first use for its cost, not to dodge a cycle: the morphological dictionary (tens of MB).
LAZY = {("open311/present.py", "workflows.addresses.morph")}


def _function_level_imports(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("workflows"):
                found.append(str(inner.module))
            elif isinstance(inner, ast.Import):
                found += [alias.name for alias in inner.names if alias.name.startswith("workflows")]
    return found


def test_feature_packages_import_workflows_modules_at_module_level_only() -> None:
    assert (ROOT / "appeals" / "intake.py").is_file()
    hidden = [(str(path.relative_to(ROOT)), module)
              for feature in FEATURES for path in sorted((ROOT / feature).rglob("*.py"))
              for module in _function_level_imports(path)]
    assert [entry for entry in hidden if entry not in LAZY] == []


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from workflows.appeals import models\n    return models\n")
    assert _function_level_imports(sample) == ["workflows.appeals"]

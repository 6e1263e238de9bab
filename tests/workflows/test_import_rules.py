"""workflows/ and web/ import the application's modules at module level only: an import hidden in a function
hides a cycle from lint-imports (the contracts in pyproject.toml say which modules a feature may use) and from
the reader. A cycle is broken by moving code (workflows/runtime/keys.py); the few lazy imports left say why."""
from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("workflows", "web")
OURS = ("workflows", "web", "engine", "connectors")
# Each with its reason beside the import: a cost paid on first use, or a cycle through the app's factory.
LAZY = {
    ("workflows/open311/present.py", "workflows.addresses.morph"),  # the morphological dictionary (tens of MB)
    ("web/cli.py", "web.app"),  # web.app registers the CLI (cli.init_app)
    ("web/runner.py", "web.app"),  # web.app -> web.cli -> web.runner
}


def _function_level_imports(path: Path) -> list[str]:
    found: set[tuple[int, str]] = set()  # a set: a nested function is walked again inside its outer one
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").split(".")[0] in OURS:
                found.add((inner.lineno, str(inner.module)))
            elif isinstance(inner, ast.Import):
                found |= {(inner.lineno, alias.name) for alias in inner.names if alias.name.split(".")[0] in OURS}
    return [module for _, module in sorted(found)]


def test_application_modules_are_imported_at_module_level_only() -> None:
    assert (REPO / "workflows" / "runtime" / "definitions.py").is_file()
    hidden = [(str(path.relative_to(REPO)), module)
              for root in ROOTS for path in sorted((REPO / root).rglob("*.py"))
              for module in _function_level_imports(path)]
    assert [entry for entry in hidden if entry not in LAZY] == []
    assert set(hidden) == LAZY, "an allowed lazy import is gone: drop it from LAZY"


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from workflows.appeals import models\n    import web.app\n"
                      "    class K:\n        def g(self):\n            from engine import run\n    return models\n")
    assert _function_level_imports(sample) == ["workflows.appeals", "web.app", "engine"]

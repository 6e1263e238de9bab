"""AST sandbox for BPMN scripts and expressions: validation, instrumentation, compile cache.

A script is parsed, checked against the rules below, instrumented with loop/call guards that
enforce a time budget, and compiled once per distinct source string.
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterable, Iterator
from functools import lru_cache
from types import CodeType
from typing import Any, Literal

from engine.errors import ScriptRefused, ScriptTimeout

Mode = Literal["exec", "eval"]

TICK = "_otk_tick"
ITER = "_otk_iter"

FORBIDDEN_NAMES = frozenset({
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "type", "dir", "id", "input", "breakpoint", "help", "memoryview", "object",
    "super", "classmethod", "staticmethod", "property", "exit", "quit", "print", "bytearray",
})
# str.format/format_map walk attributes of their arguments ('{0.__class__}'); frame and code
# attributes of generators/tracebacks lead back to real globals; module-ish names guard against
# helpers that might ever expose a module (``calendar.sys``).
FORBIDDEN_ATTRIBUTES = frozenset({
    "format", "format_map", "vformat", "mro", "sys", "os", "modules", "builtins", "subprocess",
    "importlib", "system", "popen", "gi_frame", "gi_code", "cr_frame", "f_globals", "f_locals",
    "f_builtins", "f_back", "tb_frame", "func_globals",
})
FORBIDDEN_ATTRIBUTE_PREFIXES = ("_", "gi_", "cr_", "ag_", "f_", "tb_", "co_", "func_")
FORBIDDEN_NODES: dict[type, str] = {
    ast.Import: "imports are not allowed",
    ast.ImportFrom: "imports are not allowed",
    ast.Global: "'global' is not allowed",
    ast.Nonlocal: "'nonlocal' is not allowed",
    ast.ClassDef: "class definitions are not allowed",
    ast.AsyncFunctionDef: "async functions are not allowed",
    ast.Await: "'await' is not allowed",
    ast.Yield: "generators ('yield') are not allowed",
    ast.YieldFrom: "generators ('yield') are not allowed",
    ast.With: "'with' is not allowed",
    ast.AsyncWith: "'with' is not allowed",
    ast.AsyncFor: "'async for' is not allowed",
}


def _node_problem(node: ast.AST) -> str | None:
    """Return why one AST node is refused, or None."""
    for node_type, message in FORBIDDEN_NODES.items():
        if isinstance(node, node_type):
            return message
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            return f"names starting with '_' are not allowed: {node.id}"
        if node.id in FORBIDDEN_NAMES:
            return f"'{node.id}' is not allowed"
    if isinstance(node, ast.Attribute) and (
        node.attr in FORBIDDEN_ATTRIBUTES or node.attr.startswith(FORBIDDEN_ATTRIBUTE_PREFIXES)
    ):
        return f"attribute '{node.attr}' is not allowed"
    if isinstance(node, (ast.FunctionDef, ast.Lambda)):
        names = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
        names += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
        if isinstance(node, ast.FunctionDef):
            names.append(node.name)
        bad = [name for name in names if name.startswith("_")]
        if bad:
            return f"names starting with '_' are not allowed: {bad[0]}"
    return None


def find_problems(tree: ast.AST) -> list[tuple[str, int | None]]:
    """Every sandbox violation in a parsed script: (message, line within the script)."""
    problems = []
    for node in ast.walk(tree):
        problem = _node_problem(node)
        if problem is not None:
            problems.append((problem, getattr(node, "lineno", None)))
    return problems


def check_source(source: str, mode: Mode) -> list[tuple[str, int | None]]:
    """Deploy-time check: syntax errors and sandbox violations, as (message, line) pairs."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        return [(f"syntax error: {exc.msg}", exc.lineno)]
    except ValueError as exc:  # e.g. null bytes in the source
        return [(f"cannot parse: {exc}", None)]
    return find_problems(tree)


class _Guard(ast.NodeTransformer):
    """Insert budget checks into every loop, comprehension and function body."""

    @staticmethod
    def _tick() -> ast.Expr:
        return ast.Expr(ast.Call(ast.Name(TICK, ast.Load()), [], []))

    @staticmethod
    def _wrap(iterable: ast.expr) -> ast.expr:
        return ast.Call(ast.Name(ITER, ast.Load()), [iterable], [])

    def visit_While(self, node: ast.While) -> ast.AST:
        self.generic_visit(node)
        node.body.insert(0, self._tick())
        return node

    def visit_For(self, node: ast.For) -> ast.AST:
        self.generic_visit(node)
        node.iter = self._wrap(node.iter)
        return node

    def visit_comprehension(self, node: ast.comprehension) -> ast.AST:
        self.generic_visit(node)
        node.iter = self._wrap(node.iter)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        self.generic_visit(node)
        node.body.insert(0, self._tick())
        return node

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.generic_visit(node)
        tick = ast.Call(ast.Name(TICK, ast.Load()), [], [])
        node.body = ast.BoolOp(ast.Or(), [tick, node.body])  # tick() returns None
        return node


@lru_cache(maxsize=4096)
def compile_script(source: str, mode: Mode) -> CodeType:
    """Validate, instrument and compile a script; cached by source string.

    Raises ScriptRefused for sandbox violations and SyntaxError for bad syntax.
    """
    tree = ast.parse(source, mode=mode)
    problems = find_problems(tree)
    if problems:
        raise ScriptRefused("; ".join(message for message, _ in problems))
    tree = ast.fix_missing_locations(_Guard().visit(tree))
    return compile(tree, "<script>", mode)


class Budget:
    """Time budget of one script run; the instrumented code calls tick()/iterate()."""

    __slots__ = ("deadline", "count", "limit")

    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.deadline = time.monotonic() + limit
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        # Reading the clock every step would double the cost of tight loops.
        if not self.count & 255 and time.monotonic() > self.deadline:
            raise ScriptTimeout(f"script exceeded its time limit of {self.limit:g} s")

    def iterate(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.tick()
            yield item

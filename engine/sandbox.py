"""AST sandbox for BPMN scripts and expressions: validation, instrumentation, compile cache.

A script is parsed, checked against the rules below, instrumented with loop/call guards that
enforce a time budget, and compiled once per distinct source string.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from types import CodeType
from typing import Any, Literal

from engine.budget import ResultTooLarge, binop
from engine.errors import ScriptRefused

Mode = Literal["exec", "eval"]

TICK = "_otk_tick"
ITER = "_otk_iter"
BINOP = "_otk_binop"

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
FORBIDDEN_NODES: dict[str, str] = {
    "Import": "imports are not allowed",
    "ImportFrom": "imports are not allowed",
    "Global": "'global' is not allowed",
    "Nonlocal": "'nonlocal' is not allowed",
    "ClassDef": "class definitions are not allowed",
    "AsyncFunctionDef": "async functions are not allowed",
    "Await": "'await' is not allowed",
    "Yield": "generators ('yield') are not allowed",
    "YieldFrom": "generators ('yield') are not allowed",
    "With": "'with' is not allowed",
    "AsyncWith": "'with' is not allowed",
    "AsyncFor": "'async for' is not allowed",
    "Match": "'match' is not allowed",  # class patterns read attributes the checker never sees
    "TryStar": "'except*' is not allowed",
}
# Every node type a script may contain; anything else — including node types of a newer Python — is refused.
ALLOWED_NODES = frozenset({
    "Module", "Expression",
    # statements
    "FunctionDef", "Return", "Delete", "Assign", "AugAssign", "AnnAssign", "For", "While", "If", "Raise", "Try",
    "Assert", "Expr", "Pass", "Break", "Continue",
    # expressions
    "BoolOp", "NamedExpr", "BinOp", "UnaryOp", "Lambda", "IfExp", "Dict", "Set", "ListComp", "SetComp", "DictComp",
    "GeneratorExp", "Compare", "Call", "FormattedValue", "JoinedStr", "Constant", "Attribute", "Subscript",
    "Starred", "Name", "List", "Tuple", "Slice",
    # contexts, operators and helpers
    "Load", "Store", "Del", "And", "Or", "Add", "Sub", "Mult", "MatMult", "Div", "Mod", "Pow", "LShift", "RShift",
    "BitOr", "BitXor", "BitAnd", "FloorDiv", "Invert", "Not", "UAdd", "USub", "Eq", "NotEq", "Lt", "LtE", "Gt",
    "GtE", "Is", "IsNot", "In", "NotIn", "comprehension", "ExceptHandler", "arguments", "arg", "keyword",
})
# Exception names whose handlers could swallow the sandbox's own stop.
BROAD_EXCEPTIONS = frozenset({"BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit"})
GUARDED_OPERATORS = {ast.Pow: "pow", ast.Mult: "mul", ast.LShift: "lshift", ast.Mod: "mod"}
MAX_FORMAT_WIDTH = 9999


def _reserved(name: str | None) -> bool:
    return name is not None and (name.startswith("_") or name in FORBIDDEN_NAMES)


def _binding_problem(node: ast.AST) -> str | None:
    """Names a script binds or passes: never the sandbox's own (``except ... as __builtins__``)."""
    names: list[str | None] = []
    if isinstance(node, ast.FunctionDef | ast.Lambda):
        names = [a.arg for a in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs)]
        names += [a.arg for a in (node.args.vararg, node.args.kwarg) if a is not None]
        if isinstance(node, ast.FunctionDef):
            names.append(node.name)
    elif isinstance(node, ast.ExceptHandler):
        names = [node.name]
    elif isinstance(node, ast.keyword):
        names = [node.arg]
    bad = [name for name in names if _reserved(name)]
    return f"this name may not be bound or passed: {bad[0]}" if bad else None


def _handler_problem(node: ast.AST) -> str | None:
    if isinstance(node, ast.ExceptHandler):
        if node.type is None:
            return "a bare 'except:' is not allowed: name the exception"
        named = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
        if named & BROAD_EXCEPTIONS:
            return "catching BaseException is not allowed"
    if isinstance(node, ast.Try):
        for inner in (n for stmt in node.finalbody for n in ast.walk(stmt)):
            if isinstance(inner, ast.Break | ast.Continue | ast.Return):
                return "'break', 'continue' and 'return' inside 'finally' are not allowed"
    return None


def _format_problem(node: ast.AST) -> str | None:
    if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        spec = node.format_spec
        if not all(isinstance(part, ast.Constant) for part in getattr(spec, "values", [])):
            return "a computed format specification is not allowed"
        text = "".join(str(part.value) for part in getattr(spec, "values", []))
        if any(_too_wide(width) for width in re.findall(r"\d+", text)):
            return f"a format width above {MAX_FORMAT_WIDTH} is not allowed"
    return None


def _too_wide(width: str) -> bool:
    """Compared by length first: int() refuses 4,300 digits and more (the check itself failed on such a width)."""
    digits = width.lstrip("0")
    return len(digits) > len(str(MAX_FORMAT_WIDTH)) or int(digits or "0") > MAX_FORMAT_WIDTH


def _constant_size_problem(node: ast.AST) -> str | None:
    """`10**(10**7)` or `'x' * 10**10` written as constants: refused at deploy, not at run time."""
    if not isinstance(node, ast.BinOp) or type(node.op) not in GUARDED_OPERATORS:
        return None
    try:
        _constant_value(node)
    except ResultTooLarge as err:
        return str(err)
    except Exception:  # noqa: BLE001 - not a constant, or fails only at run time
        return None
    return None


def _constant_value(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_constant_value(node.operand)
    if isinstance(node, ast.BinOp):
        left, right = _constant_value(node.left), _constant_value(node.right)
        name = GUARDED_OPERATORS.get(type(node.op))
        if name is not None:
            return binop(name, left, right)
        if isinstance(node.op, ast.Add | ast.Sub):
            return left + right if isinstance(node.op, ast.Add) else left - right
    raise ValueError("not a constant")


def _node_problem(node: ast.AST) -> str | None:
    """Return why one AST node is refused, or None."""
    kind = type(node).__name__
    if kind in FORBIDDEN_NODES:
        return FORBIDDEN_NODES[kind]
    if kind not in ALLOWED_NODES:
        return f"this construct is not allowed in scripts: {kind}"
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            return f"names starting with '_' are not allowed: {node.id}"
        if node.id in FORBIDDEN_NAMES:
            return f"'{node.id}' is not allowed"
    if isinstance(node, ast.Attribute) and (
        node.attr in FORBIDDEN_ATTRIBUTES or node.attr.startswith(FORBIDDEN_ATTRIBUTE_PREFIXES)
    ):
        return f"attribute '{node.attr}' is not allowed"
    if isinstance(node, ast.AugAssign) and type(node.op) in GUARDED_OPERATORS and not isinstance(node.target, ast.Name):
        return "augmented *=, **=, <<=, %= only on a plain name"
    for check in (_binding_problem, _handler_problem, _format_problem, _constant_size_problem):
        problem = check(node)
        if problem is not None:
            return problem
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

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        name = GUARDED_OPERATORS.get(type(node.op))
        if name is None:
            return node
        return ast.Call(ast.Name(BINOP, ast.Load()), [ast.Constant(name), node.left, node.right], [])

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST:
        self.generic_visit(node)
        name = GUARDED_OPERATORS.get(type(node.op))
        if name is None or not isinstance(node.target, ast.Name):
            return node  # other targets with these operators are refused by find_problems
        current = ast.Name(node.target.id, ast.Load())
        value = ast.Call(ast.Name(BINOP, ast.Load()), [ast.Constant(name), current, node.value], [])
        return ast.Assign([ast.Name(node.target.id, ast.Store())], value)

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

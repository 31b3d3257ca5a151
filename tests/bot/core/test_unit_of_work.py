"""One unit-of-work convention: the core takes a Session; its callers open and commit it."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[3] / "bot" / "core"


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (path.name, ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(CORE.rglob("*.py"))
    ]


def test_the_core_never_imports_the_context_it_is_called_from() -> None:
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.app"):
                found.append(f"{name}:{node.lineno} from {node.module}")
            if isinstance(node, ast.Import):
                found += [f"{name}:{node.lineno} import {a.name}" for a in node.names
                          if a.name.startswith("bot.app")]  # fmt: skip
    assert found == []


def test_no_core_function_takes_the_knalle_or_opens_its_own_unit_of_work() -> None:
    found = []
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for arg in [*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs]:
                    if arg.annotation is not None and "Knalle" in ast.unparse(arg.annotation):
                        found.append(f"{name}:{node.lineno} {node.name}({arg.arg})")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("read", "write")
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "db"
            ):
                found.append(f"{name}:{node.lineno} opens .db.{node.func.attr}()")
    assert found == []

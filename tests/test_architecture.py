"""The house's rules, read from the code: imports run one way and nothing imports in a circle.

Every `import` and `from … import` of our own modules counts, also those inside functions (a
lazy import is still a dependency). docs/architecture.md draws the same layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = ("bot", "handlers", "storage")

# Floors from the ground up. A module may import its own floor and those below, never above.
FLOORS: list[tuple[str, tuple[str, ...]]] = [
    ("storage", ("storage",)),
    ("ground", ("bot.config", "bot.clock", "bot.errors", "bot.logs")),
    ("core", ("bot.core",)),
    ("context", ("bot.context", "bot.metrics", "bot.upkeep")),
    ("files", ("bot.files",)),
    ("handlers", ("handlers",)),
    ("slack", ("bot.slack",)),
    ("schedule", ("bot.schedule",)),
    ("console", ("bot.console",)),
    ("app", ("bot.app",)),
    ("cli", ("bot.cli", "bot.__main__", "bot")),
]

# What the core may import besides itself: the "imports storage only", plus the ground
# floor's typed errors, clock and settings (no Slack, no surface, no context).
CORE_MAY_IMPORT = ("bot.core", "storage", "bot.errors", "bot.clock", "bot.config")

def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def our_modules() -> dict[str, Path]:
    modules = {}
    for top in OURS:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            modules[module_name(path)] = path
    return modules


MODULES = our_modules()


def resolve(name: str) -> str | None:
    """The module of ours an imported dotted name lives in (a module, or a name in one)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name)
                if target:
                    yield target, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = resolve(f"{base}.{alias.name}") or resolve(base)
                if target and target != module:
                    yield target, node.lineno


GRAPH: dict[str, set[str]] = {m: {t for t, _ in imports_of(m)} for m in MODULES}


def floor_of(module: str) -> int:
    best, best_len = -1, -1
    for index, (_, prefixes) in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = index, len(prefix)
    assert best >= 0, f"{module} has no floor in FLOORS: add it (and to docs/architecture.md)"
    return best


def test_every_module_has_a_floor() -> None:
    for module in MODULES:
        floor_of(module)


def test_no_import_runs_upward() -> None:
    upward = []
    for module in sorted(MODULES):
        for target, line in imports_of(module):
            if floor_of(target) > floor_of(module):
                upward.append(
                    f"{MODULES[module].relative_to(ROOT)}:{line} {module} "
                    f"({FLOORS[floor_of(module)][0]}) imports {target} "
                    f"({FLOORS[floor_of(target)][0]})"
                )
    assert upward == []


def test_the_core_imports_only_the_core_storage_and_the_ground() -> None:
    wrong = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"
        for module in sorted(MODULES)
        if module.startswith("bot.core")
        for target, line in imports_of(module)
        if not target.startswith(CORE_MAY_IMPORT)
    ]
    assert wrong == []


def test_storage_imports_nothing_of_ours_but_storage() -> None:
    wrong = [
        f"{module} imports {target}"
        for module in sorted(MODULES)
        if module.startswith("storage")
        for target in GRAPH[module]
        if not target.startswith("storage")
    ]
    assert wrong == []


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_in_a_circle() -> None:
    assert circles(GRAPH) == []


def test_no_folder_imports_in_a_circle() -> None:
    """Folders too: `bot.slack` and `handlers` may not lean on each other both ways."""

    def folder(module: str) -> str:
        path = MODULES[module]
        parent = module if path.name == "__init__.py" else module.rpartition(".")[0] or module
        # the files at bot/'s top (config, context, app …) are rooms of their own
        return module if parent == "bot" else parent

    folders: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        mine = folder(module)
        folders.setdefault(mine, set()).update(
            folder(t) for t in targets if folder(t) != mine and not mine.startswith(folder(t) + ".")
        )
    assert circles(folders) == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_circle_finder_finds_circles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert circles(graph) == expected


def test_an_upward_import_is_seen() -> None:
    """The checker itself: handlers sit above the core, so core → handlers is upward."""
    assert floor_of("handlers.blocks") > floor_of("bot.core.report")
    assert floor_of("bot.core.report") > floor_of("storage.db")
    assert floor_of("bot.cli.serve") > floor_of("bot.app") > floor_of("bot.slack.app")


def test_the_reader_sees_plain_from_and_lazy_imports() -> None:
    """The rules above pass trivially if no import is seen: these known ones must be."""
    assert "storage.visits" in GRAPH["bot.core.visits.actions"]  # `from storage import visits`
    assert "bot.core.visits.parser" in GRAPH["bot.core.visits.actions"]  # `from X import name`
    assert "bot.schedule.scheduler" in GRAPH["bot.app"]  # inside a function
    assert "handlers.visits.command" in GRAPH["bot.slack.app"]  # `from pkg import mod as x`

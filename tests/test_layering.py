"""The layers stay layered: handlers → bot → index → knowledge, imports only going down.

Read from the source with `ast` (nothing is imported), so a new module is checked the day it
is written:
- `knowledge` imports none of index, bot, handlers; `index` none of bot, handlers; `bot`
  none of handlers, except its composition root `bot/main.py`;
- `telegram` is imported in `handlers/` and in `bot/main.py` only, and nowhere a private
  PTB module (`telegram._…`, `telegram.ext._…`), tests and benches included;
- the feature modules of `handlers/` import the kit and never each other;
- no import cycle between the project's modules (imports inside functions count: they hide
  a cycle, they do not remove it; `if TYPE_CHECKING:` blocks do not);
- no handler function is longer than 30 lines.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("knowledge", "index", "bot", "handlers")  # lowest layer first
COMPOSITION_ROOT = "bot.main"
FEATURES = {
    "start", "ask", "request_form", "officers", "handoff", "admin", "history", "learning",
    "roles", "subscriptions", "canned", "faq_import",
}  # fmt: skip
KIT = {"access", "context", "render", "keyboards", "cards", "answer_view", "notices"}
MAX_HANDLER_LINES = 30


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node except those under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _imports(path: Path) -> set[str]:
    """Absolute names of what a file imports (a `from pkg import mod` names pkg.mod)."""
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _layer(name: str) -> int | None:
    top = name.split(".")[0]
    return PACKAGES.index(top) if top in PACKAGES else None


def _project_imports(module: str) -> set[str]:
    return {name for name in _imports(MODULES[module]) if name in MODULES and name != module}


def test_imports_only_go_down() -> None:
    upward = []
    for module in MODULES:
        if module == COMPOSITION_ROOT:
            continue
        for name in _project_imports(module):
            if (_layer(name) or 0) > (_layer(module) or 0):
                upward.append(f"{module} imports {name}")
    assert upward == []


def test_telegram_only_in_handlers_and_the_composition_root() -> None:
    leaks = [
        f"{module} imports {name}"
        for module, path in MODULES.items()
        if not module.startswith("handlers") and module != COMPOSITION_ROOT
        for name in _imports(path)
        if name.split(".")[0] == "telegram"
    ]
    assert leaks == []


def test_no_private_ptb_modules_anywhere() -> None:
    files = [*MODULES.values(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    private = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in _imports(path)
        if name.split(".")[0] == "telegram" and any(p.startswith("_") for p in name.split(".")[1:])
    ]
    assert private == []


def test_features_import_the_kit_and_never_each_other() -> None:
    crossing = []
    for feature in FEATURES:
        for name in _project_imports(f"handlers.{feature}"):
            part = name.split(".")[1] if name.startswith("handlers.") else None
            if part is not None and part not in KIT:
                crossing.append(f"handlers.{feature} imports {name}")
    assert crossing == []
    assert {m.split(".")[-1] for m in MODULES if m.startswith("handlers.")} >= FEATURES | KIT


def test_no_import_cycle() -> None:
    graph = {module: _project_imports(module) for module in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph[module]):
            if state.get(name) == 1:
                cycles.append([*path[path.index(name) :], name])
            elif name not in state:
                visit(name, [*path, name])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_handler_functions_are_short() -> None:
    long = []
    for module, path in MODULES.items():
        if not module.startswith("handlers."):
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_HANDLER_LINES:
                    long.append(f"{module}.{node.name}: {lines} lines")
    assert long == []


def test_the_rules_see_a_violation() -> None:
    """The checks are not vacuous: the parser finds imports inside functions."""
    tree = ast.parse("def f():\n    from handlers import ask\n")
    found = {n.module for n in _runtime_nodes(tree) if isinstance(n, ast.ImportFrom)}
    assert found == {"handlers"}

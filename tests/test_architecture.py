"""The cycle's order in the code: a step imports from the steps before it, never after."""

from __future__ import annotations

import ast
from pathlib import Path

import engage
from engage import STEPS

ENGAGE = Path(engage.__file__).parent


def _imported_steps(path: Path) -> set[str]:
    """Steps this module imports from, anywhere in it (in a function too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "engage" and parts[1] in STEPS:
                found.add(parts[1])
    return found


def test_no_step_imports_a_later_step():
    backwards = []
    for position, step in enumerate(STEPS):
        later = set(STEPS[position + 1 :])
        for path in sorted((ENGAGE / step).rglob("*.py")):
            for imported in sorted(_imported_steps(path) & later):
                backwards.append(f"{path.relative_to(ENGAGE.parent)} imports engage.{imported}")
    assert backwards == []


def test_the_check_sees_a_backward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from engage.respond import outbox\n", encoding="utf-8")
    assert _imported_steps(module) == {"respond"}

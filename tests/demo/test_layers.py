"""The demo depends on the apps, never the reverse: no module outside ``nastavnik/demo`` imports
the demo, and the apps' steps come from ``nastavnik.demo.steps``, not from their ``ready()``."""

from __future__ import annotations

import ast
from pathlib import Path

from nastavnik.demo import registry
from nastavnik.demo.steps import STEPS, demo_steps

ROOT = Path(__file__).resolve().parents[2] / "nastavnik"


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_outside_the_demo_imports_it() -> None:
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "demo" not in path.relative_to(ROOT).parts[:1]
        and any(
            name == "nastavnik.demo" or name.startswith("nastavnik.demo.")
            for name in _imports(path)
        )
    )
    assert offenders == []


def test_the_apps_steps_run_in_their_positions_without_registration() -> None:
    assert registry.extra_steps() == []
    assert [name for name, _step in demo_steps()] == [
        "programs",
        "relatives",
        "matching",
        "pairwork",
        "surveys",
        "events",
        "reports",
        "quickmentoring",
        "ideas",
        "library",
    ]
    assert [position for _name, position, _step in STEPS] == [
        150,
        250,
        300,
        350,
        400,
        420,
        450,
        460,
        470,
        475,
    ]

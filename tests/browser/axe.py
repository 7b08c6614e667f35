"""axe-core in the page: no serious or critical accessibility violations (WCAG 2.1 AA).

axe-core comes vendored inside the pinned ``axe-playwright-python`` package (no download at run
time). ``check_accessible(page)`` runs it on what the page shows now and fails with a readable
list: the rule, its impact, how many elements and the first of them.
"""

from __future__ import annotations

import os
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

BLOCKING = frozenset({"serious", "critical"})
# The rules of WCAG 2.0/2.1 levels A and AA, and axe's best practices.
OPTIONS: dict[str, Any] = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}

_axe = Axe()


def violations(page: Page) -> list[dict[str, Any]]:
    """The serious and critical violations on the page as it is now."""
    results = _axe.run(page, options=OPTIONS)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def describe(found: list[dict[str, Any]], *, every_node: bool = False) -> str:
    lines = []
    for violation in found:
        nodes = violation["nodes"]
        first = nodes[0]["html"][:160] if nodes else ""
        lines.append(
            f"{violation['id']} ({violation['impact']}, {len(nodes)}×): "
            f"{violation['help']} — {first}"
        )
        if every_node:
            lines.extend(f"    {node['html'][:160]}" for node in nodes[1:])
    return "\n".join(lines)


def soft() -> bool:
    """``NASTAVNIK_AXE_SOFT=1``: print the violations instead of failing (while a shared fix,
    such as the navigation's colours, is on its way). Strict by default."""
    return os.environ.get("NASTAVNIK_AXE_SOFT", "") not in ("", "0")


def check_accessible(page: Page, where: str = "") -> None:
    """Fail if axe-core finds a serious or critical violation on the page."""
    found = violations(page)
    if not found:
        return
    where = where or page.url
    if soft():
        found_all = describe(found, every_node=True)
        print(f"\n[axe, soft] accessibility violations on {where}:\n{found_all}")
        return
    raise AssertionError(f"accessibility violations on {where}:\n{describe(found)}")

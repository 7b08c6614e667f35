"""The demo's week of pairs (to come)."""

from __future__ import annotations

from nastavnik.demo.registry import DemoContext


def seed_demo_pairwork(context: DemoContext) -> None:
    return None

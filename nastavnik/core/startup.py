"""Lines ``manage.py serve`` prints after the address. Apps above core add theirs from their
``ready()`` (the demo: its logins), so core never imports them."""

from __future__ import annotations

from collections.abc import Callable

_SERVE_LINES: list[Callable[[], list[str]]] = []


def register_serve_lines(lines: Callable[[], list[str]]) -> None:
    if lines not in _SERVE_LINES:
        _SERVE_LINES.append(lines)


def serve_lines() -> list[str]:
    return [line for source in _SERVE_LINES for line in source()]

"""The main menu. Each app registers its entries in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.functional import Promise

from nastavnik.accounts.access import Access


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    visible: Callable[[Access], bool]
    position: int = 100


_ENTRIES: list[NavEntry] = []


def register_nav(
    label: str | Promise,
    url_name: str,
    *,
    visible: Callable[[Access], bool] = lambda access: access.is_authenticated,
    position: int = 100,
) -> None:
    if all(entry.url_name != url_name for entry in _ENTRIES):
        _ENTRIES.append(NavEntry(label, url_name, visible, position))
        _ENTRIES.sort(key=lambda entry: entry.position)


def nav_items(access: Access) -> list[dict[str, Any]]:
    return [
        {"label": entry.label, "url": reverse(entry.url_name)}
        for entry in _ENTRIES
        if entry.visible(access)
    ]


# The start page («/»): the app that knows where a user starts answers (organizations: the user's
# organization, or a choice of them). Registered from that app's ready(); core imports no app.
_START: list[Callable[[HttpRequest], HttpResponse]] = []


def register_start_page(view: Callable[[HttpRequest], HttpResponse]) -> None:
    _START[:] = [view]


def start_page(request: HttpRequest) -> HttpResponse | None:
    return _START[0](request) if _START else None

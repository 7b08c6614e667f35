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


# The start page («/»): apps that know where a user starts answer, in the order of their
# positions; the first answer wins (pairwork: a mentor or a mentee starts at «Мои пары»;
# organizations, last: the user's organization or a choice). Registered from the apps' ready().
StartView = Callable[[HttpRequest], HttpResponse | None]
_START: list[tuple[int, StartView]] = []


def register_start_page(view: StartView, *, position: int = 100) -> None:
    if all(existing is not view for _position, existing in _START):
        _START.append((position, view))
        _START.sort(key=lambda item: item[0])


def start_page(request: HttpRequest) -> HttpResponse | None:
    for _position, view in _START:
        response = view(request)
        if response is not None:
            return response
    return None

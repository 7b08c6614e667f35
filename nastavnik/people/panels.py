"""Panels other apps add to the person page (consents, mentorships, ...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from nastavnik.people.models import Person


@dataclass(frozen=True)
class PersonPanel:
    template: str
    context: dict[str, Any]


_PANELS: list[Callable[[HttpRequest, Person], PersonPanel | None]] = []


def register_person_panel(builder: Callable[[HttpRequest, Person], PersonPanel | None]) -> None:
    """``builder(request, person)`` returns a panel, or None to show nothing."""
    if builder not in _PANELS:
        _PANELS.append(builder)


def person_panels(request: HttpRequest, person: Person) -> list[PersonPanel]:
    return [panel for builder in _PANELS if (panel := builder(request, person)) is not None]

"""Panels other apps add to the person page (consents, mentorships, ...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from nastavnik.accounts.access import access_for
from nastavnik.people.forms import RelativeForm
from nastavnik.people.models import Person
from nastavnik.people.selectors import relative_choices, relatives_can_edit, relatives_of


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


def relatives_panel(request: HttpRequest, person: Person) -> PersonPanel | None:
    """«Relatives»: for the staff of the person's organization; a curator adds and removes."""
    if not access_for(request.user).is_staff_of(person.organization_id):
        return None
    can_edit = relatives_can_edit(user=request.user, person=person)
    form = (
        RelativeForm(choices=relative_choices(user=request.user, person=person))
        if can_edit
        else None
    )
    return PersonPanel(
        "people/_relatives_panel.html",
        {
            "relatives": relatives_of(user=request.user, person=person),
            "can_edit": can_edit,
            "form": form,
        },
    )

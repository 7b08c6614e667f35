"""Russian cases in templates: ``{% load declension %}``, then
``{{ person|person_case:"gent" }}``, ``{{ organization.name|organization_case:"gent" }}``,
``{{ organization.head_position|position_case:"datv"|capfirst }}`` and
``{{ organization.head_name|name_case:"datv" }}`` («Директору … Волкову Андрею Николаевичу»)."""

from __future__ import annotations

from typing import Any

from django import template

from nastavnik.documents.declension import (
    Case,
    decline_name,
    decline_organization,
    decline_person,
    decline_position,
)

register = template.Library()

_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def _case(value: str) -> Case:
    if value not in _CASES:
        raise template.TemplateSyntaxError(f"Unknown case: {value}")
    return value  # type: ignore[return-value]


@register.filter
def person_case(person: Any, case: str) -> str:
    """A person («Фамилия Имя Отчество») in the case."""
    if not person:
        return ""
    return decline_person(person, _case(case))


@register.filter
def name_case(full_name: str, case: str) -> str:
    """«Фамилия Имя Отчество» written as one string, in the case (the sex from the names)."""
    parts = (full_name or "").split()
    if len(parts) < 2:
        return full_name or ""
    return decline_name(parts[0], parts[1], " ".join(parts[2:]), case=_case(case))


@register.filter
def organization_case(name: str, case: str) -> str:
    return decline_organization(name or "", _case(case))


@register.filter
def position_case(position: str, case: str) -> str:
    return decline_position(position or "", _case(case))

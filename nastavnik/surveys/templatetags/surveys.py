from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from nastavnik.programs.models import EnrolmentRole

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def scale_points(_value: str) -> list[str]:
    return [str(n) for n in range(1, 11)]


@register.filter
def role_label(role: str) -> str:
    return str(dict(EnrolmentRole.choices).get(role, role))


@register.filter
def answer_label(value: str) -> str:
    """How a stored condition value reads: yes/no in Russian, anything else as it is."""
    return {"yes": gettext("yes"), "no": gettext("no")}.get(value, value)

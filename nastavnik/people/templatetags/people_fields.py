"""Template side of ``people.fields``: what the viewing user sees of a person.

{% load people_fields %}
{% person_fields person as fields %}{% if "phone" in fields %}…{% endif %}
{% sees_labels organization_id as show_labels %}{% if show_labels %}{{ variant }}{% endif %}
"""

from __future__ import annotations

from typing import Any

from django import template

from nastavnik.people.fields import Field, viewer_for
from nastavnik.people.models import Person

register = template.Library()


def _viewer(context: template.Context) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return viewer_for(user, cache_on=request)


@register.simple_tag(takes_context=True)
def person_fields(context: template.Context, person: Person) -> frozenset[Field]:
    """The fields of ``person`` the viewing user may see."""
    return _viewer(context).fields(person)


@register.simple_tag(takes_context=True)
def sees_labels(context: template.Context, organization_id: int) -> bool:
    """Whether the viewing user may see labels that sort children (variants): staff only."""
    return bool(_viewer(context).sees_labels(organization_id))

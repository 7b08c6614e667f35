"""The answer of a person picker's search (htmx): the options of the select, at most a page."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nastavnik.people.forms import person_choice_label
from nastavnik.people.models import Person


def choices_response(request: HttpRequest, found: QuerySet[Person]) -> HttpResponse:
    """``<option>``s of the people found, and a hint to type more when there are more."""
    limit = settings.NASTAVNIK_PAGE_SIZE
    people = list(found[: limit + 1])
    return render(
        request,
        "people/_choices.html",
        {
            "options": [(p.pk, person_choice_label(p)) for p in people[:limit]],
            "more": len(people) > limit,
        },
    )

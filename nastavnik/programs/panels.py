"""The person page's panel «Mentoring programs»: the bases the person is in."""

from __future__ import annotations

from django.http import HttpRequest

from nastavnik.accounts.access import access_for
from nastavnik.people.models import Person
from nastavnik.people.panels import PersonPanel
from nastavnik.programs.models import Enrolment


def enrolment_panel(request: HttpRequest, person: Person) -> PersonPanel | None:
    """For the staff of the person's organization only (a mentor sees their pairs elsewhere)."""
    if not access_for(request.user).is_staff_of(person.organization_id):
        return None
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("program", "program__academic_year", "variant")
        .order_by("-program__academic_year__start_year", "program__title")
    )
    return PersonPanel("programs/_person_panel.html", {"enrolments": enrolments})

"""The consent panel on the person page."""

from __future__ import annotations

from django.http import HttpRequest

from nastavnik.consents.selectors import consent_can_manage, processing_block_reason
from nastavnik.people.models import Person
from nastavnik.people.panels import PersonPanel


def consent_panel(request: HttpRequest, person: Person) -> PersonPanel | None:
    if not consent_can_manage(user=request.user, person=person):
        return None
    return PersonPanel("consents/_panel.html", {"block_reason": processing_block_reason(person)})

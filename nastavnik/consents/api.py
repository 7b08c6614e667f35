from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Schema

from nastavnik.consents.selectors import consent_can_manage, missing_purposes, person_consents
from nastavnik.people.selectors import person_get

router = Router(tags=["consents"])


class ConsentOut(Schema):
    purpose: str
    given_by: str
    given_on: dt.date
    valid_until: dt.date | None
    withdrawn_on: dt.date | None
    text_version: str


class ConsentStatusOut(Schema):
    person_id: int
    may_be_processed: bool
    missing: list[str]
    consents: list[ConsentOut]


@router.get("/people/{person_id}", response=ConsentStatusOut)
def consent_status(request: HttpRequest, person_id: int) -> object:
    """Whether the person may be enrolled, matched and surveyed, and their consents."""
    person = person_get(user=request.user, person_id=person_id)
    if not consent_can_manage(user=request.user, person=person):
        raise PermissionDenied
    missing = missing_purposes(person)
    return {
        "person_id": person.pk,
        "may_be_processed": not missing,
        "missing": missing,
        "consents": [
            {
                "purpose": c.purpose,
                "given_by": c.given_by,
                "given_on": c.given_on,
                "valid_until": c.valid_until,
                "withdrawn_on": c.withdrawn_on,
                "text_version": c.text.version,
            }
            for c in person_consents(user=request.user, person=person)
        ],
    }

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema

from nastavnik.consents.models import Consent, ConsentPurpose, GivenBy
from nastavnik.consents.selectors import consent_can_manage, missing_purposes, person_consents
from nastavnik.consents.services import consent_record
from nastavnik.core.api import Day, created
from nastavnik.people.selectors import person_get

router = Router(tags=["consents"])


class ConsentOut(Schema):
    purpose: str
    given_by: str
    given_on: dt.date
    valid_until: dt.date | None
    withdrawn_on: dt.date | None
    text_version: str


class ConsentIn(Schema):
    """A signed consent to record (a curator or the head of the person's organization). A minor's
    consent is signed by a parent or a guardian, whose full name is required."""

    person_id: int
    purpose: ConsentPurpose
    given_on: Day
    given_by: GivenBy = GivenBy.PERSON
    representative_name: str = Field("", max_length=255)
    valid_until: Day | None = None


class RecordedConsentOut(ConsentOut):
    id: int
    person_id: int

    @staticmethod
    def resolve_text_version(obj: Consent) -> str:
        return obj.text.version


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


@router.post("", response={201: RecordedConsentOut})
@created(RecordedConsentOut)
def record_consent(request: HttpRequest, payload: ConsentIn) -> object:
    """Record a signed consent for the current text version of the purpose."""
    person = person_get(user=request.user, person_id=payload.person_id)
    if not consent_can_manage(user=request.user, person=person):
        raise PermissionDenied
    return consent_record(
        actor=request.user,
        person=person,
        purpose=payload.purpose,
        given_on=payload.given_on,
        given_by=payload.given_by,
        representative_name=payload.representative_name,
        valid_until=payload.valid_until,
    )

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field as SchemaField
from ninja import Router, Schema

from nastavnik.core.api import Day, PersonName, created, paginated, unknown_value
from nastavnik.core.audit import client_ip
from nastavnik.organizations.selectors import organization_get
from nastavnik.people.fields import Field, viewer_for
from nastavnik.people.models import Format, Level, Person, PersonCategory, Profile, Sex
from nastavnik.people.selectors import (
    competency_areas,
    person_get,
    person_list,
    profile_detail,
)
from nastavnik.people.services import (
    person_create,
    person_record_read,
    person_update,
    profile_update,
)

router = Router(tags=["people"])


def _shown(person: Person, context: Any, what: Field) -> bool:
    """Whether the caller may see ``what`` of ``person`` (``people.fields``, once per request)."""
    request = context["request"]
    return viewer_for(request.user, cache_on=request).sees(person, what)


class PersonOut(Schema):
    """A person as the caller may see them: fields outside their rights are null or empty."""

    id: int
    organization_id: int
    last_name: str
    first_name: str
    middle_name: str
    full_name: str
    birth_date: dt.date | None
    category: str
    class_name: str
    email: str
    phone: str

    @staticmethod
    def resolve_birth_date(obj: Person, context: Any) -> dt.date | None:
        return obj.birth_date if _shown(obj, context, Field.BIRTH_DATE) else None

    @staticmethod
    def resolve_email(obj: Person, context: Any) -> str:
        return obj.email if _shown(obj, context, Field.EMAIL) else ""

    @staticmethod
    def resolve_phone(obj: Person, context: Any) -> str:
        return obj.phone if _shown(obj, context, Field.PHONE) else ""


class PersonIn(Schema):
    """A new person of an organization (a curator or the head adds them)."""

    organization_id: int
    last_name: PersonName = SchemaField(max_length=150)
    first_name: PersonName = SchemaField(max_length=150)
    middle_name: str = SchemaField("", max_length=150)
    sex: Sex | None = None
    birth_date: Day | None = None
    category: PersonCategory
    class_name: str = SchemaField("", max_length=16)
    subject: str = SchemaField("", max_length=255)
    position: str = SchemaField("", max_length=255)
    experience_years: int | None = SchemaField(None, ge=0, le=80)
    snils: str = SchemaField("", max_length=14)
    email: str = SchemaField("", max_length=254)
    phone: str = SchemaField("", max_length=32)


class PersonPatch(Schema):
    """The fields to change; those not sent stay as they are."""

    last_name: PersonName | None = SchemaField(None, max_length=150)
    first_name: PersonName | None = SchemaField(None, max_length=150)
    middle_name: str | None = SchemaField(None, max_length=150)
    birth_date: Day | None = None
    category: PersonCategory | None = None
    class_name: str | None = SchemaField(None, max_length=16)
    subject: str | None = SchemaField(None, max_length=255)
    position: str | None = SchemaField(None, max_length=255)
    experience_years: int | None = SchemaField(None, ge=0, le=80)
    snils: str | None = SchemaField(None, max_length=14)
    email: str | None = SchemaField(None, max_length=254)
    phone: str | None = SchemaField(None, max_length=32)


class CompetencyLevelIO(Schema):
    competency_id: int
    level: Level


class ProfileOut(Schema):
    person_id: int
    interests: str
    request: str
    preferred_format: str
    availability: int
    notes: str
    share_email: bool
    share_phone: bool
    competencies: list[CompetencyLevelIO]
    deficit_ids: list[int]

    @staticmethod
    def resolve_competencies(obj: Profile) -> list[dict[str, int]]:
        return [
            {"competency_id": c.competency_id, "level": c.level}
            for c in obj.competency_levels.all()
        ]

    @staticmethod
    def resolve_deficit_ids(obj: Profile) -> list[int]:
        return [d.competency_id for d in obj.deficits.all()]


class ProfilePatch(Schema):
    """The profile's parts to replace; those not sent stay as they are."""

    interests: str | None = SchemaField(None, max_length=5000)
    request: str | None = SchemaField(None, max_length=5000)
    preferred_format: Format | None = None
    availability: int | None = SchemaField(None, ge=0, le=2**21 - 1)
    notes: str | None = SchemaField(None, max_length=5000)
    share_email: bool | None = None
    share_phone: bool | None = None
    competencies: list[CompetencyLevelIO] | None = SchemaField(None, max_length=200)
    deficit_ids: list[int] | None = SchemaField(None, max_length=200)


@router.get("", response=list[PersonOut])
@paginated
def list_people(
    request: HttpRequest,
    q: str = "",
    organization_id: int | None = None,
    category: str = "",
    class_name: str = "",
) -> object:
    """People the caller may see; ``q`` matches any part of the full name."""
    return person_list(
        user=request.user,
        query=q,
        organization_id=organization_id,
        category=category,
        class_name=class_name,
    )


@router.post("", response={201: PersonOut})
@created(PersonOut)
def create_person(request: HttpRequest, payload: PersonIn) -> object:
    """Add a person to an organization (curator or head). Send ``Idempotency-Key`` to retry
    safely."""
    data = payload.dict()
    organization = organization_get(user=request.user, organization_id=data.pop("organization_id"))
    data["sex"] = data["sex"] or ""
    return person_create(actor=request.user, organization=organization, **data)


@router.get("/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> object:
    person = person_get(user=request.user, person_id=person_id)
    person_record_read(actor=request.user, person=person, ip=client_ip(request))
    return person


@router.patch("/{person_id}", response=PersonOut)
def update_person(request: HttpRequest, person_id: int, payload: PersonPatch) -> object:
    """Change a person's fields (curator or head of their organization)."""
    person = person_get(user=request.user, person_id=person_id)
    return person_update(actor=request.user, person=person, data=payload.dict(exclude_unset=True))


def _profile(request: HttpRequest, person_id: int) -> Profile:
    profile = profile_detail(user=request.user, person_id=person_id)
    if profile is None:
        raise Http404
    return profile


@router.get("/{person_id}/profile", response=ProfileOut)
def get_profile(request: HttpRequest, person_id: int) -> object:
    """The person's profile: interests, request, competencies and deficits."""
    return _profile(request, person_id)


@router.patch("/{person_id}/profile", response=ProfileOut)
def update_profile(request: HttpRequest, person_id: int, payload: ProfilePatch) -> object:
    """Change the profile (staff of the organization, or the person themselves)."""
    person = person_get(user=request.user, person_id=person_id)
    profile = _profile(request, person_id)
    data = payload.dict(exclude_unset=True)
    known = {c.pk for area in competency_areas() for c in area.competencies.all()}
    competencies = (
        {c["competency_id"]: int(c["level"]) for c in data["competencies"]}
        if data.get("competencies") is not None
        else {c.competency_id: c.level for c in profile.competency_levels.all()}
    )
    deficits = (
        list(dict.fromkeys(data["deficit_ids"]))
        if data.get("deficit_ids") is not None
        else [d.competency_id for d in profile.deficits.all()]
    )
    unknown = sorted((set(competencies) | set(deficits)) - known)
    if unknown:
        raise unknown_value("competencies")

    def keep(name: str) -> Any:
        value = data.get(name)
        return getattr(profile, name) if value is None else value

    profile_update(
        actor=request.user,
        person=person,
        interests=keep("interests"),
        request=keep("request"),
        preferred_format=keep("preferred_format"),
        availability=keep("availability"),
        notes=keep("notes"),
        competencies=competencies,
        deficits=deficits,
        achievements={a.subject_id: a.level for a in profile.achievements.all()},
        share_email=data.get("share_email"),
        share_phone=data.get("share_phone"),
    )
    return _profile(request, person_id)

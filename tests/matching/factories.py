"""Builders of matching scenarios: a program with consenting, profiled mentors and mentees."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nastavnik.consents.models import PROCESSING_PURPOSES, Consent, ConsentText
from nastavnik.organizations.models import Organization
from nastavnik.people.models import (
    Person,
    Profile,
    ProfileCompetency,
    ProfileDeficit,
    SubjectAchievement,
)
from nastavnik.programs.models import Enrolment, EnrolmentStatus, MentoringModel, Program
from tests.factories import (
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    competency,
    form,
)


def give_consent(person: Person, *, on: dt.date | None = None) -> None:
    day = on or dt.date(2020, 1, 1)
    for purpose in PROCESSING_PURPOSES:
        Consent.objects.create(
            organization_id=person.organization_id,
            person=person,
            purpose=purpose,
            text=ConsentText.objects.filter(purpose=purpose).first(),
            given_on=day,
        )


def matching_program(organization: Organization, form_code: str = "teacher-student") -> Program:
    program: Any = ProgramFactory(organization=organization, form=form(form_code))
    program.models_used.add(MentoringModel.objects.get(code="traditional"))
    return program


def profile(
    person: Person,
    *,
    interests: str = "",
    request: str = "",
    competencies: dict[str, int] | None = None,
    deficits: list[str] | None = None,
    achievements: dict[str, int] | None = None,
) -> Profile:
    prof, _ = Profile.objects.get_or_create(
        person=person, defaults={"organization_id": person.organization_id}
    )
    prof.interests = interests
    prof.request = request
    prof.save()
    org = person.organization_id
    for code, level in (competencies or {}).items():
        ProfileCompetency.objects.create(
            organization_id=org, profile=prof, competency=competency(code), level=level
        )
    for code in deficits or []:
        ProfileDeficit.objects.create(
            organization_id=org, profile=prof, competency=competency(code)
        )
    for code, level in (achievements or {}).items():
        SubjectAchievement.objects.create(
            organization_id=org, profile=prof, subject=competency(code), level=level
        )
    return prof


def enrol(
    program: Program,
    person: Person,
    role: str,
    *,
    capacity: int = 1,
    consent: bool = True,
    status: str = EnrolmentStatus.APPROVED,
) -> Enrolment:
    if consent and not Consent.objects.filter(person=person).exists():
        give_consent(person)
    return Enrolment.objects.create(
        organization_id=program.organization_id,
        program=program,
        person=person,
        role=role,
        status=status,
        capacity=capacity,
    )


def mentor(program: Program, *, capacity: int = 1, consent: bool = True, **kw: Any) -> Enrolment:
    prof_kw = {
        k: kw.pop(k)
        for k in list(kw)
        if k in ("interests", "request", "competencies", "deficits", "achievements")
    }
    person = TeacherFactory(organization=program.organization, **kw)
    profile(person, **prof_kw)
    return enrol(program, person, "mentor", capacity=capacity, consent=consent)


def mentee(program: Program, *, consent: bool = True, **kw: Any) -> Enrolment:
    prof_kw = {
        k: kw.pop(k)
        for k in list(kw)
        if k in ("interests", "request", "competencies", "deficits", "achievements")
    }
    person = PersonFactory(organization=program.organization, **kw)
    profile(person, **prof_kw)
    return enrol(program, person, "mentee", consent=consent)

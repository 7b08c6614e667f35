"""Builders for the surveys' tests: a program with mentors and mentees who have consents."""

from __future__ import annotations

from dataclasses import dataclass

from nastavnik.people.models import Person
from nastavnik.programs.models import Program
from nastavnik.surveys import services
from nastavnik.surveys.models import Survey
from tests.conftest import Tenant
from tests.factories import EnrolmentFactory, PersonFactory, ProgramFactory, consents_grant


@dataclass
class Setup:
    program: Program
    mentees: list[Person]
    mentors: list[Person]


def program_with_people(tenant: Tenant, *, mentees: int = 6, mentors: int = 2) -> Setup:
    program = ProgramFactory.create(organization=tenant.organization)
    pupils = [tenant.mentee_person] + [
        PersonFactory.create(organization=tenant.organization) for _ in range(mentees - 1)
    ]
    teachers = [tenant.mentor_person] + [
        PersonFactory.create(organization=tenant.organization, category="teacher")
        for _ in range(mentors - 1)
    ]
    for person in pupils:
        EnrolmentFactory.create(program=program, person=person, role="mentee")
        consents_grant(person)
    for person in teachers:
        EnrolmentFactory.create(program=program, person=person, role="mentor")
        consents_grant(person)
    return Setup(program, pupils, teachers)


def scale_survey(
    tenant: Tenant,
    program: Program,
    *,
    anonymous: bool,
    moment: str = "end",
    audience: str = "mentees",
) -> Survey:
    survey = services.survey_create(
        actor=tenant.curator,
        program=program,
        title=f"Удовлетворённость ({moment})",
        kind="satisfaction",
        moment=moment,
        audience=audience,
        anonymous=anonymous,
    )
    services.question_add(
        actor=tenant.curator, survey=survey, kind="scale", text="Насколько вы довольны?"
    )
    services.question_add(
        actor=tenant.curator, survey=survey, kind="long_text", text="Что изменить?", required=False
    )
    return survey

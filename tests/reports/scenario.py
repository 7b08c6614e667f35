"""A hand-built school whose monitoring figures are known (issue 19's «Done when»)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import cast

from nastavnik.accounts.models import Role, User
from nastavnik.consents.services import person_anonymize
from nastavnik.mentorships.models import MemberRole, Mentorship, MentorshipMember
from nastavnik.organizations.models import Organization, Territory
from nastavnik.people.models import Person, PersonCategory
from nastavnik.programs.models import Enrolment, Partner, Program, Variant
from tests.factories import (
    AcademicYearFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    TeacherFactory,
    UserFactory,
    form,
)

YEAR = 2026


def variant(form_code: str, code: str) -> Variant:
    return Variant.objects.get(form__code=form_code, code=code, organization__isnull=True)


def enrol(
    program: Program,
    person: Person,
    role: str,
    *,
    variant_code: str = "",
    trained_on: dt.date | None = None,
) -> Enrolment:
    return Enrolment.objects.create(
        organization=program.organization,
        program=program,
        person=person,
        role=role,
        variant=variant(program.form.code, variant_code) if variant_code else None,
        trained_on=trained_on,
    )


def mentorship(
    program: Program,
    mentors: list[Person],
    mentees: list[Person],
    *,
    status: str = "active",
    variant_code: str = "",
) -> Mentorship:
    """A pair or group of people already enrolled in the program."""
    m = Mentorship.objects.create(
        organization=program.organization,
        program=program,
        status=status,
        variant=variant(program.form.code, variant_code) if variant_code else None,
        is_group=len(mentees) > 1 or len(mentors) > 1,  # as mentorships_create marks it
    )
    for people, role in ((mentors, MemberRole.MENTOR), (mentees, MemberRole.MENTEE)):
        for person in people:
            MentorshipMember.objects.create(
                organization=program.organization,
                mentorship=m,
                enrolment=Enrolment.objects.get(program=program, person=person, role=role),
                person=person,
                role=role,
            )
    return m


@dataclass
class School:
    organization: Organization
    curator: User


def build_school(territory: Territory | None = None, label: str = "known") -> School:
    """5 pupils and 3 teachers (and a staff member, not counted); three programs of the year and
    one of the year before.

    - pupil 1 is a mentor in the pupils' program and a mentee in the teacher–pupil one;
    - pupil 2 is a mentee in two programs (counted once);
    - pupil 3 withdrew consent and is anonymised: still counted in the bases; she leaves her
      group, which goes on with the others (mentorships' rule on withdrawal);
    - pupil 4's pair is dissolved (not counted), pupil 5 is in no base;
    - teacher 1 mentors in two programs (trained in one), teacher 2 is a mentee.
    """
    extra = {"territory": territory} if territory else {}
    org = cast(Organization, OrganizationFactory(code=f"school-{label}", **extra))
    curator = cast(User, UserFactory(username=f"curator-{label}"))
    MembershipFactory(user=curator, role=Role.CURATOR, organization=org)
    p1, p2, p3, p4, _p5 = (cast(Person, PersonFactory(organization=org)) for _ in range(5))
    t1, t2, _t3 = (cast(Person, TeacherFactory(organization=org)) for _ in range(3))
    PersonFactory(organization=org, category=PersonCategory.STAFF, class_name="")
    pupils = ProgramFactory(organization=org, form=form("student-student"))
    gifted = ProgramFactory(organization=org, form=form("teacher-student"))
    teachers = ProgramFactory(organization=org, form=form("teacher-teacher"))
    last_year = ProgramFactory(
        organization=org,
        form=form("student-student"),
        academic_year=AcademicYearFactory(organization=org, start_year=YEAR - 1),
    )
    enrol(pupils, p1, "mentor")
    for pupil in (p2, p3, p4):
        enrol(pupils, pupil, "mentee", variant_code="achiever-underachiever")
    enrol(gifted, t1, "mentor", trained_on=dt.date(YEAR, 10, 1))
    enrol(gifted, p1, "mentee", variant_code="teacher-gifted")
    enrol(gifted, p2, "mentee", variant_code="teacher-gifted")
    enrol(teachers, t1, "mentor")
    enrol(teachers, t2, "mentee", variant_code="experienced-young")
    enrol(last_year, p4, "mentor")
    enrol(last_year, _p5, "mentee")

    mentorship(pupils, [p1], [p2])  # variant from the mentee's enrolment
    mentorship(pupils, [p1], [p2, p3], variant_code="peer-to-peer")  # a group
    mentorship(pupils, [p1], [p4], status="dissolved")
    mentorship(gifted, [t1], [p1], status="completed")
    mentorship(teachers, [t1], [t2])
    mentorship(last_year, [p4], [_p5])
    Partner.objects.create(organization=org, program=gifted, name="Университет")
    person_anonymize(actor=curator, person=p3)
    return School(org, curator)


EXPECTED = {
    "students_total": 5,
    "students_in_bases": 4,
    "students_mentees": 4,
    "students_mentors": 1,
    "teachers_total": 3,
    "teachers_in_bases": 2,
    "teachers_mentees": 1,
    "teachers_mentors": 1,
    "mentors_total": 2,
    "mentors_trained": 1,
    "partners": 1,
    "mentorships_completed": 1,
    "mentorships_dissolved": 1,
    "pairs_total": 3,
    "groups_total": 1,
    "programs_total": 3,
    "coverage_students": 80.0,
    "coverage_teachers": 66.7,
    "mentors_trained_share": 50.0,
    "satisfaction_mentors": None,
    "satisfaction_mentees": None,
    "mentees_improved_progress": None,
    "young_teachers_retained": None,
}
EXPECTED_BY_FORM = [
    # form, pairs, groups, distinct people
    ("student-student", 1, 1, 2),
    ("teacher-teacher", 1, 0, 2),
    ("teacher-student", 1, 0, 2),
]
EXPECTED_BY_VARIANT = [
    ("student-student", "achiever-underachiever", 1, 0, 2),
    ("student-student", "peer-to-peer", 0, 1, 2),
    ("teacher-teacher", "experienced-young", 1, 0, 2),
    ("teacher-student", "teacher-gifted", 1, 0, 2),
]

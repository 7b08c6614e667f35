"""The demo region: every role can log in, the records are plausible, the same seed gives the
same region, and the command refuses what it must."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nastavnik.accounts.access import access_for
from nastavnik.accounts.models import Role, User
from nastavnik.consents.models import GivenBy
from nastavnik.consents.selectors import has_valid_consent, missing_purposes
from nastavnik.core.text import normalize_class_name
from nastavnik.demo import data
from nastavnik.demo.names import family_of
from nastavnik.demo.registry import DemoContext
from nastavnik.demo.services import (
    DemoAlreadySeeded,
    demo_context,
    demo_exists,
    demo_reset,
    demo_seed,
)
from nastavnik.matching.models import Proposal, ProposalGroupMentor
from nastavnik.organizations.models import Organization, academic_start_year
from nastavnik.people.models import Kinship, KinshipKind, Person, PersonCategory, Profile
from nastavnik.people.selectors import person_list
from nastavnik.programs.models import Enrolment, EnrolmentRole, EnrolmentStatus, Program, Stage
from tests.conftest import DEMO_TEST_PASSWORD
from tests.factories import OrganizationFactory

PASSWORD = DEMO_TEST_PASSWORD


def _snapshot() -> list[tuple[object, ...]]:
    people = sorted(
        Person.objects.filter(organization__code__startswith="demo-").values_list(
            "organization__code",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "class_name",
            "snils",
            "category",
            "subject",
            "experience_years",
        )
    )
    profiles = sorted(
        Profile.objects.filter(organization__code__startswith="demo-").values_list(
            "person__snils", "interests", "request", "availability", "preferred_format"
        )
    )
    enrolments = sorted(
        Enrolment.objects.values_list(
            "program__organization__code",
            "program__form__code",
            "person__snils",
            "role",
            "status",
            "variant__code",
            "capacity",
        )
    )
    relatives = sorted(Kinship.objects.values_list("person_a__snils", "person_b__snils", "kind"))
    proposals = sorted(
        Proposal.objects.values_list(
            "run__program__form__code",
            "run__kind",
            "group__key",
            "mentee__person__snils",
            "mentor__person__snils",
            "state",
        ),
        key=repr,
    )
    teams = sorted(
        ProposalGroupMentor.objects.values_list(
            "group__run__program__form__code", "group__key", "mentor__person__snils", "position"
        )
    )
    return [*people, *profiles, *enrolments, *relatives, *proposals, *teams]


def test_every_named_login_logs_in_with_the_password(demo: DemoContext) -> None:
    failed = [
        login.username
        for login in data.NAMED_LOGINS
        if not Client().login(username=login.username, password=PASSWORD)
    ]
    assert failed == []


def test_each_login_has_its_role(demo: DemoContext) -> None:
    school = demo.organizations["demo-school-1"]
    assert access_for(demo.users["curator"]).is_curator_of(school.pk)
    assert access_for(demo.users["head"]).is_staff_of(school.pk)
    assert access_for(demo.users["mentor"]).has_role(school.pk, Role.MENTOR)
    assert access_for(demo.users["region"]).territory_roles == {
        demo.region.pk: frozenset({Role.REGIONAL_COORDINATOR})  # type: ignore[union-attr]
    }
    assert access_for(demo.users["admin"]).is_admin


def test_every_organization_has_a_curator_with_a_person_record(demo: DemoContext) -> None:
    for code, organization in demo.organizations.items():
        curator = demo.curators[code]
        assert Person.objects.get(user=curator).organization == organization


def test_pupils_are_as_old_as_their_class(demo: DemoContext) -> None:
    start = dt.date(academic_start_year(timezone.localdate()), 9, 1)
    pupils = Person.objects.filter(
        category=PersonCategory.STUDENT, organization__kind=Organization.Kind.SCHOOL
    )
    wrong = [
        (p.full_name, p.class_name, p.age_on(start))
        for p in pupils
        if p.age_on(start)
        not in (int(p.class_name.rstrip("АБ")) + 5, int(p.class_name.rstrip("АБ")) + 6)
    ]
    assert pupils.exists()
    assert wrong == []


def test_class_names_are_normalized(demo: DemoContext) -> None:
    names = set(Person.objects.exclude(class_name="").values_list("class_name", flat=True))
    assert names == {normalize_class_name(name) for name in names}


def test_full_names_are_unique_within_an_organization(demo: DemoContext) -> None:
    keys = list(
        Person.objects.values_list("organization_id", "last_name", "first_name", "middle_name")
    )
    assert len(keys) == len(set(keys))


def test_every_person_has_a_profile(demo: DemoContext) -> None:
    assert not Person.objects.filter(profile__isnull=True).exists()


def test_enrolments_respect_the_form_of_the_program(demo: DemoContext) -> None:
    wrong = []
    for enrolment in Enrolment.objects.select_related("program__form", "person", "variant"):
        form = enrolment.program.form
        allowed = (
            form.allows_mentor(enrolment.person.category)
            if enrolment.role == "mentor"
            else form.allows_mentee(enrolment.person.category)
        )
        if not allowed or enrolment.variant is None or enrolment.variant.form_id != form.pk:
            wrong.append(str(enrolment))
        if enrolment.person.organization_id != enrolment.program.organization_id:
            wrong.append(f"{enrolment}: another organization")
    assert Enrolment.objects.exists()
    assert wrong == []


def test_everyone_enrolled_has_a_valid_consent(demo: DemoContext) -> None:
    enrolled = Person.objects.filter(enrolments__isnull=False).distinct()
    assert [p.full_name for p in enrolled if missing_purposes(p)] == []


def test_minors_consents_are_signed_by_a_parent(demo: DemoContext) -> None:
    pupil = Person.objects.filter(category=PersonCategory.STUDENT).first()
    assert pupil is not None
    assert has_valid_consent(pupil, "personal_data")
    consent = pupil.consents.get(purpose="personal_data")
    assert consent.given_by == GivenBy.PARENT
    assert consent.representative_name


def test_programs_show_their_stage(demo: DemoContext) -> None:
    preparing = Program.objects.get(
        organization__code="demo-school-1", form__code="employer-student"
    )
    working = Program.objects.get(organization__code="demo-school-1", form__code="teacher-teacher")
    assert preparing.stage == Stage.PREPARATION
    assert not preparing.enrolments.exists()
    assert set(working.enrolments.values_list("status", flat=True)) == {EnrolmentStatus.ACTIVE}


def test_named_mentee_and_mentor_are_in_the_pupils_program(demo: DemoContext) -> None:
    program = demo.programs[("demo-school-1", "student-student")]
    roles = dict(
        program.enrolments.values_list("person__user__username", "role").exclude(
            person__user__isnull=True
        )
    )
    assert roles == {"mentee": "mentee", "student-mentor": "mentor"}


def test_the_school_has_relatives_recorded_by_its_curator(demo: DemoContext) -> None:
    school = demo.organizations["demo-school-1"]
    links = list(Kinship.objects.filter(organization=school).select_related("person_a", "person_b"))
    assert {link.kind for link in links} >= {KinshipKind.PARENT_CHILD}
    assert {link.created_by for link in links} == {demo.users["curator"]}
    for link in links:
        # One surname (its male or female form): the names tell the family.
        assert family_of(link.person_a.last_name) == family_of(link.person_b.last_name)
        # The named logins keep their story.
        assert link.person_a.user_id is None
        assert link.person_b.user_id is None
    mother, child = next(
        (link.person_a, link.person_b)
        if link.person_a.category == PersonCategory.TEACHER
        else (link.person_b, link.person_a)
        for link in links
        if link.kind == KinshipKind.PARENT_CHILD
    )
    assert (mother.category, child.category) == (PersonCategory.TEACHER, PersonCategory.STUDENT)
    assert 20 <= child.birth_date.year - mother.birth_date.year <= 45  # type: ignore[union-attr]
    people = {person.pk for link in links for person in (link.person_a, link.person_b)}
    assert len(people) == 2 * len(links)  # nobody is in two links


def test_a_mentor_and_a_mentee_of_the_pupils_program_are_relatives(demo: DemoContext) -> None:
    """So the run to review at «forming pairs» has relatives to keep apart."""
    program = demo.programs[("demo-school-1", "student-student")]
    roles = dict(program.enrolments.values_list("person_id", "role"))
    linked = [
        {roles.get(a), roles.get(b)}
        for a, b in Kinship.objects.values_list("person_a_id", "person_b_id")
    ]
    assert {EnrolmentRole.MENTOR, EnrolmentRole.MENTEE} in linked


def test_another_organizations_curator_sees_none_of_the_school(demo: DemoContext) -> None:
    school = demo.organizations["demo-school-1"]
    seen = person_list(user=demo.users["curator-lyceum"], organization_id=school.pk)
    assert not seen.exists()


def test_coordinators_see_no_personal_records(demo: DemoContext) -> None:
    assert not person_list(user=demo.users["municipality"]).exists()


def test_the_same_seed_gives_the_same_region(demo: DemoContext) -> None:
    first = _snapshot()
    demo_reset()
    demo_seed(compact=True, password=PASSWORD)
    assert _snapshot() == first


def test_another_seed_gives_other_people(demo: DemoContext) -> None:
    first = _snapshot()
    demo_reset()
    demo_seed(seed=7, compact=True, password=PASSWORD)
    assert _snapshot() != first


def test_reset_removes_the_region_and_its_logins(demo: DemoContext) -> None:
    demo_reset()
    assert not demo_exists()
    assert not User.objects.filter(username__in=data.DEMO_USERNAMES).exists()
    assert not Person.objects.exists()


def test_reset_keeps_other_organizations(demo: DemoContext) -> None:
    other = OrganizationFactory.create()
    demo_reset()
    assert Organization.objects.filter(pk=other.pk).exists()


def test_seeding_twice_is_refused(demo: DemoContext) -> None:
    with pytest.raises(DemoAlreadySeeded):
        demo_seed(compact=True)


def test_some_people_wait_for_their_consent_and_are_not_enrolled(demo: DemoContext) -> None:
    # One person in twenty has not brought the signed consent yet.
    waiting = [p for p in Person.objects.all() if missing_purposes(p)]
    assert waiting
    assert not Enrolment.objects.filter(person__in=waiting).exists()


def test_the_context_of_a_seeded_demo_can_be_read_back(demo: DemoContext) -> None:
    read = demo_context()
    assert read.organizations == demo.organizations
    assert read.users == demo.users
    assert read.curators == demo.curators
    assert read.programs == demo.programs
    assert {code: [p.pk for p in people] for code, people in read.people.items()} == {
        code: [p.pk for p in people] for code, people in demo.people.items()
    }


def test_the_full_school_has_583_pupils_and_51_teachers() -> None:
    """The full demo (not the compact one the tests seed) has the target model's school."""
    from nastavnik.demo import data
    from nastavnik.demo.services import _pupils_per_class

    school = next(spec for spec in data.ORGANIZATIONS if spec.code == "demo-school-1")
    logins = [login for login in data.NAMED_LOGINS if login.organization == school.code]
    named_pupils = sum(1 for login in logins if login.category == "student")
    named_teachers = sum(1 for login in logins if login.category == "teacher")
    per_class = _pupils_per_class(school, named_pupils=named_pupils)
    assert sum(per_class.values()) + named_pupils == 583
    assert max(per_class.values()) - min(per_class.values()) <= 1
    assert school.teachers == 51
    assert named_teachers <= 51
    kinds = {spec.kind for spec in data.ORGANIZATIONS}
    assert {"school", "college", "kindergarten", "employer"} <= kinds

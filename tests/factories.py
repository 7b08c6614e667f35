"""Factories for test data. Every test builds what it needs through these."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from nastavnik.accounts.models import Membership, Role, User
from nastavnik.core.validators import make_snils
from nastavnik.organizations.models import AcademicYear, Organization, Territory
from nastavnik.people.models import Competency, Person, PersonCategory, Profile
from nastavnik.programs.models import Enrolment, MentoringForm, Program


class TerritoryFactory(DjangoModelFactory[Territory]):
    class Meta:
        model = Territory
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Муниципалитет {n}")
    level = Territory.Level.MUNICIPALITY
    code = factory.Sequence(lambda n: f"territory-{n}")
    parent = factory.LazyFunction(
        lambda: Territory.objects.get_or_create(
            code="test-region",
            defaults={"name": "Тестовая область", "level": Territory.Level.REGION},
        )[0]
    )


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    territory = factory.SubFactory(TerritoryFactory)
    kind = Organization.Kind.SCHOOL
    name = factory.Sequence(
        lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»"
    )
    short_name = factory.Sequence(lambda n: f"Школа № {n}")
    code = factory.Sequence(lambda n: f"school-{n}")


class AcademicYearFactory(DjangoModelFactory[AcademicYear]):
    class Meta:
        model = AcademicYear
        django_get_or_create = ("organization", "start_year")

    organization = factory.SubFactory(OrganizationFactory)
    start_year = 2026


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Пользователев"
    first_name = "Пётр"
    password = factory.PostGenerationMethodCall("set_password", "password")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CURATOR
    organization = factory.SubFactory(OrganizationFactory)


_snils_counter = iter(range(200_000_000, 900_000_000, 7919))


class PersonFactory(DjangoModelFactory[Person]):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    last_name = factory.Sequence(lambda n: f"Иванов{'аеиоу'[n % 5]}{n}")
    first_name = "Анна"
    middle_name = "Сергеевна"
    birth_date = dt.date(2012, 3, 15)
    category = PersonCategory.STUDENT
    class_name = "7Б"
    snils = factory.LazyFunction(lambda: make_snils(str(next(_snils_counter)).zfill(9)))

    @factory.post_generation
    def profile(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            Profile.objects.get_or_create(person=self, defaults={"organization": self.organization})


class TeacherFactory(PersonFactory):
    category = PersonCategory.TEACHER
    class_name = ""
    birth_date = dt.date(1985, 6, 1)
    subject = "Математика"
    experience_years = 12


def competency(code: str) -> Competency:
    return Competency.objects.get(code=code)


def form(code: str) -> MentoringForm:
    return MentoringForm.objects.get(code=code)


class ProgramFactory(DjangoModelFactory[Program]):
    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    academic_year = factory.LazyAttribute(
        lambda o: AcademicYearFactory(organization=o.organization)
    )
    form = factory.LazyFunction(lambda: MentoringForm.objects.get(code="teacher-student"))
    title = factory.Sequence(lambda n: f"Программа наставничества {n}")


class EnrolmentFactory(DjangoModelFactory[Enrolment]):
    class Meta:
        model = Enrolment

    program = factory.SubFactory(ProgramFactory)
    organization = factory.LazyAttribute(lambda o: o.program.organization)
    person = factory.LazyAttribute(lambda o: PersonFactory(organization=o.program.organization))
    role = "mentee"


def consents_grant(person: Person, *, given_on: dt.date | None = None) -> None:
    """Valid consents to the processing of personal data and to participation (tests, demo)."""
    from nastavnik.consents.models import PROCESSING_PURPOSES, Consent, GivenBy
    from nastavnik.consents.selectors import consent_text_current

    day = given_on or dt.date(2026, 9, 1)
    minor = person.category == PersonCategory.STUDENT
    for purpose in PROCESSING_PURPOSES:
        Consent.objects.create(
            organization_id=person.organization_id,
            person=person,
            purpose=purpose,
            text=consent_text_current(purpose, on=day),
            given_by=GivenBy.PARENT if minor else GivenBy.PERSON,
            representative_name="Родителева Мария Ивановна" if minor else "",
            given_on=day,
        )

"""The builder of the core region: territories, logins, organizations, people with their
profiles, and the programs of the current year with their bases."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured

from nastavnik.accounts.models import Membership, Role, User
from nastavnik.consents.models import PROCESSING_PURPOSES, GivenBy
from nastavnik.consents.selectors import is_minor
from nastavnik.consents.services import consent_record
from nastavnik.core.audit import audit
from nastavnik.core.validators import make_snils
from nastavnik.demo import data
from nastavnik.demo.names import draw_name, draw_parent, family_of
from nastavnik.demo.registry import DemoContext
from nastavnik.demo.services.parts import (
    _COLLEGE_REQUESTS,
    _TEACHER_INTERESTS,
    _TEACHER_NEEDS,
    _adult_birth_date,
    _capacity,
    _join_needs,
    _mentee_pool,
    _mentee_variant,
    _mentor_pool,
    _Name,
    _pupil_birth_date,
    _pupil_request,
    _pupils_per_class,
    _statuses,
    _subjects_for_grade,
    _Traits,
    _weekly,
)
from nastavnik.mentorships.services import NewMentorship, mentorships_create
from nastavnik.organizations.models import (
    AcademicYear,
    Organization,
    Territory,
    academic_start_year,
)
from nastavnik.organizations.services import academic_year_ensure
from nastavnik.people import services as people_services
from nastavnik.people.models import (
    Achievement,
    Competency,
    Format,
    Level,
    Person,
    PersonCategory,
)
from nastavnik.programs import services as program_services
from nastavnik.programs.models import (
    Enrolment,
    EnrolmentRole,
    MentoringForm,
    MentoringModel,
    Program,
    Stage,
    Variant,
)


class _Builder:
    def __init__(self, context: DemoContext, password: str, *, compact: bool = False) -> None:
        self.context = context
        self.compact = compact
        # One hash for every demo login: hashing is deliberately slow, the demo has a dozen.
        self.password_hash = make_password(password)
        self.competencies = {c.code: c.pk for c in Competency.objects.only("pk", "code")}
        if not self.competencies or not MentoringForm.objects.exists():
            raise ImproperlyConfigured(
                "The competency taxonomy or the programs catalogue is missing: run migrate."
            )
        self.traits: dict[int, _Traits] = {}
        self.used_names: set[tuple[str, str, str]] = {
            (login.last_name, login.first_name, login.middle_name)
            for login in data.NAMED_LOGINS
            if login.last_name
        }
        self.snils_counter = 0
        self.unconsented: set[int] = set()
        # Person ids already in a base of the organization.
        self.enrolled: dict[str, set[int]] = {}

    # --- the region ---------------------------------------------------------------------------

    def build(self) -> None:
        self._territories()
        for login in data.NAMED_LOGINS:
            if login.organization is None:
                self._territory_login(login)
        for index, spec in enumerate(data.ORGANIZATIONS):
            self._organization(index, spec)

    def _territories(self) -> None:
        code, name = data.REGION
        region = Territory(code=code, name=name, level=Territory.Level.REGION)
        region.full_clean()
        region.save()
        self.context.region = region
        for code, name in data.MUNICIPALITIES.items():
            municipality = Territory(
                code=code, name=name, level=Territory.Level.MUNICIPALITY, parent=region
            )
            municipality.full_clean()
            municipality.save()
            self.context.municipalities[code] = municipality

    def _user(self, login: data.NamedLogin) -> User:
        user = User(
            username=login.username,
            last_name=login.last_name,
            first_name=login.first_name,
            middle_name=login.middle_name,
            password=self.password_hash,
            is_superuser=login.role == Role.ADMIN,
            is_staff=login.role == Role.ADMIN,
        )
        user.full_clean()
        user.save()
        self.context.users[login.username] = user
        return user

    def _membership(
        self,
        user: User,
        role: str,
        *,
        organization: Organization | None = None,
        territory: Territory | None = None,
    ) -> None:
        membership = Membership(
            user=user, role=role, organization=organization, territory=territory
        )
        membership.full_clean()
        membership.save()

    def _territory_login(self, login: data.NamedLogin) -> None:
        user = self._user(login)
        assert self.context.region is not None
        if login.role == Role.REGIONAL_COORDINATOR:
            self._membership(user, login.role, territory=self.context.region)
        elif login.role == Role.MUNICIPAL_COORDINATOR:
            territory = self.context.municipalities[data.COORDINATED_MUNICIPALITY]
            self._membership(user, login.role, territory=territory)
        elif login.role == Role.ADMIN:
            self._membership(user, login.role)

    # --- an organization ----------------------------------------------------------------------

    def _organization(self, index: int, spec: data.OrganizationSpec) -> None:
        rng = self.context.rng_for("organization", spec.code)
        logins = [login for login in data.NAMED_LOGINS if login.organization == spec.code]
        head = next((login for login in logins if login.role == Role.HEAD), None)
        head_name = (
            " ".join((head.last_name, head.first_name, head.middle_name))
            if head
            else self._name(rng).full
        )
        organization = Organization(
            code=spec.code,
            territory=self.context.municipalities[spec.municipality],
            kind=spec.kind,
            name=spec.name,
            short_name=spec.short_name,
            address=spec.address,
            head_name=head_name,
            head_position=spec.head_position,
        )
        organization.full_clean()
        organization.save()
        year = academic_year_ensure(organization=organization, day=self.context.today)
        self.context.organizations[spec.code] = organization
        self.context.people[spec.code] = []

        curator_login = next(login for login in logins if login.role == Role.CURATOR)
        curator = self._user(curator_login)
        self._membership(curator, Role.CURATOR, organization=organization)
        self.context.curators[spec.code] = curator
        self.snils_counter = 100_000_000 + index * 10_000_000

        named: dict[str, Person] = {}
        for login in logins:
            user = curator if login is curator_login else self._user(login)
            if login is not curator_login:
                self._membership(user, login.role, organization=organization)
            named[login.username] = self._named_person(organization, year, curator, login, user)

        kind = Organization.Kind(spec.kind)
        named_teachers = sum(1 for login in logins if login.category == "teacher")
        for number in range(self._count(spec.teachers, minimum=4) - named_teachers):
            # Every fifth teacher, the first included, is a young specialist, so a teacher –
            # teacher program always has mentees, even in a compact demo.
            self._teacher(organization, year, curator, rng, kind, young_specialist=number % 5 == 0)
        per_class = _pupils_per_class(
            spec, named_pupils=sum(1 for login in logins if login.category == "student")
        )
        for class_name in spec.classes:
            # The big school keeps a tenth of its pupils in a compact demo, the others a quarter.
            share = 10 if spec.pupils else 4
            for _ in range(self._count(per_class[class_name], minimum=2, share=share)):
                if kind == Organization.Kind.COLLEGE:
                    self._college_student(organization, year, curator, rng, class_name)
                else:
                    self._pupil(organization, year, curator, rng, class_name)
        for _ in range(self._count(spec.university_students, minimum=2)):
            self._university_student(organization, year, curator, rng)
        for _ in range(self._count(spec.employer_specialists, minimum=2)):
            self._employer_specialist(organization, year, curator, rng)

        for program_spec in spec.programs:
            self._program(organization, curator, program_spec, logins, named)

    def _count(self, wanted: int, *, minimum: int, share: int = 4) -> int:
        """At scale 1 what the spec says; a compact demo keeps about 1/``share`` of it."""
        if self.compact:
            return min(wanted, max(minimum, wanted // share))
        return wanted * self.context.scale

    # --- people -------------------------------------------------------------------------------

    def _name(self, rng: random.Random) -> _Name:
        return _Name(draw_name(rng, self.used_names))

    def _snils(self) -> str:
        self.snils_counter += 1
        return make_snils(f"{self.snils_counter:09d}")

    def _create_person(
        self,
        organization: Organization,
        curator: User,
        *,
        family: tuple[str, str],
        always_consents: bool = False,
        **fields: Any,
    ) -> Person:
        """A person of the organization, with the consents that most people have signed."""
        person = people_services.person_create(
            actor=curator, organization=organization, snils=self._snils(), **fields
        )
        people = self.context.people[organization.code]
        people.append(person)
        rng = self.context.rng_for("consent", organization.code, len(people))
        # One person in twenty has not brought the signed consent yet: the curator's list of
        # «needs attention» is not empty, and the bases show who cannot be enrolled.
        if always_consents or rng.random() >= 0.05:
            year_start = dt.date(academic_start_year(self.context.today), 9, 1)
            given_on = min(year_start + dt.timedelta(days=rng.randint(0, 20)), self.context.today)
            minor = is_minor(person, on=given_on)
            representative = draw_parent(rng, family) if minor else ""
            for purpose in PROCESSING_PURPOSES:
                consent_record(
                    actor=curator,
                    person=person,
                    purpose=purpose,
                    given_on=given_on,
                    given_by=GivenBy.PARENT if minor else GivenBy.PERSON,
                    representative_name=representative,
                )
        else:
            self.unconsented.add(person.pk)
        return person

    def _profile(
        self,
        person: Person,
        curator: User,
        *,
        interests: str = "",
        request: str = "",
        preferred_format: str = Format.ANY,
        availability: int = 0,
        competencies: Mapping[str, int] | None = None,
        deficits: Iterable[str] = (),
        achievements: Mapping[str, int] | None = None,
    ) -> None:
        ids = self.competencies
        people_services.profile_update(
            actor=curator,
            person=person,
            interests=interests,
            request=request,
            preferred_format=preferred_format,
            availability=availability,
            notes="",
            competencies={ids[code]: level for code, level in (competencies or {}).items()},
            deficits=sorted({ids[code] for code in deficits}),
            achievements={ids[code]: level for code, level in (achievements or {}).items()},
        )

    def _named_person(
        self,
        organization: Organization,
        year: AcademicYear,
        curator: User,
        login: data.NamedLogin,
        user: User,
    ) -> Person:
        rng = self.context.rng_for("named", login.username)
        fields: dict[str, Any] = {
            "last_name": login.last_name,
            "first_name": login.first_name,
            "middle_name": login.middle_name,
            "sex": login.sex,
            "category": login.category,
            "position": login.position,
            "subject": login.subject,
            "experience_years": login.experience_years,
            "user": user,
            "family": family_of(login.last_name),
            "always_consents": True,
        }
        if login.category == PersonCategory.STUDENT:
            grade = int(login.class_name.rstrip("АБВГ"))
            fields["class_name"] = login.class_name
            fields["birth_date"] = _pupil_birth_date(rng, year.start_year, grade)
            person = self._create_person(organization, curator, **fields)
            achievements = dict(login.achievements)
            traits = _Traits(
                person,
                grade=grade,
                ability=1.5 if login.enrol_as_mentor else -1.0,
                weak=[code for code, level in achievements.items() if level == Achievement.WEAK],
                strong=[
                    code for code, level in achievements.items() if level == Achievement.STRONG
                ],
            )
            self.traits[person.pk] = traits
            self._pupil_profile(rng, curator, traits, achievements, interests_count=2)
            return person
        experience = login.experience_years or 0
        fields["birth_date"] = _adult_birth_date(rng, year.start_year, 23 + experience)
        person = self._create_person(organization, curator, **fields)
        self.traits[person.pk] = _Traits(person, experience=experience)
        subjects = next(
            (codes for name, codes in data.TEACHER_SUBJECTS if name == login.subject), ()
        )
        if login.category == PersonCategory.STAFF and not subjects:
            subjects = ("mentoring-methods",)
        self._teacher_profile(rng, curator, person, experience, subjects, organization.kind)
        return person

    def _teacher(
        self,
        organization: Organization,
        year: AcademicYear,
        curator: User,
        rng: random.Random,
        kind: Organization.Kind,
        *,
        young_specialist: bool = False,
    ) -> None:
        name = self._name(rng)
        # About one teacher in five is a young specialist (0–3 years): the teacher – teacher
        # programs need them.
        young = rng.random() < 0.22 or young_specialist
        experience = rng.randint(0, 3) if young else rng.randint(4, 38)
        codes: tuple[str, ...]
        if kind == Organization.Kind.KINDERGARTEN:
            subject, codes = "", data.PRESCHOOL_METHODS[:2]
            position = rng.choice(
                (
                    "воспитатель",
                    "воспитатель",
                    "воспитатель",
                    "музыкальный руководитель",
                    "учитель-логопед",
                    "инструктор по физической культуре",
                )
            )
        elif kind == Organization.Kind.COLLEGE:
            subject, codes = rng.choice(data.COLLEGE_SUBJECTS)
            position = "преподаватель"
        else:
            subject, codes = rng.choice(data.TEACHER_SUBJECTS)
            position = "учитель"
        person = self._create_person(
            organization,
            curator,
            **name.fields,
            category=PersonCategory.TEACHER,
            birth_date=_adult_birth_date(rng, year.start_year, 22 + experience + rng.randint(0, 4)),
            subject=subject,
            position=position,
            experience_years=experience,
        )
        self.traits[person.pk] = _Traits(person, experience=experience)
        self._teacher_profile(rng, curator, person, experience, codes, kind)

    def _teacher_profile(
        self,
        rng: random.Random,
        curator: User,
        person: Person,
        experience: int,
        subject_codes: Sequence[str],
        kind: str,
    ) -> None:
        young = experience <= 3
        competencies = dict.fromkeys(
            subject_codes, Level.CONFIDENT if young or experience < 10 else Level.EXPERT
        )
        methods = (
            data.PRESCHOOL_METHODS
            if kind == Organization.Kind.KINDERGARTEN
            else (data.TEACHER_METHODS)
        )
        if young:
            deficits = set(rng.sample(data.YOUNG_TEACHER_DEFICITS, rng.randint(2, 3)))
            if kind == Organization.Kind.KINDERGARTEN:
                deficits = set(rng.sample(data.PRESCHOOL_METHODS, 2))
            for code in rng.sample(methods, 1):
                if code not in deficits:
                    competencies.setdefault(code, Level.BASIC)
            phrases = [_TEACHER_NEEDS.get(code, "") for code in sorted(deficits)]
            request = _join_needs([p for p in phrases if p])
            # A young specialist is at ease with digital tools: the reverse model uses that.
            competencies["digital-tools"] = Level.CONFIDENT
        else:
            deficits = {"digital-tools"} if experience >= 20 and rng.random() < 0.35 else set()
            for code in rng.sample(methods, rng.randint(2, 4)):
                if code not in deficits:
                    competencies.setdefault(
                        code, Level.EXPERT if experience >= 15 else Level.CONFIDENT
                    )
            if experience >= 10:
                competencies["mentoring-methods"] = Level.CONFIDENT
            request = (
                "Хочу освоить цифровые образовательные ресурсы и онлайн-доску." if deficits else ""
            )
        self._profile(
            person,
            curator,
            interests=", ".join(rng.sample(_TEACHER_INTERESTS, 2)),
            request=request,
            preferred_format=rng.choice((Format.IN_PERSON, Format.IN_PERSON, Format.ANY)),
            availability=_weekly(rng, days=range(5), parts=(1,), at_least=2),
            competencies=competencies,
            deficits=deficits,
        )

    def _pupil(
        self,
        organization: Organization,
        year: AcademicYear,
        curator: User,
        rng: random.Random,
        class_name: str,
    ) -> None:
        grade = int(class_name.rstrip("АБВГ"))
        name = self._name(rng)
        person = self._create_person(
            organization,
            curator,
            **name.fields,
            category=PersonCategory.STUDENT,
            class_name=class_name,
            birth_date=_pupil_birth_date(rng, year.start_year, grade),
        )
        ability = rng.gauss(0.0, 1.0)
        subjects = list(_subjects_for_grade(grade))
        achievements: dict[str, int] = {}
        for code in rng.sample(subjects, min(len(subjects), rng.randint(4, 6))):
            score = ability + rng.gauss(0.0, 0.8)
            achievements[code] = (
                Achievement.WEAK
                if score < -0.6
                else Achievement.STRONG
                if score > 0.7
                else (Achievement.MEDIUM)
            )
        traits = _Traits(
            person,
            grade=grade,
            ability=ability,
            weak=[code for code, level in achievements.items() if level == Achievement.WEAK],
            strong=[code for code, level in achievements.items() if level == Achievement.STRONG],
            adapting=grade == 5 and rng.random() < 0.25,
        )
        self.traits[person.pk] = traits
        self._pupil_profile(rng, curator, traits, achievements, interests_count=rng.randint(1, 3))

    def _pupil_profile(
        self,
        rng: random.Random,
        curator: User,
        traits: _Traits,
        achievements: dict[str, int],
        *,
        interests_count: int,
    ) -> None:
        interests = rng.sample(data.PUPIL_INTERESTS, interests_count)
        competencies: dict[str, int] = {}
        for _text, codes in interests:
            for code in codes:
                competencies[code] = Level.BASIC
        for code in traits.strong:
            competencies[code] = Level.EXPERT if traits.ability > 1.5 else Level.CONFIDENT
        deficits = set(traits.weak[:3])
        if traits.adapting:
            deficits.add("adaptation")
        elif rng.random() < 0.15:
            deficits.add(rng.choice(data.PUPIL_SOFT_DEFICITS))
        self._profile(
            traits.person,
            curator,
            interests=", ".join(text for text, _codes in interests),
            request=_pupil_request(rng, traits),
            preferred_format=rng.choice(
                (Format.IN_PERSON, Format.IN_PERSON, Format.ANY, Format.ANY, Format.ONLINE)
            ),
            availability=_weekly(rng, days=range(6), parts=(1,), at_least=2),
            competencies=competencies,
            deficits=deficits - set(competencies),
            achievements=achievements,
        )

    def _college_student(
        self,
        organization: Organization,
        year: AcademicYear,
        curator: User,
        rng: random.Random,
        group: str,
    ) -> None:
        # «ТМ-2» in the data is the second course of the «ТМ» speciality; the group is named after
        # the year it was admitted, as colleges do: «ТМ-25» in 2026/2027.
        speciality, course_text = group.rsplit("-", 1)
        course = int(course_text)
        name = self._name(rng)
        person = self._create_person(
            organization,
            curator,
            **name.fields,
            category=PersonCategory.UNIVERSITY_STUDENT,
            class_name=f"{speciality}-{(year.start_year - course + 1) % 100:02d}",
            birth_date=_adult_birth_date(rng, year.start_year, 15 + course),
            position=f"{name.student_word} {course} курса",
        )
        self.traits[person.pk] = _Traits(person, ability=rng.gauss(0.0, 1.0))
        self._profile(
            person,
            curator,
            interests=", ".join(text for text, _codes in rng.sample(data.PUPIL_INTERESTS, 2)),
            request=rng.choice(_COLLEGE_REQUESTS),
            preferred_format=rng.choice((Format.IN_PERSON, Format.ANY)),
            availability=_weekly(rng, days=range(5), parts=(1, 2), at_least=2),
            competencies={"workplace-skills": Level.BASIC},
            deficits=rng.sample(("professional-trials", "career-guidance", "teamwork"), 2),
        )

    def _university_student(
        self, organization: Organization, year: AcademicYear, curator: User, rng: random.Random
    ) -> None:
        name = self._name(rng)
        course = rng.randint(2, 4)
        subject, codes = rng.choice(data.TEACHER_SUBJECTS[:8])
        person = self._create_person(
            organization,
            curator,
            **name.fields,
            category=PersonCategory.UNIVERSITY_STUDENT,
            birth_date=_adult_birth_date(rng, year.start_year, 17 + course),
            subject=subject,
            position=f"{name.student_word} {course} курса, {data.UNIVERSITY}",
        )
        self.traits[person.pk] = _Traits(person, ability=1.0)
        competencies = dict.fromkeys(codes, Level.CONFIDENT)
        competencies.update({"communication": Level.CONFIDENT, "career-guidance": Level.BASIC})
        self._profile(
            person,
            curator,
            interests=", ".join(text for text, _codes in rng.sample(data.PUPIL_INTERESTS, 2)),
            preferred_format=rng.choice((Format.ONLINE, Format.ANY)),
            availability=_weekly(rng, days=range(6), parts=(1, 2), at_least=3),
            competencies=competencies,
        )

    def _employer_specialist(
        self, organization: Organization, year: AcademicYear, curator: User, rng: random.Random
    ) -> None:
        name = self._name(rng)
        position, employer, codes = rng.choice(data.EMPLOYERS)
        person = self._create_person(
            organization,
            curator,
            **name.fields,
            category=PersonCategory.EMPLOYER_SPECIALIST,
            birth_date=_adult_birth_date(rng, year.start_year, rng.randint(27, 55)),
            position=f"{position}, {employer}",
        )
        self.traits[person.pk] = _Traits(person, experience=rng.randint(5, 30))
        self._profile(
            person,
            curator,
            interests="профориентация, экскурсии на производство",
            preferred_format=rng.choice((Format.ONLINE, Format.ANY, Format.ANY)),
            availability=_weekly(rng, days=range(6), parts=(2,), at_least=2),
            competencies=dict.fromkeys(codes[:1], Level.EXPERT)
            | dict.fromkeys(codes[1:], Level.CONFIDENT),
        )

    # --- programs and their bases -------------------------------------------------------------

    def _program(
        self,
        organization: Organization,
        curator: User,
        spec: data.ProgramSpec,
        logins: list[data.NamedLogin],
        named: dict[str, Person],
    ) -> None:
        form = MentoringForm.objects.get(code=spec.form)
        program, _created = program_services.program_get_or_create_current(
            actor=curator, organization=organization, form=form
        )
        variants = {v.code: v for v in Variant.objects.filter(form=form, organization__isnull=True)}
        year = program.academic_year.title
        program.title = f"Программа наставничества «{form.name}» на {year} учебный год"
        program.goals, program.tasks, program.expected_results = (
            spec.goals,
            spec.tasks,
            spec.results,
        )
        program.stage = spec.stage
        program.is_public = spec.stage >= Stage.WORK
        program.full_clean()
        program.save()
        program.variants.set([variants[code] for code in spec.variants])
        program.models_used.set(MentoringModel.objects.filter(code__in=spec.models))
        audit(actor=curator, action="program.update", obj=program)
        self.context.programs[(organization.code, form.code)] = program

        rng = self.context.rng_for("program", organization.code, form.code)
        mentor_status, mentee_status = _statuses(spec.stage)
        scale = self.context.scale
        people = [
            self.traits[p.pk]
            for p in self.context.people[organization.code]
            if p.pk not in self.unconsented
        ]
        # Nobody is in two bases of the organization (but a named login the demo guide puts in
        # two): each program's base adds its own people, so the report's figures are the sums
        # the seed hands in.
        busy = self.enrolled.setdefault(organization.code, set())
        mentee_enrolments: list[Enrolment] = []
        mentor_enrolments: list[Enrolment] = []
        if mentee_status is not None:
            first = [
                self.traits[named[login.username].pk]
                for login in logins
                if spec.form in login.enrol_as_mentee
            ]
            pool = first + [
                t
                for t in _mentee_pool(form, people, spec.variants)
                if t not in first and t.person.pk not in busy
            ]
            for traits, variant_code in self._mentee_variants(form.code, spec, pool):
                enrolment, _changed = program_services.enrolment_upsert(
                    actor=curator,
                    program=program,
                    person=traits.person,
                    role=EnrolmentRole.MENTEE,
                    variant=variants[variant_code],
                    status=mentee_status(rng),
                )
                busy.add(traits.person.pk)
                mentee_enrolments.append(enrolment)
        if mentor_status is not None:
            first = [
                self.traits[named[login.username].pk]
                for login in logins
                if spec.form in login.enrol_as_mentor
            ]
            # Pairs formed by hand keep families apart: such a program's mentors share no
            # surname with its mentees (so no relatives are paired, nor found in its bases).
            families = (
                {family_of(e.person.last_name) for e in mentee_enrolments}
                if spec.mentorships
                else set()
            )
            pool = first + [
                t
                for t in _mentor_pool(form, people)
                if t not in first
                and t.person.pk not in busy
                and family_of(t.person.last_name) not in families
            ]
            for traits in pool[: spec.mentors * scale]:
                enrolment, _changed = program_services.enrolment_upsert(
                    actor=curator,
                    program=program,
                    person=traits.person,
                    role=EnrolmentRole.MENTOR,
                    capacity=_capacity(rng, form.code, spec.mentor_capacity),
                    variant=variants[spec.variants[0]],
                    status=mentor_status(rng),
                )
                busy.add(traits.person.pk)
                mentor_enrolments.append(enrolment)
        if spec.mentorships and spec.stage == Stage.WORK:
            self._mentorships(curator, program, spec, mentor_enrolments, mentee_enrolments)

    def _mentee_variants(
        self, form_code: str, spec: data.ProgramSpec, pool: list[_Traits]
    ) -> list[tuple[_Traits, str]]:
        """The mentees to enrol with their variants: the spec's pairs and groups per variant
        (those who fit a variant best first), else the first of the pool by their own fit."""
        scale = self.context.scale
        if not spec.mentorships:
            return [
                (t, _mentee_variant(form_code, t, spec.variants))
                for t in pool[: spec.mentees * scale]
            ]
        left = list(pool)
        chosen: list[tuple[_Traits, str]] = []
        for pairs in spec.mentorships:
            wanted = pairs.mentees * scale
            fit = [t for t in left if _mentee_variant(form_code, t, spec.variants) == pairs.variant]
            fit_ids = {t.person.pk for t in fit}
            taken = (fit + [t for t in left if t.person.pk not in fit_ids])[:wanted]
            taken_ids = {t.person.pk for t in taken}
            chosen.extend((t, pairs.variant) for t in taken)
            left = [t for t in left if t.person.pk not in taken_ids]
        return chosen

    def _mentorships(
        self,
        curator: User,
        program: Program,
        spec: data.ProgramSpec,
        mentors: list[Enrolment],
        mentees: list[Enrolment],
    ) -> None:
        """The spec's pairs and groups, formed by hand in one call (as far as the base allows):
        each takes the next mentees of its variant and the next mentor with a free place who
        shares no surname with them (so no relatives are ever paired)."""
        by_variant: dict[int | None, list[Enrolment]] = {}
        for enrolment in mentees:
            by_variant.setdefault(enrolment.variant_id, []).append(enrolment)
        codes = {v.pk: v.code for v in program.variants.all()}
        queues = {codes.get(pk or 0, ""): queue for pk, queue in by_variant.items()}
        free = {m.pk: m.capacity for m in mentors}
        people = {e.pk: e.person for e in (*mentors, *mentees)}
        # The first mentor (a named login, maybe mentoring in another program too) takes the
        # last place of each round: the demo's week puts the first pair of every program at one
        # hour, and one person cannot meet two pairs at once.
        turn = 1 % len(mentors) if mentors else 0
        items: list[NewMentorship] = []

        def mentor_for(group: list[Enrolment]) -> Enrolment | None:
            nonlocal turn
            families = {family_of(people[e.pk].last_name) for e in group}
            for step in range(len(mentors)):
                mentor = mentors[(turn + step) % len(mentors)]
                if free[mentor.pk] > 0 and family_of(people[mentor.pk].last_name) not in families:
                    turn = (turn + step + 1) % len(mentors)
                    free[mentor.pk] -= 1
                    return mentor
            return None

        scale = self.context.scale
        for pairs in spec.mentorships:
            queue = queues.get(pairs.variant, [])
            sizes = [1] * (pairs.pairs * scale) + [pairs.group_size] * (pairs.groups * scale)
            for size in sizes:
                if len(queue) < size or not mentors:
                    break
                group, queue[:] = queue[:size], queue[size:]
                mentor = mentor_for(group)
                if mentor is None:
                    break
                items.append(NewMentorship(mentors=[mentor], mentees=group, is_group=size > 1))
        if not items:
            return
        year_start = dt.date(program.academic_year.start_year, 9, 1)
        mentorships_create(
            actor=curator,
            program=program,
            items=items,
            started_on=min(year_start + dt.timedelta(days=75), self.context.today),
        )

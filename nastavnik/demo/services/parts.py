"""What the builder draws from: the constants of the demo, what it knows of a person beyond the
record, and the small pure helpers (names, birth dates, timetables, pools, variants, capacity)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nastavnik.demo import data
from nastavnik.demo.names import FullName
from nastavnik.people.models import (
    Person,
    PersonCategory,
    availability_bit,
)
from nastavnik.programs.models import (
    EnrolmentStatus,
    MentoringForm,
    Stage,
)

DEFAULT_SEED = 2025
DEFAULT_PASSWORD = "nastavnik-demo"  # noqa: S105 -- printed by seed_demo; refused in production
DEMO_CODE_PREFIX = "demo-"


@dataclass
class _Traits:
    """What the builder knows of a person beyond the record: used to pick the bases."""

    person: Person
    grade: int | None = None  # school grade of a pupil
    ability: float = 0.0
    weak: list[str] = field(default_factory=list)  # subject codes
    strong: list[str] = field(default_factory=list)
    experience: int | None = None
    adapting: bool = False  # a newcomer to the class


# --- helpers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    name: FullName

    @property
    def full(self) -> str:
        return f"{self.name.last_name} {self.name.first_name} {self.name.middle_name}"

    @property
    def fields(self) -> dict[str, Any]:
        return {
            "last_name": self.name.last_name,
            "first_name": self.name.first_name,
            "middle_name": self.name.middle_name,
            "sex": self.name.sex,
            "family": self.name.family,
        }

    @property
    def student_word(self) -> str:
        return "студентка" if self.name.sex == "female" else "студент"


_TEACHER_NEEDS = {
    "classroom-management": "держать дисциплину на уроке",
    "parent-communication": "выстроить общение с родителями",
    "lesson-design": "конструировать уроки по ФГОС",
    "formative-assessment": "применять формирующее оценивание",
    "class-teacher": "вести классное руководство",
    "functional-literacy": "развивать функциональную грамотность учеников",
    "preschool-methods": "планировать занятия с дошкольниками",
    "speech-development": "развивать речь детей",
    "game-technologies": "использовать игровые технологии",
    "inclusive-education": "работать с детьми с ОВЗ",
}

_TEACHER_INTERESTS = (
    "проектная деятельность",
    "краеведение",
    "экскурсии",
    "театр",
    "цифровые инструменты",
    "туризм",
    "олимпиадное движение",
    "хоровое пение",
    "шахматы",
    "настольные игры",
    "педагогические конкурсы",
    "литературный клуб",
)

_COLLEGE_REQUESTS = (
    "Хочу пройти практику на предприятии и понять, где работать после колледжа.",
    "Нужна помощь с курсовым проектом и выбором темы дипломной работы.",
    "Хочу научиться работать в команде на реальном производстве.",
)


def _pupils_per_class(spec: data.OrganizationSpec, *, named_pupils: int) -> dict[str, int]:
    """How many pupils to generate in each class: ``pupils`` in all (less the named logins'
    pupils, who are created apart), the first classes taking one more; else ``pupils_per_class``."""
    if not spec.pupils or not spec.classes:
        return dict.fromkeys(spec.classes, spec.pupils_per_class)
    base, extra = divmod(spec.pupils - named_pupils, len(spec.classes))
    return {name: base + (i < extra) for i, name in enumerate(spec.classes)}


def _join_needs(phrases: list[str]) -> str:
    if not phrases:
        return ""
    if len(phrases) == 1:
        return f"Хочу научиться {phrases[0]}."
    return f"Хочу научиться {', '.join(phrases[:-1])} и {phrases[-1]}."


def _pupil_request(rng: random.Random, traits: _Traits) -> str:
    assert traits.grade is not None
    weak = [code for code in traits.weak if code in data.SUBJECT_CASES]
    strong = [code for code in traits.strong if code in data.SUBJECT_CASES]
    if weak:
        accusative, dative = data.SUBJECT_CASES[weak[0]]
        if traits.grade in (9, 11):
            exam = "ОГЭ" if traits.grade == 9 else "ЕГЭ"
            return rng.choice(data.REQUEST_TEMPLATES_EXAM).format(exam=exam, dat=dative)
        return rng.choice(data.REQUEST_TEMPLATES_WEAK).format(acc=accusative, dat=dative)
    if strong and traits.ability > 1.0:
        _accusative, dative = data.SUBJECT_CASES[strong[0]]
        return rng.choice(data.REQUEST_TEMPLATES_GIFTED).format(dat=dative)
    if traits.adapting:
        return "Я новенький в классе, хочу быстрее со всеми познакомиться."
    return ""


def _subjects_for_grade(grade: int) -> tuple[str, ...]:
    for first, last, codes in data.SUBJECTS_BY_GRADE:
        if first <= grade <= last:
            if grade >= data.CHEMISTRY_FROM_GRADE and "chemistry" not in codes:
                return (*codes, "chemistry")
            return codes
    return data.SUBJECTS_BY_GRADE[0][2]


def _pupil_birth_date(rng: random.Random, start_year: int, grade: int) -> dt.date:
    """A pupil of grade ``grade`` turned 7 by the September they started the first grade."""
    earliest = dt.date(start_year - grade - 7, 9, 1)
    return earliest + dt.timedelta(days=rng.randint(0, 364))


def _adult_birth_date(rng: random.Random, start_year: int, age: int) -> dt.date:
    return dt.date(start_year - age, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


def _weekly(rng: random.Random, *, days: Iterable[int], parts: Sequence[int], at_least: int) -> int:
    slots = [(day, part) for day in days for part in parts]
    chosen = rng.sample(slots, min(len(slots), rng.randint(at_least, len(slots))))
    mask = 0
    for day, part in chosen:
        mask |= availability_bit(day, part)
    return mask


StatusRule = Callable[[random.Random], str]


def _fixed(status: str) -> StatusRule:
    return lambda rng: status


def _either(first: str, second: str) -> StatusRule:
    return lambda rng: rng.choice((first, second))


def _statuses(stage: int) -> tuple[StatusRule | None, StatusRule | None]:
    """The statuses of (mentors, mentees) a program shows at its stage; None: nobody yet."""
    if stage == Stage.PREPARATION:
        return None, None
    if stage == Stage.MENTEE_BASE:
        return None, _either(EnrolmentStatus.CANDIDATE, EnrolmentStatus.APPROVED)
    if stage == Stage.MENTOR_BASE:
        return _fixed(EnrolmentStatus.CANDIDATE), _fixed(EnrolmentStatus.APPROVED)
    if stage == Stage.MENTOR_TRAINING:
        return (
            _either(EnrolmentStatus.APPROVED, EnrolmentStatus.TRAINED),
            _fixed(EnrolmentStatus.APPROVED),
        )
    if stage == Stage.MATCHING:
        return _fixed(EnrolmentStatus.TRAINED), _fixed(EnrolmentStatus.APPROVED)
    if stage == Stage.WORK:
        return _fixed(EnrolmentStatus.ACTIVE), _fixed(EnrolmentStatus.ACTIVE)
    return _fixed(EnrolmentStatus.COMPLETED), _fixed(EnrolmentStatus.COMPLETED)


def _grade_split(people: list[_Traits]) -> int:
    """The lowest grade of the upper half of the school's grades: mentors are from there."""
    grades = sorted({t.grade for t in people if t.grade is not None})
    return grades[len(grades) // 2] if grades else 0


def _mentee_pool(
    form: MentoringForm, people: list[_Traits], variants: Sequence[str]
) -> list[_Traits]:
    fit = [t for t in people if form.allows_mentee(t.person.category)]
    if form.code == "student-student":
        split = _grade_split(fit)
        return sorted(
            (t for t in fit if t.grade is not None and t.grade < split and (t.weak or t.adapting)),
            key=lambda t: t.ability,
        )
    if form.code == "teacher-teacher":
        return [t for t in fit if t.experience is not None and t.experience <= 3]
    if form.code == "teacher-student":
        gifted = sorted((t for t in fit if t.ability > 0.9), key=lambda t: -t.ability)
        if "teacher-underachiever" not in variants:
            return gifted
        struggling = sorted((t for t in fit if len(t.weak) >= 2), key=lambda t: t.ability)
        mixed: list[_Traits] = []
        for pair in zip(gifted, struggling, strict=False):
            mixed.extend(pair)
        longer = gifted if len(gifted) > len(struggling) else struggling
        mixed.extend(longer[len(mixed) // 2 :])
        return mixed
    if form.code == "university-student-student":
        return [t for t in fit if t.grade is not None and t.grade >= 8]
    if form.code == "employer-student":
        return [t for t in fit if t.grade is not None and t.grade >= 9]
    return fit


def _mentor_pool(form: MentoringForm, people: list[_Traits]) -> list[_Traits]:
    # The administration (curator, head) runs the program rather than mentors in it.
    fit = [
        t
        for t in people
        if form.allows_mentor(t.person.category) and t.person.category != PersonCategory.STAFF
    ]
    if form.code == "student-student":
        split = _grade_split(fit)
        return sorted(
            (t for t in fit if t.grade is not None and t.grade >= split and t.ability > 0.4),
            key=lambda t: -t.ability,
        )
    if form.code in ("teacher-teacher", "teacher-student"):
        return sorted(
            (t for t in fit if t.experience is not None and t.experience >= 10),
            key=lambda t: -(t.experience or 0),
        )
    return fit


def _mentee_variant(form_code: str, traits: _Traits, allowed: Sequence[str]) -> str:
    wanted = allowed[0]
    if form_code == "student-student":
        if traits.adapting and not traits.weak:
            wanted = "adapted-unadapted"
        elif not traits.weak:
            wanted = "peer-to-peer"
    elif form_code == "teacher-student" and traits.ability <= 0.9:
        wanted = "teacher-underachiever"
    return wanted if wanted in allowed else allowed[0]


def _capacity(rng: random.Random, form_code: str, wanted: tuple[int, int] | None = None) -> int:
    if wanted is not None:
        return rng.randint(*wanted)
    if form_code in ("employer-student", "employer-university-student"):
        return rng.randint(3, 4)
    if form_code in ("teacher-student", "university-student-student"):
        return rng.randint(2, 3)
    return rng.randint(1, 2)

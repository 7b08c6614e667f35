"""How the demo reads kinship from names and ages (``nastavnik.people.demo.kinship_of``)."""

from __future__ import annotations

import datetime as dt

from nastavnik.demo import names
from nastavnik.people import demo
from nastavnik.people.models import KinshipKind, Person, PersonCategory, Sex


def kinship_of(first: Person, second: Person) -> str | None:
    """The people app's reading of kinship with the demo's name pools."""
    return demo.kinship_of(first, second, names)


def _person(
    last_name: str, middle_name: str, sex: str, born: int, category: str = PersonCategory.STUDENT
) -> Person:
    return Person(
        last_name=last_name,
        first_name="Имя",
        middle_name=middle_name,
        sex=sex,
        birth_date=dt.date(born, 3, 1),
        category=category,
    )


def test_pupils_with_one_surname_and_patronymic_are_siblings() -> None:
    brother = _person("Ильин", "Алексеевич", Sex.MALE, 2013)
    sister = _person("Ильина", "Алексеевна", Sex.FEMALE, 2016)
    assert kinship_of(brother, sister) == KinshipKind.SIBLINGS


def test_pupils_with_one_surname_and_another_patronymic_are_cousins() -> None:
    first = _person("Семёнова", "Игоревна", Sex.FEMALE, 2014)
    second = _person("Семёнов", "Алексеевич", Sex.MALE, 2017)
    assert kinship_of(first, second) == KinshipKind.OTHER


def test_pupils_with_other_surnames_are_not_relatives() -> None:
    assert (
        kinship_of(
            _person("Ильин", "Ильич", Sex.MALE, 2013), _person("Попов", "Ильич", Sex.MALE, 2013)
        )
        is None
    )


def test_a_woman_teacher_old_enough_can_be_a_pupils_mother() -> None:
    mother = _person("Богданова", "Олеговна", Sex.FEMALE, 1989, PersonCategory.TEACHER)
    assert (
        kinship_of(mother, _person("Богданов", "Ильич", Sex.MALE, 2014)) == KinshipKind.PARENT_CHILD
    )
    # Too young to be the mother, a man (the patronymic would have to match), staff.
    assert kinship_of(mother, _person("Богданова", "Ильинична", Sex.FEMALE, 2008)) is None
    father = _person("Богданов", "Олегович", Sex.MALE, 1989, PersonCategory.TEACHER)
    assert kinship_of(father, _person("Богданов", "Ильич", Sex.MALE, 2014)) is None
    staff = _person("Богданова", "Олеговна", Sex.FEMALE, 1989, PersonCategory.STAFF)
    assert kinship_of(staff, _person("Богданов", "Ильич", Sex.MALE, 2014)) is None

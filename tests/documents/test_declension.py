"""Russian names in the cases the orders need."""

from __future__ import annotations

import pytest

from nastavnik.documents.declension import decline_name, infer_sex
from nastavnik.people.models import Person

CASES = ("gent", "datv", "accs", "ablt", "loct")


@pytest.mark.parametrize(
    ("name", "sex", "expected"),
    [
        (
            ("Иванова", "Анна", "Сергеевна"),
            "female",
            (
                "Ивановой Анны Сергеевны",
                "Ивановой Анне Сергеевне",
                "Иванову Анну Сергеевну",
                "Ивановой Анной Сергеевной",
                "Ивановой Анне Сергеевне",
            ),
        ),
        (
            ("Петров", "Пётр", "Ильич"),
            "male",
            (
                "Петрова Петра Ильича",
                "Петрову Петру Ильичу",
                "Петрова Петра Ильича",
                "Петровым Петром Ильичом",
                "Петрове Петре Ильиче",
            ),
        ),
        (
            ("Толстой", "Лев", "Николаевич"),
            "male",
            (
                "Толстого Льва Николаевича",
                "Толстому Льву Николаевичу",
                "Толстого Льва Николаевича",
                "Толстым Львом Николаевичем",
                "Толстом Льве Николаевиче",
            ),
        ),
        (
            ("Достоевская", "Любовь", "Фёдоровна"),
            "female",
            (
                "Достоевской Любови Фёдоровны",
                "Достоевской Любови Фёдоровне",
                "Достоевскую Любовь Фёдоровну",
                "Достоевской Любовью Фёдоровной",
                "Достоевской Любови Фёдоровне",
            ),
        ),
        (
            ("Глинка", "Никита", "Сергеевич"),
            "male",
            (
                "Глинки Никиты Сергеевича",
                "Глинке Никите Сергеевичу",
                "Глинку Никиту Сергеевича",
                "Глинкой Никитой Сергеевичем",
                "Глинке Никите Сергеевиче",
            ),
        ),
    ],
)
def test_declension_in_every_case(
    name: tuple[str, str, str], sex: str, expected: tuple[str, ...]
) -> None:
    assert tuple(decline_name(*name, case=c, sex=sex) for c in CASES) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (("Иванова-Петрова", "Мария", "Ивановна"), "Ивановой-Петровой Марией Ивановной"),
        (("Римский-Корсаков", "Николай", "Андреевич"), "Римским-Корсаковым Николаем Андреевичем"),
    ],
)
def test_double_surnames_decline_part_by_part(name: tuple[str, str, str], expected: str) -> None:
    assert decline_name(*name, case="ablt") == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (("Шевченко", "Тарас", "Григорьевич"), "Шевченко Тарасом Григорьевичем"),
        (("Черных", "Ирина", "Олеговна"), "Черных Ириной Олеговной"),
        (("Гарбер", "Елена", "Марковна"), "Гарбер Еленой Марковной"),
        (("Жук", "Анастасия", "Игоревна"), "Жук Анастасией Игоревной"),
    ],
)
def test_indeclinable_surnames_stay(name: tuple[str, str, str], expected: str) -> None:
    assert decline_name(*name, case="ablt") == expected


def test_a_mans_surname_in_a_consonant_declines() -> None:
    assert decline_name("Гарбер", "Марк", "Львович", case="ablt") == "Гарбером Марком Львовичем"


def test_a_turkic_patronymic_keeps_its_particle() -> None:
    assert decline_name("Мамедов", "Ахмед", "Али оглы", case="datv") == "Мамедову Ахмеду Али оглы"


@pytest.mark.parametrize(
    ("name", "sex"),
    [
        (("Жук", "Саша", "Петровна"), "female"),
        (("Жук", "Саша", "Петрович"), "male"),
        (("Смирнова", "Анна", ""), "female"),
        (("Смирнов", "Алексей", ""), "male"),
    ],
)
def test_the_sex_is_inferred_from_the_patronymic_then_the_name(
    name: tuple[str, str, str], sex: str
) -> None:
    assert infer_sex(*name) == sex


def test_the_persons_sex_decides_over_inference() -> None:
    person = Person(last_name="Жук", first_name="Саша", middle_name="", sex="female")
    assert (
        decline_name(person.last_name, person.first_name, case="ablt", sex=person.sex)
        == "Жук Сашей"
    )


def test_without_any_hint_of_sex_the_name_stays_in_the_nominative() -> None:
    assert decline_name("Ли", "Цзе", "", case="ablt") == "Ли Цзе"


def test_capitalization_is_kept() -> None:
    assert decline_name("ИВАНОВА", "Анна", "Сергеевна", case="gent") == "ИВАНОВОЙ Анны Сергеевны"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (("Дюма", "Александр", ""), "Дюма Александром"),
        (("Золя", "Эмиль", ""), "Золя Эмилем"),
        (("Гамсахурдиа", "Звиад", ""), "Гамсахурдиа Звиадом"),
        (("Окуджава", "Булат", "Шалвович"), "Окуджавой Булатом Шалвовичем"),
        (("Берия", "Нино", "Теймуразовна"), "Берией Нино Теймуразовной"),
    ],
)
def test_surnames_in_a_decline_unless_stressed_on_the_end(
    name: tuple[str, str, str], expected: str
) -> None:
    assert decline_name(*name, case="ablt") == expected

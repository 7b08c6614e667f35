from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nastavnik.core.text import (
    capitalize_name_part,
    class_order_key,
    fold_yo,
    normalize_class_name,
    search_key,
)
from nastavnik.core.validators import make_snils, normalize_snils, snils_checksum


@pytest.mark.parametrize(
    "raw", ["7Б", "7 «Б»", "7-б", "7 б", '7"Б"', "7б", " 7 - Б ", "07Б", "7.б"]
)
def test_class_names_written_differently_are_the_same_class(raw: str) -> None:
    assert normalize_class_name(raw) == "7Б"


def test_class_names_keep_college_groups_and_reject_nonsense() -> None:
    assert normalize_class_name("ТМ-21") == "ТМ-21"
    assert normalize_class_name("11А") == "11А"
    assert normalize_class_name("15Б") == "15Б"  # not a school class: kept as typed
    assert normalize_class_name("  ") == ""
    # Latin letters typed on an English layout become their Cyrillic look-alikes.
    assert normalize_class_name("7A") == "7А"


def test_yo_is_folded_for_search() -> None:
    assert fold_yo("Ёлкин Семён") == "Елкин Семен"
    assert search_key("  СЕМЁНОВА   Анна ") == "семенова анна"


def test_name_parts_are_capitalized() -> None:
    assert capitalize_name_part("иванова-петрова") == "Иванова-Петрова"
    assert capitalize_name_part("  ПЁТР ") == "Пётр"


def test_snils_checksum_rules() -> None:
    # The published example of the Pension Fund: 112-233-445 95.
    assert snils_checksum("112233445") == 95
    assert normalize_snils("11223344595") == "112-233-445 95"
    assert normalize_snils("112-233-445 95") == "112-233-445 95"
    assert make_snils("112233445") == "112-233-445 95"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("112-233-445 96", "Неверная контрольная сумма СНИЛС"),
        ("1122334459", "СНИЛС должен состоять из 11 цифр"),
        ("abc", "СНИЛС должен состоять из 11 цифр"),
    ],
)
def test_bad_snils_has_a_russian_message(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalize_snils(value)
    assert message in str(error.value.messages[0])


def test_classes_sort_by_grade_then_letter() -> None:
    names = ["10А", "ТМ-21", "2Б", "11А", "2А", "1В"]
    assert sorted(names, key=class_order_key) == ["1В", "2А", "2Б", "10А", "11А", "ТМ-21"]

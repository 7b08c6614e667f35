"""Property tests of the parsers and normalisers that every import and form relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nastavnik.core.text import (
    capitalize_name_part,
    fold_yo,
    normalize_class_name,
    normalize_spaces,
    search_key,
)
from nastavnik.core.validators import make_snils, normalize_snils, snils_checksum
from nastavnik.imports.rows import normalize_phone, parse_date

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
ten_digits = st.text(alphabet="0123456789", min_size=10, max_size=10)
grades = st.integers(min_value=1, max_value=11)
letters = st.sampled_from("АБВГДЕЖИКЛМН")
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
separators = st.sampled_from(["", " ", "-", "  ", " - "])


@given(nine_digits)
def test_a_made_snils_is_valid_and_formatted(digits: str) -> None:
    snils = make_snils(digits)
    assert normalize_snils(snils) == snils
    assert snils[:11] == f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]}"


@given(nine_digits, separators, separators)
def test_snils_is_read_however_it_is_typed(digits: str, sep1: str, sep2: str) -> None:
    snils = make_snils(digits)
    raw = snils.replace("-", sep1).replace(" ", sep2)
    assert normalize_snils(raw) == snils


@given(nine_digits, st.integers(min_value=1, max_value=99))
def test_a_wrong_snils_checksum_is_refused(digits: str, shift: int) -> None:
    if int(digits) <= 1001998:
        return  # issued before the checksum: any control number is accepted
    wrong = (snils_checksum(digits) + shift) % 101
    if wrong in (100, 101) or wrong == snils_checksum(digits):
        return
    with pytest.raises(ValidationError):
        normalize_snils(f"{digits}{wrong:02d}")


@given(st.text(max_size=40))
def test_snils_parsing_only_ever_refuses_with_a_validation_error(text: str) -> None:
    try:
        result = normalize_snils(text)
    except ValidationError:
        return
    assert len(result) == 14


@given(grades, letters, st.sampled_from(["{g}{l}", "{g} {l}", "{g}-{l}", "{g} «{l}»", '{g}"{l}"']))
def test_a_class_is_one_class_however_it_is_typed(grade: int, letter: str, shape: str) -> None:
    typed = shape.format(g=grade, l=letter)
    assert normalize_class_name(typed) == f"{grade}{letter}"
    assert normalize_class_name(typed.lower()) == f"{grade}{letter}"


@given(st.text(max_size=30))
def test_class_names_are_normalised_once_and_for_all(text: str) -> None:
    once = normalize_class_name(text)
    assert normalize_class_name(once) == once


@given(st.text(max_size=60))
def test_search_keys_fold_yo_case_and_spaces(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert "ё" not in key
    assert "Ё" not in key
    assert search_key(fold_yo(text).upper()) == search_key(text.upper())


@given(st.text(max_size=60))
def test_spaces_are_normalised_once_and_for_all(text: str) -> None:
    once = normalize_spaces(text)
    assert normalize_spaces(once) == once
    assert "  " not in once


@given(st.from_regex(r"[а-яё]{1,12}(-[а-яё]{1,12})?", fullmatch=True))
def test_name_parts_are_capitalised_once_and_for_all(part: str) -> None:
    once = capitalize_name_part(part)
    assert capitalize_name_part(once) == once
    assert once[0].isupper()
    assert once.lower() == part


@given(dates)
def test_dates_are_read_in_russian_and_iso_forms(day: dt.date) -> None:
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(dt.datetime.combine(day, dt.time(12))) == day


@given(st.one_of(st.text(max_size=20), st.floats(allow_nan=True), st.integers()))
def test_date_parsing_only_ever_refuses_with_a_value_error(value: object) -> None:
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert isinstance(result, dt.date)


PHONE_SHAPES = ["+7 {a} {b}", "8{a}{b}", "8 ({a}) {b}", "+7-{a}-{b}", "{a}{b}"]


@given(ten_digits, st.sampled_from(PHONE_SHAPES))
def test_phones_are_written_one_way(digits: str, shape: str) -> None:
    typed = shape.format(a=digits[:3], b=digits[3:])
    expected = f"+7 ({digits[0:3]}) {digits[3:6]}-{digits[6:8]}-{digits[8:10]}"
    assert normalize_phone(typed) == expected
    assert normalize_phone(expected) == expected


@given(st.text(max_size=30))
def test_phone_parsing_only_ever_refuses_with_a_value_error(text: str) -> None:
    try:
        result = normalize_phone(text)
    except ValueError:
        return
    assert result.startswith("+7 (")

"""The columns of the import template and the tolerant matching of a file's headers to them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nastavnik.core.text import search_key


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template (Russian: this is the file format, not UI text)
    synonyms: tuple[str, ...] = field(default=())
    width: int = 16


COLUMNS: tuple[Column, ...] = (
    Column("last_name", "Фамилия", ("фамилия ученика", "фамилия участника"), 18),
    Column("first_name", "Имя", ("имя ученика",), 14),
    Column("middle_name", "Отчество", ("отчество при наличии", "отчество (при наличии)"), 18),
    Column(
        "birth_date", "Дата рождения", ("д.р.", "др", "дата рожд", "дата рождения (дд.мм.гггг)"), 14
    ),
    Column(
        "category",
        "Категория",
        ("категория участника", "статус", "тип участника"),
        24,
    ),
    Column("class_name", "Класс/группа", ("класс", "группа", "класс (группа)", "класс группа"), 12),
    Column("snils", "СНИЛС", ("номер снилс", "страховой номер"), 16),
    Column(
        "email",
        "Электронная почта",
        ("email", "e-mail", "эл. почта", "почта", "адрес электронной почты"),
        24,
    ),
    Column("phone", "Телефон", ("тел.", "тел", "номер телефона", "контактный телефон"), 18),
    Column("role", "Роль в программе", ("роль", "роль в программе наставничества"), 16),
    Column("form", "Форма наставничества", ("форма",), 24),
    Column(
        "variant",
        "Вариант",
        ("вариант (ролевая модель)", "ролевая модель", "вариант наставничества"),
        30,
    ),
    Column("competencies", "Компетенции", ("компетенция", "умения"), 30),
    Column("interests", "Интересы", ("интерес", "увлечения", "хобби"), 30),
    Column(
        "request",
        "Запрос / дефициты",
        ("запрос", "дефициты", "образовательные дефициты", "запрос дефициты", "запрос/дефициты"),
        30,
    ),
    Column(
        "capacity",
        "Может взять наставляемых",
        # Old files and other systems call it «ёмкость»: still read.
        (
            "ёмкость",
            "емкость",
            "ёмкость наставника",
            "количество наставляемых",
            "число наставляемых",
            "сколько наставляемых",
        ),
        12,
    ),
    Column(
        "consent_date",
        "Согласие получено",
        (
            "согласие",
            "дата согласия",
            "согласие от",
            "согласие получено (дд.мм.гггг)",
            "дата подписания согласия",
        ),
        14,
    ),
    Column(
        "representative",
        "Законный представитель",
        (
            "представитель",
            "родитель",
            "родитель (законный представитель)",
            "фио представителя",
            "фио законного представителя",
            "законный представитель (фио)",
        ),
        30,
    ),
)

# «ФИО» in one column is common in school spreadsheets; it is split into the three parts.
FULL_NAME_KEY = "full_name"
FULL_NAME_SYNONYMS = ("фио", "ф.и.о.", "фамилия имя отчество", "фамилия, имя, отчество")

BY_KEY = {column.key: column for column in COLUMNS}
_NOT_ALNUM = re.compile(r"[^0-9a-zа-я]+")


def header_key(text: object) -> str:
    """Case, ё/е, spaces and punctuation do not matter: «Класс / группа» = «класс-группа»."""
    return _NOT_ALNUM.sub("", search_key(str(text or "")))


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.synonyms):
        _LOOKUP[header_key(_name)] = _column.key
for _name in FULL_NAME_SYNONYMS:
    _LOOKUP[header_key(_name)] = FULL_NAME_KEY


@dataclass
class HeaderMap:
    """Column index → field key; plus what was not recognized."""

    positions: dict[int, str]
    headers: dict[str, str]  # key -> the header as written in the file
    unknown: list[str]
    duplicated: list[str]

    @property
    def keys(self) -> set[str]:
        return set(self.positions.values())


def match_headers(row: list[object]) -> HeaderMap:
    positions: dict[int, str] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    for index, cell in enumerate(row):
        text = str(cell if cell is not None else "").strip()
        if not text:
            continue
        key = _LOOKUP.get(header_key(text))
        if key is None:
            unknown.append(text)
        elif key in headers:
            duplicated.append(text)
        else:
            positions[index] = key
            headers[key] = text
    return HeaderMap(positions, headers, unknown, duplicated)


def looks_like_header(row: list[object]) -> bool:
    """A header row names at least the surname (or ФИО) and one more known column."""
    found = match_headers(row).keys
    return ("last_name" in found or FULL_NAME_KEY in found) and len(found) >= 2

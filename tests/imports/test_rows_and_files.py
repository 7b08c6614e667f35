"""Every bad input of an import file, with the message the user sees."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nastavnik.imports.columns import match_headers
from nastavnik.imports.models import ImportBatch, ImportStatus
from nastavnik.imports.rows import parse_date
from nastavnik.imports.services import import_analyze, import_upload
from tests.imports.helpers import HEADER, PUPIL, TEACHER, csv_bytes, ods_bytes, row, xlsx_bytes


def analyze(tenant: Any, data: bytes, name: str = "people.xlsx", **options: Any) -> ImportBatch:
    batch = import_upload(
        actor=tenant.curator,
        organization=tenant.organization,
        source=io.BytesIO(data),
        original_name=name,
        **options,
    )
    return import_analyze(batch_id=batch.pk)


def test_the_consent_columns_are_matched_by_synonyms() -> None:
    found = match_headers(["ФИО", "Дата согласия", "ФИО законного представителя"])
    assert found.keys == {"full_name", "consent_date", "representative"}
    found = match_headers(["Фамилия", "Согласие получено", "Законный представитель"])
    assert found.keys == {"last_name", "consent_date", "representative"}


def messages(batch: ImportBatch) -> list[str]:
    return [f"{i['row']}|{i['column']}|{i['message']}" for i in batch.issues]


def test_headers_are_matched_tolerantly() -> None:
    found = match_headers(
        [
            "  ФАМИЛИЯ ",
            "имя",
            "Отчество",
            "Дата  рождения",
            "категория",
            "Класс / группа",
            "снилс",
            "E-mail",
            "Тел.",
            "роль",
            "Форма",
            "Ролевая модель",
            "компетенции",
            "Интересы",
            "Запрос",
            "Емкость наставника",
            "Любимый цвет",
        ]
    )
    assert found.keys == {
        "last_name",
        "first_name",
        "middle_name",
        "birth_date",
        "category",
        "class_name",
        "snils",
        "email",
        "phone",
        "role",
        "form",
        "variant",
        "competencies",
        "interests",
        "request",
        "capacity",
    }
    assert found.unknown == ["Любимый цвет"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05.09.2012", dt.date(2012, 9, 5)),
        ("5.9.2012", dt.date(2012, 9, 5)),
        ("2012-09-05", dt.date(2012, 9, 5)),
        (41157, dt.date(2012, 9, 5)),  # an Excel serial date
        (41157.0, dt.date(2012, 9, 5)),
        ("41157", dt.date(2012, 9, 5)),
        (dt.datetime(2012, 9, 5, 0, 0), dt.date(2012, 9, 5)),
        (dt.date(2012, 9, 5), dt.date(2012, 9, 5)),
    ],
)
def test_dates_in_every_form(value: Any, expected: dt.date) -> None:
    assert parse_date(value) == expected


def test_a_real_date_cell_and_a_serial_number_in_xlsx(tenant_a: Any) -> None:
    rows = [
        row(**{**PUPIL, "birth_date": dt.date(2012, 9, 5)}),
        row(**{**PUPIL, "snils": "", "last_name": "Кузнецов", "birth_date": 41157}),
    ]
    batch = analyze(tenant_a, xlsx_bytes(rows))
    assert batch.status == ImportStatus.READY
    assert batch.issues == []
    assert batch.to_create == 2


BAD_ROWS = [
    ({"birth_date": "31.02.2012"}, "Дата рождения", "«31.02.2012» is not a date"),
    ({"birth_date": "05.09.12"}, "Дата рождения", "«05.09.12» is not a date"),
    ({"birth_date": "вчера"}, "Дата рождения", "«вчера» is not a date"),
    ({"birth_date": "01.01.2100"}, "Дата рождения", "the birth date is in the future"),
    ({"snils": "112-233-445 96"}, "СНИЛС", "the SNILS checksum is wrong"),
    ({"snils": "112-233"}, "СНИЛС", "SNILS must have 11 digits"),
    ({"category": "директор"}, "Категория", "unknown category «директор»"),
    ({"category": ""}, "Категория", "the category is missing"),
    ({"last_name": ""}, "Фамилия", "the surname is missing"),
    ({"first_name": ""}, "Имя", "the first name is missing"),
    ({"last_name": "Петров2"}, "Фамилия", "only letters, hyphens, apostrophes and spaces"),
    ({"email": "petrov@"}, "Электронная почта", "not an email address"),
    ({"phone": "12345"}, "Телефон", "a phone number has 10 digits"),
    (
        {"role": "наставляемый", "form": "ученик – учитель"},
        "Форма наставничества",
        "unknown form of mentoring «ученик – учитель»",
    ),
    ({"role": "ментор", "form": "учитель – ученик"}, "Роль в программе", "unknown role «ментор»"),
    ({"role": "наставляемый"}, "Форма наставничества", "the form of mentoring is missing"),
    ({"form": "учитель – ученик"}, "Роль в программе", "the role is missing"),
    ({"role": "наставник", "form": "учитель – ученик"}, "Роль в программе", "cannot be a mentor"),
    (
        {"role": "наставляемый", "form": "учитель – ученик", "variant": "лидер – пассивный"},
        "Вариант",
        "does not belong to the form",
    ),
    ({"competencies": "Вязание крючком"}, "Компетенции", "unknown competency «Вязание крючком»"),
    (
        {"capacity": "много", "role": "наставляемый", "form": "учитель – ученик"},
        "Может взять наставляемых",
        "write a whole number from 0 to 50",
    ),
    ({"snils": "", "birth_date": ""}, "Дата рождения", "write the SNILS or the birth date"),
    ({"class_name": "x" * 40}, "Класс/группа", "longer than 32 characters"),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_ROWS)
def test_every_bad_input_is_reported_with_row_and_column(
    tenant_a: Any, settings: Any, change: dict[str, str], column: str, message: str
) -> None:
    settings.LANGUAGE_CODE = "en-us"
    from django.utils import translation

    with translation.override("en"):
        batch = analyze(tenant_a, xlsx_bytes([row(**TEACHER), row(**{**PUPIL, **change})]))
    assert batch.invalid_rows == 1
    assert any(
        i["row"] == 3 and i["column"] == column and message in i["message"] for i in batch.issues
    ), messages(batch)


def test_messages_are_russian_and_say_row_and_column(tenant_a: Any) -> None:
    from nastavnik.imports.rows import Issue

    batch = analyze(tenant_a, xlsx_bytes([row(**{**PUPIL, "snils": "112-233-445 96"})]))
    issue = batch.issues[0]
    text = str(Issue(issue["row"], issue["column"], issue["message"]))
    assert text == "строка 2, столбец «СНИЛС»: неверная контрольная сумма СНИЛС; проверьте номер"


def test_a_duplicate_inside_the_file(tenant_a: Any) -> None:
    other = {**PUPIL, "first_name": "Павел"}  # same СНИЛС, another name
    batch = analyze(tenant_a, xlsx_bytes([row(**PUPIL), row(**TEACHER), row(**other)]))
    assert batch.invalid_rows == 1
    issue = batch.issues[0]
    assert issue["row"] == 4
    assert "строке 2" in issue["message"]


def test_a_duplicate_by_name_and_birth_date(tenant_a: Any) -> None:
    no_snils = {**PUPIL, "snils": ""}
    batch = analyze(tenant_a, xlsx_bytes([row(**no_snils), row(**no_snils)]))
    assert [i["row"] for i in batch.issues] == [3]


def test_unknown_columns_are_reported_not_fatal(tenant_a: Any) -> None:
    header = [*HEADER, "Размер обуви"]
    batch = analyze(tenant_a, xlsx_bytes([[*row(**PUPIL), "38"]], header=header))
    assert batch.status == ImportStatus.READY
    assert batch.unknown_columns == ["Размер обуви"]
    assert batch.to_create == 1


def test_a_missing_required_column(tenant_a: Any) -> None:
    header = ["Фамилия", "Имя", "Дата рождения"]
    batch = analyze(tenant_a, xlsx_bytes([["Петров", "Пётр", "05.09.2012"]], header=header))
    assert any(i["column"] == "Категория" and i["row"] == 1 for i in batch.issues)
    assert batch.invalid_rows == 1


def test_no_header_row(tenant_a: Any) -> None:
    batch = analyze(tenant_a, xlsx_bytes([["a", "b"]], header=["x", "y"]))
    assert batch.status == ImportStatus.FAILED
    assert "заголов" in batch.error


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_encodings_and_separators_are_detected(
    tenant_a: Any, encoding: str, delimiter: str
) -> None:
    data = csv_bytes([row(**PUPIL)], delimiter=delimiter, encoding=encoding)
    batch = analyze(tenant_a, data, name="people.csv")
    assert batch.kind == "csv"
    assert batch.encoding == ("utf-8-sig" if encoding == "utf-8-sig" else encoding)
    assert batch.delimiter == delimiter
    assert batch.issues == []
    assert batch.to_create == 1
    assert batch.preview[0]["name"] == "Петров Пётр Иванович"


def test_the_user_can_override_the_separator(tenant_a: Any) -> None:
    from nastavnik.imports.services import import_options_update

    # Commas inside the interests make «,» look like the separator; the user says «;».
    data = csv_bytes([row(**{**PUPIL, "interests": "шахматы, футбол, рисование, пение"})])
    first = "Фамилия;Имя,Отчество,Дата,рождения\r\n".encode()
    batch = analyze(tenant_a, first + data, name="people.csv")
    assert batch.delimiter == ","
    import_options_update(actor=tenant_a.curator, batch=batch, encoding="", delimiter=";")
    batch = import_analyze(batch_id=batch.pk)
    assert batch.delimiter == ";"
    assert batch.status == ImportStatus.READY


def test_ods_is_read(tenant_a: Any) -> None:
    batch = analyze(tenant_a, ods_bytes([row(**PUPIL)]), name="people.ods")
    assert batch.kind == "ods"
    assert batch.issues == []
    assert batch.to_create == 1


def test_the_type_is_decided_by_content_not_by_name(tenant_a: Any) -> None:
    batch = analyze(tenant_a, xlsx_bytes([row(**PUPIL)]), name="people.csv")
    assert batch.kind == "xlsx"
    assert batch.to_create == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "пуст"),
        (bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 600, ".xls"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "не является таблицей"),
        (b"PK\x03\x04garbage", "повреждён"),
    ],
)
def test_files_that_are_not_tables_are_rejected(tenant_a: Any, data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        analyze(tenant_a, data, name="people.xlsx")
    assert message in caught.value.messages[0]


def test_a_zip_that_is_not_a_spreadsheet(tenant_a: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as caught:
        analyze(tenant_a, out.getvalue())
    assert "не является электронной таблицей" in caught.value.messages[0]


def test_a_zip_bomb_is_refused_before_it_is_opened(tenant_a: Any) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    assert len(out.getvalue()) < 200_000
    with pytest.raises(ValidationError) as caught:
        analyze(tenant_a, out.getvalue())
    assert "zip" in caught.value.messages[0]


def test_the_size_limit(tenant_a: Any, settings: Any) -> None:
    settings.NASTAVNIK_IMPORT_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as caught:
        analyze(tenant_a, csv_bytes([row(**PUPIL)] * 50), name="people.csv")
    assert "больше 0 МБ" in caught.value.messages[0] or "больше" in caught.value.messages[0]


def test_a_title_above_the_header_is_skipped_and_row_numbers_stay_true(tenant_a: Any) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Список обучающихся 7Б класса на 2026/2027 учебный год"])
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(row(**{**PUPIL, "snils": "112-233-445 96"}))
    out = io.BytesIO()
    workbook.save(out)
    batch = analyze(tenant_a, out.getvalue())
    assert [(i["row"], i["column"]) for i in batch.issues] == [(4, "СНИЛС")]

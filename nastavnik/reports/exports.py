"""The report as files: .xlsx laid out like the municipal departments' spreadsheets, PDF, JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from nastavnik.core.spreadsheets import safe_cell
from nastavnik.documents.render import FONT, url_fetcher
from nastavnik.organizations.models import Organization
from nastavnik.reports.figures import Figures
from nastavnik.reports.models import YearTargets
from nastavnik.reports.selectors import ReportContext, Rollup
from nastavnik.reports.tables import (
    base_lines,
    comparison_lines,
    indicator_lines,
    period_title,
    target_lines,
    variant_title,
)

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _targets_json(targets: YearTargets | None) -> dict[str, Any] | None:
    if targets is None:
        return None
    return {
        "coverage_students": targets.coverage_students,
        "coverage_teachers": targets.coverage_teachers,
        "forms": [f.code for f in targets.forms.all()],
        "models": [m.code for m in targets.models_used.all()],
        "variants": [f"{v.form.code}/{v.code}" for v in targets.variants.all()],
        "note": targets.note,
    }


def report_json(
    organization: Organization,
    start_year: int,
    figures: Figures,
    *,
    extra: ReportContext | None = None,
) -> bytes:
    data: dict[str, Any] = {
        "organization": {"code": organization.code, "name": organization.name},
        "academic_year": f"{start_year}/{start_year + 1}",
        **figures.as_json(),
    }
    if extra is not None:
        # The year before side by side (its figures under the same keys), the targets set for
        # this year with what was reached, and those set for the next year.
        data["previous_year"] = {
            "academic_year": f"{start_year - 1}/{start_year}",
            **extra.previous.as_json(),
        }
        data["targets"] = _targets_json(extra.targets)
        data["targets_reached"] = [
            {"target": line.label, "value": line.target, "reached": line.actual, "met": line.met}
            for line in target_lines(extra.targets, figures, extra.offer)
        ]
        data["next_year_targets"] = _targets_json(extra.next_targets)
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _row(sheet: Worksheet, values: Sequence[Any], *, bold: bool = False, box: bool = True) -> None:
    sheet.append([safe_cell(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if bold:
            cell.font = Font(bold=True)
        if box and cell.value is not None:
            cell.border = _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header(sheet: Worksheet, title: str, start_year: int, widths: Iterable[int]) -> None:
    _row(sheet, [title], bold=True, box=False)
    _row(sheet, [_("Monitoring of the target model of mentorship")], box=False)
    _row(sheet, [_("Period: %(period)s") % {"period": period_title(start_year)}], box=False)
    sheet.append([])
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width


def _signature(sheet: Worksheet, organization: Organization) -> None:
    sheet.append([])
    _row(
        sheet,
        [
            organization.head_position or _("Head of the organization"),
            "",
            "_______________",
            organization.head_name,
        ],
        box=False,
    )


def _to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_xlsx(
    organization: Organization,
    start_year: int,
    figures: Figures,
    *,
    extra: ReportContext | None = None,
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Report")
    _header(sheet, organization.name, start_year, (8, 60, 14, 14, 14, 14))
    _row(sheet, [pgettext("monitoring", "No."), _("Figure"), _("Value")], bold=True)
    for number, line in enumerate([*base_lines(figures), *indicator_lines(figures)], start=1):
        _row(sheet, [number, line.label, line.value])
    sheet.append([])
    _row(sheet, [_("Pairs and groups by form and variant")], bold=True, box=False)
    _row(
        sheet,
        [
            pgettext("monitoring", "No."),
            _("Form and variant"),
            _("Pairs"),
            _("Groups"),
            _("People in them"),
        ],
        bold=True,
    )
    for number, row in enumerate(figures.mentorships_by_variant, start=1):
        _row(
            sheet,
            [number, f"{row.form_name}: {variant_title(row)}", row.pairs, row.groups, row.people],
        )
    _row(
        sheet,
        [
            "",
            pgettext("monitoring", "Total"),
            figures.pairs_total,
            figures.groups_total,
            sum(r.people for r in figures.mentorships_by_form),
        ],
        bold=True,
    )
    _signature(sheet, organization)
    if extra is not None:
        compared = book.create_sheet(_("Comparison"))
        _header(compared, organization.name, start_year, (8, 60, 14, 14, 14))
        _comparison_rows(compared, start_year, figures, extra)
        _signature(compared, organization)
    return _to_bytes(book)


def _comparison_rows(
    sheet: Worksheet, start_year: int, figures: Figures, extra: ReportContext
) -> None:
    _row(sheet, [_("Compared with the previous year")], bold=True, box=False)
    _row(
        sheet,
        [
            pgettext("monitoring", "No."),
            _("Figure"),
            f"{start_year - 1}/{start_year}",
            f"{start_year}/{start_year + 1}",
            pgettext("comparison", "Change"),
        ],
        bold=True,
    )
    for number, line in enumerate(comparison_lines(figures, extra.previous), start=1):
        _row(sheet, [number, line.label, line.previous, line.current, line.delta])
    lines = target_lines(extra.targets, figures, extra.offer)
    if lines:
        sheet.append([])
        _row(sheet, [_("Targets set for the year")], bold=True, box=False)
        _row(
            sheet,
            [pgettext("monitoring", "No."), _("Target"), _("Set"), _("Reached"), _("Met")],
            bold=True,
        )
        for number, target in enumerate(lines, start=1):
            _row(
                sheet,
                [
                    number,
                    target.label,
                    target.target,
                    target.actual,
                    _("yes") if target.met else _("no"),
                ],
            )


def rollup_xlsx(rollup: Rollup) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Roll-up")
    _header(
        sheet, rollup.territory.name, rollup.start_year, (8, 50, 12, 12, 12, 12, 12, 12, 10, 10, 14)
    )
    columns = [
        pgettext("monitoring", "No."),
        _("Organization") if rollup.rows and rollup.rows[0].organization else _("Municipality"),
        _("Pupils"),
        _("Pupils in the bases"),
        _("Pupil mentees"),
        _("Pupil mentors"),
        _("Teachers"),
        _("Teachers in the bases"),
        _("Pairs"),
        _("Groups"),
        _("Reports submitted"),
    ]
    _row(sheet, columns, bold=True)

    def values(f: Figures) -> list[int]:
        return [
            f.students_total,
            f.students_in_bases,
            f.students_mentees,
            f.students_mentors,
            f.teachers_total,
            f.teachers_in_bases,
            f.pairs_total,
            f.groups_total,
        ]

    for number, row in enumerate(rollup.rows, start=1):
        _row(
            sheet, [number, row.title, *values(row.figures), f"{row.submitted}/{row.organizations}"]
        )
    _row(
        sheet,
        [
            "",
            pgettext("monitoring", "Total"),
            *values(rollup.total),
            f"{sum(r.submitted for r in rollup.rows)}/{sum(r.organizations for r in rollup.rows)}",
        ],
        bold=True,
    )
    return _to_bytes(book)


def report_pdf(
    organization: Organization,
    start_year: int,
    figures: Figures,
    *,
    extra: ReportContext | None = None,
) -> bytes:
    from weasyprint import HTML  # loaded when a PDF is asked for: it takes a second to import

    html = render_to_string(
        "reports/report_pdf.html",
        {
            "organization": organization,
            "period": period_title(start_year),
            "figures": figures,
            "base_lines": base_lines(figures),
            "indicator_lines": indicator_lines(figures),
            "font": FONT,
            "start_year": start_year,
            "comparison_lines": comparison_lines(figures, extra.previous) if extra else [],
            "target_lines": target_lines(extra.targets, figures, extra.offer) if extra else [],
        },
    )
    return bytes(HTML(string=html, url_fetcher=url_fetcher()).write_pdf())

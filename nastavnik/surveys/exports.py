"""The results of a survey as an .xlsx workbook: one sheet of figures, one of free-text answers."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from nastavnik.core.spreadsheets import safe_cell as _safe
from nastavnik.surveys.evaluation import survey_results
from nastavnik.surveys.models import Survey


def survey_results_xlsx(survey: Survey) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Figures")[:31]
    sheet.append([_safe(survey.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_("Question"), _("Answers"), _("Mean"), _("Distribution")])
    texts = workbook.create_sheet(_("Text answers")[:31])
    texts.append([_("Question"), _("Answer")])
    for result in survey_results(survey):
        cell = result.total
        if cell.withheld:
            sheet.append(
                [_safe(result.question.text), cell.count, None, _("fewer than 5 answers: hidden")]
            )
            continue
        distribution = "; ".join(f"{k}: {v}" for k, v in cell.distribution.items() if v)
        sheet.append([_safe(result.question.text), cell.count, cell.mean, _safe(distribution)])
        for text in result.texts:
            texts.append([_safe(result.question.text), _safe(text)])
    for column, width in zip("ABCD", (70, 10, 10, 60), strict=True):
        sheet.column_dimensions[column].width = width
    texts.column_dimensions["A"].width = 50
    texts.column_dimensions["B"].width = 80
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

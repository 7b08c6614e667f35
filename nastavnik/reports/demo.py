"""The demo's report: the school hands in its monitoring report for the current year and sets
its «Перспективные задачи» for the next one.

A step of the demo (``nastavnik.demo.steps`` runs ``step`` at ``POSITION``): after the pairs are
approved (matching, 300), their work (350) and the surveys (400), so the report has its figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.organizations.models import Organization, academic_start_year
from nastavnik.programs.models import MentoringForm, MentoringModel, Variant
from nastavnik.reports.services import report_submit, targets_save

POSITION = 450
DEMO_REPORT_ORGANIZATION = "demo-school-1"
# «Перспективные задачи» of the school for the next year: coverage (per cent), the form the
# school means to put to work, new models and a new variant («Лидер – Тихоня» of seed 004 is
# the catalogue's «лидер – пассивный»).
NEXT_YEAR_COVERAGE = (25, 45)  # pupils, teachers
NEXT_YEAR_FORMS = ("employer-student",)
NEXT_YEAR_MODELS = ("reverse", "speed")
NEXT_YEAR_VARIANTS = (("student-student", "leader-passive"),)
NEXT_YEAR_NOTE = (
    "Провести фестиваль наставнических пар; заключить договор с предприятием-партнёром."
)


class DemoContext(Protocol):
    """What the step reads of the demo's context."""

    @property
    def organizations(self) -> Mapping[str, Organization]: ...
    @property
    def curators(self) -> Mapping[str, User]: ...
    @property
    def today(self) -> dt.date: ...


def seed_demo_reports(context: DemoContext) -> None:
    organization = context.organizations.get(DEMO_REPORT_ORGANIZATION)
    curator = context.curators.get(DEMO_REPORT_ORGANIZATION)
    if organization is None or curator is None:
        return
    start_year = academic_start_year(context.today)
    report_submit(actor=curator, organization=organization, start_year=start_year)
    variants = [
        Variant.objects.get(form__code=form, code=code, organization__isnull=True)
        for form, code in NEXT_YEAR_VARIANTS
    ]
    targets_save(
        actor=curator,
        organization=organization,
        start_year=start_year + 1,
        coverage_students=NEXT_YEAR_COVERAGE[0],
        coverage_teachers=NEXT_YEAR_COVERAGE[1],
        forms=list(MentoringForm.objects.filter(code__in=NEXT_YEAR_FORMS)),
        models_used=list(MentoringModel.objects.filter(code__in=NEXT_YEAR_MODELS)),
        variants=variants,
        note=NEXT_YEAR_NOTE,
    )


step = seed_demo_reports

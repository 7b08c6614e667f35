"""The demo's reports: the school's monitoring report for the current year is filled from its
data and ready to submit (the curator presses «Сдать отчёт в муниципалитет» herself), and the
school has set its «Перспективные задачи» for the next year; the college nearby has handed in its
report and the municipal coordinator has accepted it, so the roll-up shows both states.

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
from nastavnik.reports.services import report_submit, submission_decide, targets_save

POSITION = 450
DEMO_REPORT_ORGANIZATION = "demo-school-1"
# The organization whose report is already submitted and accepted, and who accepted it.
DEMO_SUBMITTED_ORGANIZATION = "demo-college"
DEMO_COORDINATOR = "municipality"
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
    def users(self) -> Mapping[str, User]: ...
    @property
    def today(self) -> dt.date: ...


def seed_demo_reports(context: DemoContext) -> None:
    start_year = academic_start_year(context.today)
    _submitted_and_accepted(context, start_year)
    organization = context.organizations.get(DEMO_REPORT_ORGANIZATION)
    curator = context.curators.get(DEMO_REPORT_ORGANIZATION)
    if organization is None or curator is None:
        return
    # The school's report is not submitted: its figures are computed from the data, ready.
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


def _submitted_and_accepted(context: DemoContext, start_year: int) -> None:
    organization = context.organizations.get(DEMO_SUBMITTED_ORGANIZATION)
    curator = context.curators.get(DEMO_SUBMITTED_ORGANIZATION)
    coordinator = context.users.get(DEMO_COORDINATOR)
    if organization is None or curator is None:
        return
    submission = report_submit(actor=curator, organization=organization, start_year=start_year)
    if coordinator is not None:
        submission_decide(actor=coordinator, submission=submission, accept=True)


step = seed_demo_reports

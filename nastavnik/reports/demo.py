"""The demo's report: the school hands in its monitoring report for the current year.

A step of the demo (``nastavnik.demo.steps`` runs ``step`` at ``POSITION``): after the pairs are
approved (matching, 300), their work (350) and the surveys (400), so the report has its figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Protocol

from nastavnik.accounts.models import User
from nastavnik.organizations.models import Organization, academic_start_year
from nastavnik.reports.services import report_submit

POSITION = 450
DEMO_REPORT_ORGANIZATION = "demo-school-1"


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
    report_submit(
        actor=curator, organization=organization, start_year=academic_start_year(context.today)
    )


step = seed_demo_reports

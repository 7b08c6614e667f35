"""The demo's report: the school hands in its monitoring report for the current year."""

from __future__ import annotations

from nastavnik.demo.registry import DemoContext
from nastavnik.organizations.models import academic_start_year

DEMO_REPORT_ORGANIZATION = "demo-school-1"


def seed_demo_reports(context: DemoContext) -> None:
    from nastavnik.reports.services import report_submit

    organization = context.organizations.get(DEMO_REPORT_ORGANIZATION)
    curator = context.curators.get(DEMO_REPORT_ORGANIZATION)
    if organization is None or curator is None:
        return
    report_submit(
        actor=curator, organization=organization, start_year=academic_start_year(context.today)
    )

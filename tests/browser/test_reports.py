"""The curator opens the year's monitoring report, finds it filled and submits it; the municipal
coordinator sees it in the roll-up — no figure typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pytest
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import Role, User
from nastavnik.organizations.models import Territory
from tests.factories import MembershipFactory, TerritoryFactory, UserFactory
from tests.reports.scenario import YEAR, build_school

pytestmark = pytest.mark.browser


def test_the_curator_submits_the_report_and_the_coordinator_sees_it(
    page: Page, new_page: Callable[..., Page], login_as: Callable[[Page, User], Page]
) -> None:
    municipality = cast(Territory, TerritoryFactory(name="Городской округ Тестовый"))
    school = build_school(municipality, "browser")
    coordinator = cast(User, UserFactory(username="municipal-browser"))
    MembershipFactory(
        user=coordinator,
        role=Role.MUNICIPAL_COORDINATOR,
        organization=None,
        territory=municipality,
    )

    login_as(page, school.curator)
    page.goto(f"/reports/organization/{school.organization.pk}/{YEAR}/")
    bases = page.locator("#report-bases")
    expect(bases.locator('tr[data-key="students_total"]')).to_contain_text("5")
    expect(bases.locator('tr[data-key="students_in_bases"]')).to_contain_text("4")
    expect(page.locator('#report-indicators tr[data-key="satisfaction_mentors"]')).to_contain_text(
        "нет данных"
    )
    # The charts are drawn from the page's JSON by the vendored Chart.js.
    page.wait_for_function("() => window.Chart && Chart.getChart('report-chart-variants')")
    page.get_by_role("button", name="Сдать отчёт в муниципалитет").click()
    expect(page.locator(".messages")).to_contain_text("Отчёт сдан (версия 1)")
    expect(page.locator("#report-submissions")).to_contain_text("сдан")

    other = new_page()
    login_as(other, coordinator)
    other.goto(f"/reports/territory/{municipality.pk}/{YEAR}/")
    row = other.locator("#rollup tbody tr").filter(has_text=school.organization.short_name)
    expect(row).to_contain_text("сдан (версия 1)")
    expect(other.locator("#rollup tfoot")).to_contain_text("5")

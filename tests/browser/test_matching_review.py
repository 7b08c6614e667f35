"""The curator forms pairs in Chromium: start a run on a small base, accept a pair, publish;
the mentor then sees the mentee on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.mentorships.models import Mentorship
from tests.conftest import make_tenant
from tests.matching.factories import enrol, matching_program, mentee, profile

pytestmark = pytest.mark.browser


def test_the_curator_runs_matching_accepts_a_pair_and_publishes(
    page: Page, new_page: Callable[..., Page], login_as: Callable[[Page, User], Page]
) -> None:
    tenant = make_tenant("m1")
    program = matching_program(tenant.organization)
    profile(
        tenant.mentor_person,
        interests="шахматы, робототехника",
        competencies={"formative-assessment": 3},
    )
    enrol(program, tenant.mentor_person, "mentor", capacity=1)
    pupil = mentee(
        program, last_name="Шахматов", interests="шахматы", deficits=["formative-assessment"]
    )
    mentee(program, last_name="Рисовальщиков", interests="рисование")
    login_as(page, tenant.curator)

    page.goto(f"/matching/program/{program.pk}/")
    page.get_by_role("button", name="Начать подбор").click()
    expect(page.locator("h1")).to_contain_text("Подбор №")
    row = page.locator("#proposals tbody tr").filter(has_text="Шахматов")
    expect(row).to_contain_text("закрывает дефицит: формирующее оценивание")
    expect(page.locator("body")).to_contain_text("Без наставника")

    decided = page.locator(
        "#run-stats .stat", has_text="принято / оставлено при пересчёте"
    ).locator("b")
    expect(decided).to_have_text("0 / 0")
    page.evaluate("window.__notReloaded = true")
    row.get_by_role("button", name="принять").click()
    expect(page.locator("#proposals tbody tr").filter(has_text="Шахматов")).to_contain_text(
        "принята"
    )
    # The figures follow the decision out of band, without a reload.
    expect(decided).to_have_text("1 / 0")
    assert page.evaluate("window.__notReloaded === true")
    page.locator("#publish-form input[name=confirm]").check()
    page.get_by_role("button", name="Утвердить принятые и оставленные при пересчёте пары").click()
    expect(page.locator(".messages")).to_contain_text("Сформирована 1 пара")
    expect(page.locator("#mentorships")).to_contain_text(pupil.person.full_name)
    assert Mentorship.objects.filter(program=program, status="active").count() == 1

    phone = new_page(mobile=True)
    login_as(phone, tenant.mentor)
    phone.goto("/mentorships/my/")
    expect(phone.locator("main")).to_contain_text(pupil.person.full_name)

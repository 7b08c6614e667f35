"""«Первые шаги» of README.md, walked in real Chromium: each role signs in to the demo through the
login form, clicks where the README says and sees what the README says they will see.

Screenshots (the viewport, not the whole page) go to ``test-artifacts/first-steps/`` always, and
to ``docs/first-steps/`` — the README's pictures — when ``NASTAVNIK_UPDATE_SCREENSHOTS=1``:

    NASTAVNIK_UPDATE_SCREENSHOTS=1 .venv/bin/python -m pytest -m browser \\
        tests/browser/test_first_steps.py

The demo here is the compact one (the browser tests' ``demo`` fixture): the same logins, programs
and stages as ``make run`` shows, with fewer people, so the README names no figure that differs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from nastavnik.demo.registry import DemoContext
from tests.browser.conftest import ARTIFACTS, DEMO_PASSWORD

pytestmark = pytest.mark.browser

SignIn = Callable[[Page, str, str], Page]

FIRST_STEPS_ARTIFACTS = ARTIFACTS.parent / "first-steps"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "first-steps"


def shoot(page: Page, name: str) -> None:
    """The viewport as the person sees it, in CSS pixels (a phone's picture stays small)."""
    # Charts drawn to the end, not caught in their animation: the same picture every run.
    page.evaluate(
        "() => window.Chart && Object.values(Chart.instances).forEach("
        "c => { c.options.animation = false; c.update('none'); })"
    )
    FIRST_STEPS_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(FIRST_STEPS_ARTIFACTS / f"{name}.png"), scale="css")
    if os.environ.get("NASTAVNIK_UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / f"{name}.png"), scale="css")


def test_curator(page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    sign_in(page, "curator", DEMO_PASSWORD)
    # 1. She starts at «Требует внимания»: the warnings with their reasons, programs by stage.
    expect(page).to_have_url(re.compile(r"/pairwork/attention/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Требует внимания")
    warnings = page.locator("main > ul.list > li")
    expect(warnings.first).to_be_visible()
    expect(warnings.first).to_contain_text(re.compile(r"Просрочен|Ни одной встречи|снизил"))
    by_stage = page.locator("#programs-by-stage")
    for stage in (
        "Подготовка условий для запуска программы наставничества",
        "Формирование наставнических пар или групп",
        "Организация работы наставнических пар или групп",
    ):
        expect(by_stage).to_contain_text(stage)
    shoot(page, "curator")
    # A click on a pair opens its meetings and its plan.
    warnings.first.locator("a.title").click()
    expect(page.get_by_role("heading", name="Встречи", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="План развития", exact=True)).to_be_visible()
    page.go_back()
    # 2. «Отчёты» → the school: the report is filled, and waits for her to submit it.
    page.locator("nav").get_by_role("link", name="Отчёты").click()
    page.get_by_role("link", name="СОШ № 1 г. Приозёрска").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("СОШ № 1 г. Приозёрска")
    expect(page.locator("main")).to_contain_text("вводить ничего не нужно")
    expect(page.locator('#report-bases tr[data-key="students_total"]')).to_contain_text(
        re.compile(r"\d")
    )
    expect(page.get_by_role("button", name="Сдать отчёт в муниципалитет")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Отчёт за этот учебный год ещё не сдан.")
    expect(page.locator("main")).to_contain_text("Перспективные задачи на следующий год")
    shoot(page, "curator-report")


def test_head(page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    sign_in(page, "head", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Требует внимания")
    # «Анкеты» → the mentees' satisfaction at the end → «Результаты»: the start against the end.
    page.locator("nav").get_by_role("link", name="Анкеты").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Анкеты")
    page.get_by_role(
        "link", name="Анкета удовлетворённости наставляемого (завершение программы)"
    ).first.click()
    expect(page.locator("main")).to_contain_text("ответили:")
    page.get_by_role("link", name="Результаты").click()
    expect(page.locator("main")).to_contain_text("Этап 1: начало и завершение программы")
    expect(page.locator("main")).to_contain_text("В начале")
    expect(page.locator("main")).to_contain_text("При завершении")
    expect(page.locator("main")).to_contain_text(re.compile(r"\+\d"))
    expect(page.locator("main")).to_contain_text(re.compile(r"\d+ ответов · среднее"))
    shoot(page, "head")


def test_mentor_on_a_phone(mobile_page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    page = mobile_page
    sign_in(page, "mentor", DEMO_PASSWORD)
    # «Мои пары»: each mentee with the next meeting and this week's tasks.
    expect(page).to_have_url(re.compile(r"/pairwork/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои пары")
    card = page.locator(".pair-card").first
    expect(card).to_contain_text("Мой наставляемый")
    expect(card).to_contain_text("Следующая встреча")
    expect(card).to_contain_text("Задачи на этой неделе")
    expect(card.get_by_role("link", name="Записать встречу")).to_be_visible()
    shoot(page, "mentor")
    # The pair: its meetings held and planned, the development plan, progress records.
    card.get_by_role("link", name="Мой наставляемый").click()
    expect(page.locator("main")).to_contain_text("Наставник: Лебедева Татьяна Сергеевна")
    text = page.locator("main").inner_text()
    assert text.count("проведена") >= 2
    assert "запланирована" in text
    expect(page.locator("main")).to_contain_text("План развития")
    expect(page.locator("main")).to_contain_text("Записи о прогрессе")
    shoot(page, "mentor-pair")


def test_mentee_on_a_phone(mobile_page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    page = mobile_page
    sign_in(page, "young-teacher", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Мои пары")
    card = page.locator(".pair-card").first
    expect(card).to_contain_text("Мой наставник")
    expect(card).to_contain_text("учитель – учитель")
    card.get_by_role("link", name="Мой наставник").click()
    expect(page.locator("main")).to_contain_text("Наставляемые: Егоров Даниил Игоревич")
    expect(page.locator("main")).to_contain_text("План развития")
    expect(page.locator("main")).to_contain_text("проведена")
    shoot(page, "mentee")


def test_the_pupil_mentee_waits_for_her_pair(
    mobile_page: Page, demo: DemoContext, sign_in: SignIn
) -> None:
    sign_in(mobile_page, "mentee", DEMO_PASSWORD)
    expect(mobile_page.get_by_role("heading", level=1)).to_have_text("Мои пары")
    expect(mobile_page.locator("main")).to_contain_text(
        "Наставника пока нет: выберите его сами или дождитесь, когда куратор закрепит пару "
        "приказом."
    )


def test_municipal_coordinator(page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    sign_in(page, "municipality", DEMO_PASSWORD)
    page.locator("nav").get_by_role("link", name="Отчёты").click()
    page.get_by_role("link", name="Городской округ Приозёрск").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Сводный отчёт: Городской округ Приозёрск"
    )
    rollup = page.locator("#rollup")
    expect(rollup.locator("tbody tr").filter(has_text="Политехнический колледж")).to_contain_text(
        "принят (версия 1)"
    )
    expect(rollup.locator("tbody tr").filter(has_text="СОШ № 1 г. Приозёрска")).to_contain_text(
        "не сдан"
    )
    expect(page.locator("#rollup-missing")).to_contain_text("СОШ № 1 г. Приозёрска")
    shoot(page, "municipality")
    # Figures only: a pupil's page is not for a coordinator.
    pupil = demo.users["mentee"].person
    assert pupil is not None
    response = page.goto(f"/people/{pupil.pk}/")
    assert response is not None
    assert response.status == 404


def test_administrator(page: Page, demo: DemoContext, sign_in: SignIn) -> None:
    sign_in(page, "admin", DEMO_PASSWORD)
    for organization in demo.organizations.values():
        expect(page.locator("main")).to_contain_text(organization.short_name)
    page.locator("nav").get_by_role("link", name="Администрирование").click()
    expect(page.locator("#content")).to_contain_text("Администрирование сайта")
    page.get_by_role("link", name="Пользователи", exact=True).first.click()
    expect(page.locator("#result_list")).to_contain_text("curator")
    shoot(page, "admin")

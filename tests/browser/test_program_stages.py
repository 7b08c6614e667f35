"""A curator walks a mentoring program from the first stage to forming pairs, in Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from nastavnik.accounts.models import User
from nastavnik.programs.models import Program, Stage
from tests.conftest import make_tenant
from tests.factories import PersonFactory, TeacherFactory
from tests.programs.conftest import give_consent

pytestmark = pytest.mark.browser


def _tick_all(page: Page, stage: int) -> None:
    """Tick every item of a stage's checklist that is ticked by hand."""
    section = page.locator(f"#stage-{stage}")
    undone = section.get_by_title("Отметить как выполненное")
    while undone.count():
        undone.first.click()
        page.wait_for_load_state()


def _advance(page: Page, to_stage: str) -> None:
    page.get_by_role("link", name="Этапы").click()
    expect(page.locator("#advance")).to_contain_text(
        "Всё, что нужно на предыдущих этапах, выполнено."
    )
    page.get_by_role("button", name="Перейти к следующему этапу").click()
    expect(page.locator(".messages")).to_contain_text(f"Программа перешла на этап «{to_stage}»")


def test_a_program_from_preparation_to_forming_pairs(
    page: Page, login_as: Callable[[Page, User], Page]
) -> None:
    tenant = make_tenant("b1")
    mentor = TeacherFactory.create(
        organization=tenant.organization,
        last_name="Иванова",
        first_name="Анна",
        middle_name="Сергеевна",
    )
    pupil = PersonFactory.create(
        organization=tenant.organization, last_name="Петров", first_name="Пётр", middle_name="Ильич"
    )
    for person in (mentor, pupil):
        give_consent(tenant.curator, person)
    login_as(page, tenant.curator)

    # Stage 1: the program's card, the roadmap, the documents of preparation.
    page.goto("/programs/new/")
    page.locator("#id_title").fill("Успешный старт")
    page.locator("#id_form").select_option(label="учитель – ученик")
    page.locator("#id_goals").fill("Раскрыть потенциал каждого обучающегося")
    page.locator("#id_tasks").fill("Помочь неуспевающим; поддержать одарённых")
    page.get_by_label("традиционная (один на один)").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator(".messages")).to_contain_text("Программа создана.")
    program = Program.objects.get(title="Успешный старт")
    expect(page.locator(".stepper li.current")).to_have_text(
        "Подготовка условий для запуска программы наставничества"
    )

    page.get_by_role("link", name="Дорожная карта").click()
    page.locator("#id_title").fill("Совещание по внедрению наставничества")
    page.locator("#id_due_on").fill("30.09.2026")
    page.get_by_role("button", name="Добавить").click()
    expect(page.locator("table")).to_contain_text("Совещание по внедрению наставничества")

    page.get_by_role("link", name="Этапы").click()
    expect(page.locator("#advance")).to_contain_text(
        "Не выполнено: Положение о наставничестве утверждено."
    )
    _tick_all(page, 1)
    _advance(page, "формирование базы наставляемых")

    # Stage 2: the base of mentees.
    _tick_all(page, 2)
    page.get_by_role("link", name="Базы").click()
    page.locator("#id_mentee-person").select_option(label=pupil.full_name)
    page.get_by_role("button", name="Добавить в базу наставляемых").click()
    expect(page.locator("#mentees table")).to_contain_text("Петров Пётр Ильич")
    _advance(page, "формирование базы наставников")

    # Stage 3: the base of mentors.
    _tick_all(page, 3)
    page.get_by_role("link", name="Базы").click()
    page.locator("#id_mentor-person").select_option(label=mentor.full_name)
    page.get_by_role("button", name="Добавить в базу наставников").click()
    expect(page.locator("#mentors table")).to_contain_text("Иванова Анна Сергеевна")
    _advance(page, "отбор и обучение наставников")

    # Stage 4: an interview, the training plan, the «trained» mark.
    page.get_by_role("link", name="Базы").click()
    page.locator("#mentors").get_by_role("link", name="Изменить").click()
    page.locator("#id_interviewed_on").fill("15.09.2026")
    page.locator("#id_interview_notes").fill("Готова вести двоих")
    page.get_by_role("button", name="Сохранить").click()
    page.get_by_role("link", name="Обучение наставников").click()
    page.locator("#id_title").fill("Роль наставника в целевой модели")
    page.locator("#id_held_on").fill("01.10.2026")
    page.get_by_role("button", name="Добавить").click()
    page.get_by_role("link", name="Базы").click()
    row = page.locator("#mentors table tr", has_text="Иванова Анна Сергеевна")
    expect(row).to_contain_text("не обучен")
    row.get_by_role("button", name="отметить обучение").click()  # htmx swaps the row
    expect(page.locator("#mentors table tr", has_text="Иванова Анна Сергеевна")).to_contain_text(
        re.compile(r"обучен \d\d\.\d\d\.\d{4}")
    )
    _advance(page, "формирование наставнических пар или групп")

    page.get_by_role("link", name="Программа", exact=True).click()
    expect(page.locator(".stepper li.current")).to_have_text(
        "Формирование наставнических пар или групп"
    )
    program.refresh_from_db()
    assert program.stage == Stage.MATCHING
